// Responses spliced from stored text must say exactly what decoding the object and encoding it
// again would: same document, with kind, apiVersion and the store's resourceVersion.
import { describe, expect, test } from "bun:test";
import { defaultCatalog } from "./catalog.ts";
import { decodeWithoutManagedFields, decodeMetadata, decodeObject, encodeForStorage, pushListItem, pushStoredMetadata, storedObjectJson } from "./stored-form.ts";
import { tableRowJson, tableRows } from "../table.ts";
import type { KubeObject, ResourceType } from "./resource-type.ts";

const catalog = defaultCatalog();
const pods = catalog.lookup("", "v1", "pods")!;
const configMaps = catalog.lookup("", "v1", "configmaps")!;
const eventsV1 = catalog.lookup("events.k8s.io", "v1", "events")!;

function stored(value: string, modRevision = 42) {
  return { key: "/registry/x", value, createRevision: 7, modRevision };
}

/** How objects were stored before the metadata-last layout; data directories still hold such text. */
function encodeMetadataFirst(t: ResourceType, obj: KubeObject): string {
  const { kind, apiVersion, metadata, ...rest } = t.toStorage ? t.toStorage(obj) : obj;
  const { resourceVersion, ...meta } = metadata ?? {};
  return JSON.stringify({ metadata: meta, ...rest });
}

const layouts: [string, (t: ResourceType, obj: KubeObject) => string][] = [
  ["metadata last, as written now", encodeForStorage],
  ["metadata first, as older data directories hold", encodeMetadataFirst],
];

