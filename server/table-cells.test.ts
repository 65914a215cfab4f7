// Kept Table cells must print exactly what printing the object afresh prints, at any later time.
import { describe, expect, test } from "bun:test";
import { defaultCatalog } from "./registry/catalog.ts";
import { decodeWithoutManagedFields, encodeForStorage } from "./registry/stored-form.ts";
import { printerFor } from "./printers/index.ts";
import { objectAge } from "./printers/format.ts";
import type { TablePrinter } from "./printers/index.ts";
import type { KubeObject, ResourceType } from "./registry/resource-type.ts";
import { maxKeptRows, rowCellsJson } from "./table-cells.ts";

const catalog = defaultCatalog();
const t0 = new Date("2026-06-01T12:00:00Z");
const later = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
const stamp = (secondsBefore: number) => new Date(t0.getTime() - secondsBefore * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");

let keys = 0;
function entry(t: ResourceType, obj: KubeObject, modRevision = 5) {
  return { key: `/registry/test/${keys++}`, value: encodeForStorage(t, obj), createRevision: 5, modRevision };
}

/** Prints the row at each time through the kept cells, counting decodes, and checks it against printing afresh. */
function rowsAt(t: ResourceType, kv: ReturnType<typeof entry>, times: Date[], printer: TablePrinter = printerFor(t.group, t.resource)) {
  let decodes = 0;
  for (const now of times) {
    const text = rowCellsJson(t, printer, now, kv, () => (decodes++, decodeWithoutManagedFields(t, kv)));
    const obj = decodeWithoutManagedFields(t, kv);
    const conditions = printer.conditions?.(obj);
    expect(JSON.parse(`${text}}`)).toEqual(JSON.parse(JSON.stringify({ cells: printer.cells(obj, now), ...(conditions ? { conditions } : {}) })));
  }
  return decodes;
}

const times = [t0, later(1), later(59), later(3 * 3600), later(9 * 86400)];

describe("kept Table cells", () => {
  const configMaps = catalog.lookup("", "v1", "configmaps")!;
  const pods = catalog.lookup("", "v1", "pods")!;
  const jobs = catalog.lookup("batch", "v1", "jobs")!;
  const configMap = (metadata: Record<string, unknown>): KubeObject => ({ kind: "ConfigMap", apiVersion: "v1", metadata, data: { a: "1" } });

  test("a row whose only time is its age is printed once and its age filled in at every later time", () => {
    const kv = entry(configMaps, configMap({ name: "c", creationTimestamp: stamp(30) }));
    expect(rowsAt(configMaps, kv, times)).toBe(1);
  });

  test("each resource type (a version of a resource may decode differently) keeps its own rows", () => {
    const kv = entry(configMaps, configMap({ name: "c", creationTimestamp: stamp(30) }));
    const anotherVersion: ResourceType = { ...configMaps, version: "v2" };
    expect(rowsAt(configMaps, kv, [t0, later(1)])).toBe(1);
    expect(rowsAt(anotherVersion, kv, [t0, later(1)], printerFor("", "configmaps"))).toBe(1);
  });

  test("a new revision of the object is printed again", () => {
    const first = entry(configMaps, configMap({ name: "c", creationTimestamp: stamp(30) }), 5);
    expect(rowsAt(configMaps, first, [t0, later(5)])).toBe(1);
    const changed = { ...first, value: encodeForStorage(configMaps, { ...configMap({ name: "c", creationTimestamp: stamp(30) }), data: { a: "1", b: "2" } }), modRevision: 6 };
    expect(rowsAt(configMaps, changed, [later(6), later(7)])).toBe(1);
  });

  test("rows that read the time otherwise are printed afresh every time", () => {
    const restarted: KubeObject = {
      kind: "Pod",
      apiVersion: "v1",
      metadata: { name: "p", creationTimestamp: stamp(600) },
      spec: { containers: [{ name: "c", image: "i" }] },
      status: { phase: "Running", containerStatuses: [{ name: "c", ready: true, restartCount: 2, state: { running: {} }, lastState: { terminated: { exitCode: 1, finishedAt: stamp(90) } } }] },
    };
    expect(rowsAt(pods, entry(pods, restarted), times)).toBe(times.length);
    const running: KubeObject = { kind: "Job", apiVersion: "batch/v1", metadata: { name: "j", creationTimestamp: stamp(100) }, spec: { template: { spec: { containers: [{ name: "c", image: "i" }] } } }, status: { startTime: stamp(90), active: 1 } };
    expect(rowsAt(jobs, entry(jobs, running), times)).toBe(times.length);
    const unknownAge = entry(configMaps, configMap({ name: "c" }));
    expect(rowsAt(configMaps, unknownAge, times)).toBe(times.length);
    const unreadableAge = entry(configMaps, configMap({ name: "c", creationTimestamp: "yesterday" }));
    expect(rowsAt(configMaps, unreadableAge, times)).toBe(times.length);
  });

  test("a pod without restarts is kept", () => {
    const pod: KubeObject = { kind: "Pod", apiVersion: "v1", metadata: { name: "p", creationTimestamp: stamp(5) }, spec: { containers: [{ name: "c", image: "i" }], nodeName: "n" }, status: { phase: "Pending" } };
    expect(rowsAt(pods, entry(pods, pod), times)).toBe(1);
  });

  test("an age that is only part of a cell is never kept", () => {
    const printer: TablePrinter = { columns: [], cells: (obj, now) => [obj.metadata.name, `up ${objectAge(obj, now)}`, objectAge(obj, now)] };
    expect(rowsAt(configMaps, entry(configMaps, configMap({ name: "c", creationTimestamp: stamp(30) })), times, printer)).toBe(times.length);
  });

  test("beyond the bound the oldest rows are printed again", () => {
    const printer: TablePrinter = { columns: [], cells: (obj, now) => [obj.metadata.name, objectAge(obj, now)] };
    const first = entry(configMaps, configMap({ name: "c0", creationTimestamp: stamp(30) }));
    expect(rowsAt(configMaps, first, [t0], printer)).toBe(1);
    for (let i = 1; i <= maxKeptRows; i++) rowCellsJson(configMaps, printer, t0, { ...first, key: `/registry/bound/${i}` }, () => decodeWithoutManagedFields(configMaps, first));
    expect(rowsAt(configMaps, first, [later(1)], printer)).toBe(1);
  });
});
