// Objects written by earlier kapi versions are stored metadata first ({"metadata":{…},…});
// objects are now written metadata last. A data directory holding the older text is served as
// before: reads, lists (spliced, filtered, paged), Tables, patches and garbage collection.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../store/index.ts";
import { startInProcessServer, type InProcessServer } from "../support/in-process.ts";
import { eventually } from "../node/helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "kapi-layouts-"));
const path = join(dir, "kapi.db");
const cms = "/api/v1/namespaces/old/configmaps";
const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io";
const managedFields = [{ manager: "kubectl-create", operation: "Update", apiVersion: "v1", time: "2026-01-02T03:04:05Z", fieldsType: "FieldsV1", fieldsV1: { "f:data": { ".": {}, "f:k": {} } } }];

/** The text an earlier kapi stored for an object: metadata first, without kind, apiVersion or resourceVersion. */
function metadataFirst(obj: Record<string, unknown> & { metadata: Record<string, unknown> }): string {
  const { kind, apiVersion, metadata, ...rest } = obj;
  return JSON.stringify({ metadata, ...rest });
}

function oldConfigMap(name: string, uid: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: { name, namespace: "old", uid, creationTimestamp: "2026-01-02T03:04:05Z", labels: { tier: name === "cm-1" ? "a" : "b" }, managedFields, ...extra },
    data: { k: `value of ${name}` },
  };
}

let s: InProcessServer;

beforeAll(async () => {
  const first = await startInProcessServer(undefined, {}, path);
  expect((await first.request("POST", "/api/v1/namespaces", { body: { metadata: { name: "old" } } })).status).toBe(201);
  await first.close();
  const store = await openSqliteStore(path);
  await store.create("/registry/configmaps/old/cm-1", metadataFirst(oldConfigMap("cm-1", "u-1")));
  await store.create("/registry/configmaps/old/cm-2", metadataFirst(oldConfigMap("cm-2", "u-2")));
  const owner = { apiVersion: "v1", kind: "ConfigMap", name: "cm-1", uid: "u-1" };
  await store.create("/registry/configmaps/old/dependent", metadataFirst(oldConfigMap("dependent", "u-3", { ownerReferences: [owner] })));
  await store.close();
  s = await startInProcessServer(undefined, {}, path);
  // An object written now, beside the older ones.
  expect((await s.request("POST", `${cms}?fieldManager=kubectl-create`, { body: { metadata: { name: "cm-new", labels: { tier: "b" } }, data: { k: "new" } } })).status).toBe(201);
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("an object stored metadata first reads as it did", async () => {
  const { status, body } = await s.json("GET", `${cms}/cm-2`);
  expect(status).toBe(200);
  expect(Object.keys(body)).toEqual(["kind", "apiVersion", "metadata", "data"]);
  expect(body.metadata.resourceVersion).toMatch(/^\d+$/);
  const { resourceVersion, ...metadata } = body.metadata;
  expect(metadata).toEqual(oldConfigMap("cm-2", "u-2").metadata);
});

test("lists of both layouts: whole items, selectors with and without pages, Table rows", async () => {
  const singles = new Map<string, unknown>();
  for (const name of ["cm-1", "cm-2", "cm-new", "dependent"]) {
    const { kind, apiVersion, ...item } = (await s.json("GET", `${cms}/${name}`)).body;
    singles.set(name, item);
  }
  const list = (await s.json("GET", cms)).body;
  expect(list.items).toEqual([...singles.values()]);
  for (const query of ["labelSelector=tier%3Db", "labelSelector=tier%3Db&limit=1"]) {
    const filtered = (await s.json("GET", `${cms}?${query}`)).body;
    expect(filtered.items[0]).toEqual(singles.get("cm-2"));
  }
  const table = (await s.json("GET", cms, { headers: { accept: tableAccept } })).body;
  expect(table.rows.map((r: { cells: unknown[] }) => r.cells.slice(0, 2))).toEqual([["cm-1", 1], ["cm-2", 1], ["cm-new", 1], ["dependent", 1]]);
  const { resourceVersion, ...partial } = table.rows[1].object.metadata;
  expect(partial).toEqual(oldConfigMap("cm-2", "u-2").metadata);
  expect(table.rows[1].object.metadata.managedFields).toEqual(managedFields);
});

test("a patched older object is stored again and reads back with the change", async () => {
  const patched = await s.json("PATCH", `${cms}/cm-2`, { body: { data: { k: "patched" } }, headers: { "content-type": "application/merge-patch+json" } });
  expect(patched.status).toBe(200);
  const { body } = await s.json("GET", `${cms}/cm-2`);
  expect(body.data).toEqual({ k: "patched" });
  expect(body.metadata.labels).toEqual({ tier: "b" });
  expect((await s.json("GET", `${cms}?labelSelector=tier%3Db`)).body.items.map((i: { metadata: { name: string } }) => i.metadata.name)).toEqual(["cm-2", "cm-new", "dependent"]);
});

test("the garbage collector follows owner references written in the older layout", async () => {
  expect((await s.request("DELETE", `${cms}/cm-1`)).status).toBe(200);
  expect(await eventually(async () => (await s.request("GET", `${cms}/dependent`)).status === 404)).toBe(true);
});