describe.each(layouts)("stored text spliced into responses (%s)", (_layout, encodeForStorage) => {
  const pod: KubeObject = {
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name: "p", namespace: "default", uid: "u-1", resourceVersion: "3", labels: { "a\"b": "ü\n" }, creationTimestamp: "2026-01-02T03:04:05Z" },
    spec: { containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "echo {\"x\":1}"] }] },
    status: { phase: "Pending" },
  };

  test("one object: the decoded object's JSON, kind and apiVersion first, with the store's resourceVersion", () => {
    const kv = stored(encodeForStorage(pods, pod));
    const text = storedObjectJson(pods, kv)!.join("");
    expect(JSON.parse(text)).toEqual(decodeObject(pods, kv));
    expect(JSON.parse(text).metadata.resourceVersion).toBe("42");
    expect(text.startsWith('{"kind":"Pod","apiVersion":"v1","metadata":{')).toBe(true);
  });

  test("a list item: the same without kind and apiVersion; empty metadata is still valid JSON", () => {
    const kv = stored(encodeForStorage(pods, pod));
    const parts: string[] = [];
    pushListItem(pods, kv, parts);
    const { kind, apiVersion, ...item } = decodeObject(pods, kv);
    expect(JSON.parse(parts.join(""))).toEqual(item);
    const bare = stored(encodeForStorage(configMaps, { kind: "ConfigMap", apiVersion: "v1", metadata: {} }), 5);
    expect(JSON.parse(storedObjectJson(configMaps, bare)!.join(""))).toEqual({ kind: "ConfigMap", apiVersion: "v1", metadata: { resourceVersion: "5" } });
  });

  test("types stored in another shape are decoded instead", () => {
    const event = { kind: "Event", apiVersion: "events.k8s.io/v1", metadata: { name: "e", namespace: "default" }, reason: "Started", note: "hi", eventTime: "2026-01-02T03:04:05.000000Z" };
    const kv = stored(encodeForStorage(eventsV1, event));
    expect(storedObjectJson(eventsV1, kv)).toBeUndefined();
    const parts: string[] = [];
    pushListItem(eventsV1, kv, parts);
    const { kind, apiVersion, ...item } = decodeObject(eventsV1, kv);
    expect(JSON.parse(parts.join(""))).toEqual(item);
  });

  test("metadata cut from the text: strings with quotes, backslashes and braces do not end it early", () => {
    const tricky = {
      ...pod,
      metadata: {
        ...pod.metadata,
        annotations: { a: 'say "}" and {"x":[1,2]}', b: "ends with a backslash \\", c: '\\"}', d: "" },
        ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o", uid: "u" }],
      },
    };
    const metadataOf = (t: typeof pods, kv: ReturnType<typeof stored>) => {
      const parts: string[] = [];
      expect(pushStoredMetadata(t, kv, parts)).toBe(true);
      return JSON.parse(parts.join(""));
    };
    const kv = stored(encodeForStorage(pods, tricky), 9);
    expect(metadataOf(pods, kv)).toEqual(decodeObject(pods, kv).metadata);
    const empty = stored(encodeForStorage(configMaps, { kind: "ConfigMap", apiVersion: "v1", metadata: {}, data: { k: "}" } }), 3);
    expect(metadataOf(configMaps, empty)).toEqual({ resourceVersion: "3" });
    expect(pushStoredMetadata(eventsV1, stored(encodeForStorage(eventsV1, { kind: "Event", apiVersion: "events.k8s.io/v1", metadata: { name: "e" } })), [])).toBe(false);
  });

  test("Table rows built from stored text are the rows tableRows gives, for every includeObject", () => {
    const kv = stored(encodeForStorage(pods, pod));
    const obj = decodeObject(pods, kv);
    for (const includeObject of ["None", "Metadata", "Object"] as const) {
      for (const version of ["v1", "v1beta1"]) {
        const opts = { version, includeObject };
        const expected = tableRows(pods, opts)(obj);
        for (const from of [kv, undefined]) {
          const parts: string[] = [];
          tableRowJson(pods, opts)(obj, from, parts);
          expect(JSON.parse(parts.join(""))).toEqual(JSON.parse(JSON.stringify(expected)));
        }
      }
    }
  });

  test("objects decoded for display lack metadata.managedFields and nothing else, wherever it sits", () => {
    const managedFields = [{ manager: "kubectl", operation: "Update", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": { "f:labels": { ".": {}, "f:x": {} } }, "f:spec": {} } }];
    const { name, ...restMeta } = pod.metadata;
    const variants: KubeObject[] = [
      { ...pod, metadata: { managedFields, ...pod.metadata } },
      { ...pod, metadata: { name, managedFields, ...restMeta } },
      { ...pod, metadata: { ...pod.metadata, managedFields } },
      { ...pod, metadata: { managedFields } },
      { ...pod, metadata: { ...pod.metadata, annotations: { managedFields: "[not the field]" } } },
    ];
    for (const variant of variants) {
      const kv = stored(encodeForStorage(pods, variant));
      const { managedFields: _dropped, ...expectedMeta } = decodeObject(pods, kv).metadata;
      expect(decodeWithoutManagedFields(pods, kv)).toEqual({ ...decodeObject(pods, kv), metadata: expectedMeta });
    }
  });

  test("metadata alone, parsed from its slice of the text, is the decoded object's (bar resourceVersion and managedFields)", () => {
    const managedFields = [{ manager: "m", operation: "Update", fieldsType: "FieldsV1", fieldsV1: { "f:metadata": {} } }];
    const owned = { ...pod, metadata: { ...pod.metadata, ownerReferences: [{ apiVersion: "v1", kind: "X", name: "o", uid: "u" }], finalizers: ["f"], managedFields } };
    const kv = stored(encodeForStorage(pods, owned));
    const { resourceVersion, managedFields: _dropped, ...expected } = decodeObject(pods, kv).metadata;
    expect(decodeMetadata(pods, kv)).toEqual(expected);
    const event = stored(encodeForStorage(eventsV1, { kind: "Event", apiVersion: "events.k8s.io/v1", metadata: { name: "e", namespace: "default", managedFields }, note: "n" }));
    expect(decodeMetadata(eventsV1, event)).toEqual({ name: "e", namespace: "default" });
  });
});

