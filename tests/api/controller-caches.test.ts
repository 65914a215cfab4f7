// The built-in controllers cache objects without metadata.managedFields (half of a typical
// object's text). Their writes made from those cached objects must still keep the stored
// managedFields: an update that leaves the field out keeps the live entries, as upstream.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { eventually } from "../node/helpers.ts";

let s: InProcessServer;
const rbac = "/apis/rbac.authorization.k8s.io/v1";

beforeAll(async () => {
  s = await startInProcessServer();
});
afterAll(async () => {
  await s.close();
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
  const aggregatedNow = async () => (await s.json("GET", `${rbac}/clusterroles/cache-aggregate`)).body;
  expect(await eventually(async () => (await aggregatedNow()).rules?.length === 1)).toBe(true);
  const after = await aggregatedNow();
  expect(after.rules).toEqual(part.rules);
  expect(after.metadata.managedFields.find((e: { manager: string }) => e.manager === "creator")).toEqual(creatorEntry);
});
