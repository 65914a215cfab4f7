// The built-in controllers cache objects without metadata.managedFields (half of a typical
// object's text). Their writes made from those cached objects must still keep the stored
// managedFields: an update that leaves the field out keeps the live entries, as upstream.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startNodeServer, type NodeServer } from "./in-process-node.ts";

let s: NodeServer;
const rbac = "/apis/rbac.authorization.k8s.io/v1";

beforeAll(async () => {
  s = await startNodeServer("simulated");
});
afterAll(async () => {
  await s.stop();
});

test("a controller's update made from its cache keeps the creator's managedFields", async () => {
  // The aggregation controller rewrites an aggregated ClusterRole's rules from its cached copy.
  const aggregated = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "ClusterRole",
    metadata: { name: "cache-aggregate", labels: { team: "cache" } },
    aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "cache-test/aggregate": "true" } }] },
    rules: [],
  };
  const created = await s.json("POST", `${rbac}/clusterroles?fieldManager=creator`, { body: aggregated });
  expect(created.status).toBe(201);
  const creatorEntry = created.body.metadata.managedFields.find((e: { manager: string }) => e.manager === "creator");
  expect(creatorEntry.fieldsV1["f:metadata"]["f:labels"]["f:team"]).toEqual({});

  const part = { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name: "cache-part", labels: { "cache-test/aggregate": "true" } }, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] };
  expect((await s.json("POST", `${rbac}/clusterroles`, { body: part })).status).toBe(201);
  const after = await s.waitFor(`${rbac}/clusterroles/cache-aggregate`, (role) => role.rules?.length === 1);
  expect(after.rules).toEqual(part.rules);
  expect(after.metadata.managedFields.find((e: { manager: string }) => e.manager === "creator")).toEqual(creatorEntry);
});