describe("the layout the writer picks", () => {
  const deployments = catalog.lookup("apps", "v1", "deployments")!;
  const managedFields = [{ manager: "m", operation: "Update", apiVersion: "v1", fieldsType: "FieldsV1", fieldsV1: { "f:spec": {} } }];

  /** Every reader of the stored text gives what decoding the whole object gives. */
  function expectReadersAgree(t: ResourceType, value: string): void {
    const kv = stored(value, 11);
    const whole = decodeObject(t, kv);
    expect(JSON.parse(storedObjectJson(t, kv)!.join(""))).toEqual(whole);
    const item: string[] = [];
    pushListItem(t, kv, item);
    expect(JSON.parse(item.join(""))).toEqual((({ kind, apiVersion, ...rest }) => rest)(whole));
    const meta: string[] = [];
    expect(pushStoredMetadata(t, kv, meta)).toBe(true);
    expect(JSON.parse(meta.join(""))).toEqual(whole.metadata);
    const { managedFields: _dropped, ...lean } = whole.metadata;
    const { resourceVersion, ...leanWithoutRevision } = lean;
    expect(decodeMetadata(t, kv)).toEqual(leanWithoutRevision);
    expect(decodeWithoutManagedFields(t, kv)).toEqual({ ...whole, metadata: lean });
  }

  test("metadata last, managedFields last in it, when the searches find them", () => {
    const deployment: KubeObject = {
      kind: "Deployment",
      apiVersion: "apps/v1",
      metadata: { managedFields, name: "d", labels: { metadata: "x", managedFields: "y" }, unknown: { a: 1, metadata: {} } },
      spec: { template: { metadata: { labels: { a: "b" } } }, extra: { a: 1, managedFields: [{ c: 3 }] } },
    };
    const value = encodeForStorage(deployments, deployment);
    expect(value.startsWith('{"spec":')).toBe(true);
    expect(value.endsWith(`,"managedFields":${JSON.stringify(managedFields)}}}`)).toBe(true);
    expectReadersAgree(deployments, value);
    expect(decodeWithoutManagedFields(deployments, stored(value)).spec.extra.managedFields).toEqual([{ c: 3 }]);
  });

  test("metadata first when the searches would be misled", () => {
    const misleading: KubeObject[] = [
      { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "c", managedFields }, data: { k: "v" }, extra: { a: 1, metadata: { b: 2 } } },
      { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "c", unknown: { a: 1, managedFields: [] } }, data: { k: "v" } },
      { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "c", unknown: { a: 1, managedFields: [] }, managedFields }, data: { k: "v" } },
      { kind: "ConfigMap", apiVersion: "v1", metadata: { name: "c", managedFields: null }, data: { k: "v" } },
    ];
    for (const obj of misleading) {
      const value = encodeForStorage(configMaps, obj);
      expect(value.startsWith('{"metadata":{"name":"c"')).toBe(true);
      expectReadersAgree(configMaps, value);
    }
  });

  test("whichever layout it picks, the readers agree (random objects full of the searched-for keys)", () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const keys = ["metadata", "managedFields", "a", '"metadata"', ',"metadata":{', '"managedFields":['];
    const value = (depth: number): unknown => {
      const kind = random(depth > 3 ? 3 : 6);
      if (kind === 0) return keys[random(keys.length)];
      if (kind === 1) return random(10);
      if (kind === 2) return null;
      if (kind === 3) return [value(depth + 1), value(depth + 1)];
      const obj: Record<string, unknown> = {};
      for (let i = random(4); i > 0; i--) obj[keys[random(keys.length)]!] = value(depth + 1);
      return obj;
    };
    const picked = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const metadata = { name: "c", ...(value(1) as object), ...(random(2) ? { managedFields: random(4) ? managedFields : value(2) } : {}) } as KubeObject["metadata"];
      const obj = { kind: "ConfigMap", apiVersion: "v1", metadata, ...(value(0) as object) } as KubeObject;
      const text = encodeForStorage(configMaps, obj);
      picked.add(text.startsWith('{"metadata":') ? "first" : "last");
      expectReadersAgree(configMaps, text);
    }
    expect([...picked].sort()).toEqual(["first", "last"]);
  });

  test("an object with nothing but metadata reads the same in both layouts", () => {
    for (const metadata of [{ name: "c", managedFields }, { managedFields }, { name: "c" }, {}]) {
      const value = encodeForStorage(configMaps, { kind: "ConfigMap", apiVersion: "v1", metadata });
      expect(value).toBe(encodeMetadataFirst(configMaps, { kind: "ConfigMap", apiVersion: "v1", metadata }));
      expectReadersAgree(configMaps, value);
    }
  });
});
