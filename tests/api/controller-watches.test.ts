// The built-in controllers follow the store through watches. A burst of writes larger than a
// remote watcher's buffer (1,000 undelivered events) must not end those watches: garbage
// collection and namespace deletion keep working afterwards.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { eventually } from "../node/helpers.ts";
import { configMap } from "./helpers.ts";

let s: InProcessServer;
const cms = "/api/v1/namespaces/default/configmaps";

beforeAll(async () => {
  s = await startInProcessServer();
  const burst = Array.from({ length: 2_500 }, (_, i) => i);
  for (let i = 0; i < burst.length; i += 500) {
    await Promise.all(burst.slice(i, i + 500).map((n) => s.request("POST", cms, { body: configMap(`burst-${n}`) }).then((r) => r.text())));
  }
});
afterAll(async () => {
  await s.close();
});

test("after the burst, deleting an owner still removes its dependent", async () => {
  const owner = await s.json("POST", cms, { body: configMap("owner") });
  expect(owner.status).toBe(201);
  const ref = { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.body.metadata.uid };
  const dependent = await s.json("POST", cms, { body: { ...configMap("dependent"), metadata: { name: "dependent", ownerReferences: [ref] } } });
  expect(dependent.status).toBe(201);
  expect((await s.request("DELETE", `${cms}/owner`)).status).toBe(200);
  const gone = await eventually(async () => (await s.request("GET", `${cms}/dependent`)).status === 404);
  expect(gone).toBe(true);
});

test("after the burst, a deleted namespace is emptied and removed", async () => {
  expect((await s.request("POST", "/api/v1/namespaces", { body: { metadata: { name: "after-burst" } } })).status).toBe(201);
  expect((await s.request("POST", "/api/v1/namespaces/after-burst/configmaps", { body: configMap("inside") })).status).toBe(201);
  expect((await s.request("DELETE", "/api/v1/namespaces/after-burst")).status).toBe(200);
  const gone = await eventually(async () => (await s.request("GET", "/api/v1/namespaces/after-burst")).status === 404);
  expect(gone).toBe(true);
});

test("after a restart the garbage collector knows every stored object, however many pages its start-up index reads", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kapi-gc-restart-"));
  const path = join(dir, "kapi.db");
  try {
    let first: InProcessServer | undefined = await startInProcessServer(undefined, {}, path);
    const owner = await first.json("POST", cms, { body: configMap("owner") });
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.body.metadata.uid };
    // More dependents than one page of the index (500), so that some are only on later pages.
    const names = Array.from({ length: 1_200 }, (_, i) => `dep-${i}`);
    for (let i = 0; i < names.length; i += 300) {
      const batch = names.slice(i, i + 300).map((name) => first!.request("POST", cms, { body: { ...configMap(name), metadata: { name, ownerReferences: [ref] } } }).then((r) => r.status));
      expect(new Set(await Promise.all(batch))).toEqual(new Set([201]));
    }
    await first.close();
    first = undefined;
    const second = await startInProcessServer(undefined, {}, path);
    try {
      expect((await second.request("DELETE", `${cms}/owner`)).status).toBe(200);
      const remaining = async () => (await second.json("GET", cms)).body.items.filter((i: { metadata: { name: string } }) => i.metadata.name.startsWith("dep-")).length;
      expect(await eventually(async () => (await remaining()) === 0, 400, 50)).toBe(true);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
