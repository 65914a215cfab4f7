import { describe, expect, test } from "bun:test";
import { kindType } from "../../api/schema/index.ts";
import { duplicateJsonKeys } from "./duplicates.ts";
import { quantityError } from "./quantity.ts";
import { immutableFieldErrors, schemaFieldErrors, withSchemaErrors } from "./schema-checks.ts";
import { decodeAgainstSchema, goType, TypedDecodeError } from "./typed-decode.ts";

const podType = kindType("v1", "Pod")!;

function decode(obj: Record<string, unknown>) {
  return { unknown: decodeAgainstSchema(podType, obj), obj };
}

describe("typed decoding", () => {
  test("unknown fields are removed and reported with strict paths", () => {
    const { unknown, obj } = decode({ apiVersion: "v1", kind: "Pod", metadata: { name: "p", Labels: {} }, spec: { containers: [{ name: "c", imagee: "x" }, { name: "d", Image: "y" }] }, extra: 1 });
    expect(unknown).toEqual(["metadata.Labels", "spec.containers[0].imagee", "spec.containers[1].Image", "extra"]);
    expect(obj).toEqual({ apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c" }, { name: "d" }] } });
  });

  test("nulls become absent fields; null list items and map values become zero values", () => {
    const { obj } = decode({ metadata: { name: "p", labels: { a: null }, annotations: null }, spec: { containers: [null], nodeName: null } });
    expect(obj).toEqual({ metadata: { name: "p", labels: { a: "" } }, spec: { containers: [{}] } });
  });

  test("the first type error wins, worded as Go's decoder words it", () => {
    const run = (obj: Record<string, unknown>) => {
      try {
        decodeAgainstSchema(podType, obj);
      } catch (err) {
        expect(err).toBeInstanceOf(TypedDecodeError);
        return (err as Error).message;
      }
      return "no error";
    };
    expect(run({ spec: { containers: [{ name: "c", stdin: "yes" }] } })).toBe("json: cannot unmarshal string into Go struct field Container.spec.containers.stdin of type bool");
    expect(run({ spec: { terminationGracePeriodSeconds: 1.5, hostNetwork: 1 } })).toBe("json: cannot unmarshal number 1.5 into Go struct field PodSpec.spec.terminationGracePeriodSeconds of type int64");
    expect(run({ spec: { containers: [{ name: "c", livenessProbe: { httpGet: { port: true } } }] } })).toBe("json: cannot unmarshal bool into Go struct field HTTPGetAction.spec.containers.livenessProbe.httpGet.port of type int32");
    expect(run({ metadata: { creationTimestamp: "yesterday" } })).toBe('parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"');
    expect(run({ spec: { containers: [{ name: "c", resources: { requests: { cpu: "1.2.3" } } }] } })).toBe("unable to parse quantity's numeric part");
  });

  test("int-or-string and quantities accept both JSON forms", () => {
    const { obj } = decode({ spec: { containers: [{ name: "c", livenessProbe: { httpGet: { port: "http" } }, readinessProbe: { tcpSocket: { port: 80 } }, resources: { limits: { cpu: 2, memory: "1Gi" } } }] } });
    expect((obj.spec as any).containers[0].resources.limits).toEqual({ cpu: "2", memory: "1Gi" });
  });

  test("Go type names", () => {
    expect(goType({ kind: "array", items: { kind: "ref", name: "io.k8s.api.core.v1.Container" } })).toBe("[]v1.Container");
    expect(goType({ kind: "map", values: { kind: "scalar", scalar: "string" } })).toBe("map[string]string");
    expect(goType({ kind: "scalar", scalar: "bytes" })).toBe("[]uint8");
  });
});

describe("duplicate keys", () => {
  test("paths through objects and arrays, with lines", () => {
    const text = '{"a":1,"a":2,\n"spec":{"containers":[{"name":"x"},{"name":"y","name":"z"}]},"s":"{\\"a\\":1,\\"a\\":2}"}';
    expect(duplicateJsonKeys(text)).toEqual([
      { path: "a", key: "a", line: 1 },
      { path: "spec.containers[1].name", key: "name", line: 2 },
    ]);
  });

  test("the parsed value, when given, can only save the scan, never hide a repeat", () => {
    const compact = '{"a":1,"b":{"c":[{"d":2}]}}';
    expect(duplicateJsonKeys(compact, JSON.parse(compact))).toEqual([]);
    const repeated = '{"a":1,"a":2}';
    expect(duplicateJsonKeys(repeated, JSON.parse(repeated))).toEqual([{ path: "a", key: "a", line: 1 }]);
    const spaced = '{"a": 1, "a": 1}';
    expect(duplicateJsonKeys(spaced, { a: 1 })).toEqual([{ path: "a", key: "a", line: 1 }]);
  });
});

describe("quantities", () => {
  test("the three upstream errors", () => {
    expect(quantityError("100Mi")).toBeUndefined();
    expect(quantityError("1e3")).toBeUndefined();
    expect(quantityError("abc")).toStartWith("quantities must match the regular expression");
    expect(quantityError("1.2.3")).toBe("unable to parse quantity's numeric part");
    expect(quantityError("1Mm")).toBe("unable to parse quantity's suffix");
  });
});

describe("schema checks", () => {
  test("required fields and enum values outside status and metadata", () => {
    const pod = { metadata: { name: "" }, spec: { dnsPolicy: "Sometimes", containers: [{ name: "c", ports: [{ name: "p" }], env: [{ value: "x" }] }] }, status: { phase: "Bogus" } };
    expect(schemaFieldErrors(podType, pod)).toEqual([
      { type: "FieldValueNotSupported", field: "spec.dnsPolicy", value: "Sometimes", detail: 'supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"' },
      { type: "FieldValueRequired", field: "spec.containers[0].ports[0].containerPort" },
      { type: "FieldValueRequired", field: "spec.containers[0].env[0].name" },
    ]);
  });

  test("fields a strategy already reported are not reported twice", () => {
    const errors = withSchemaErrors("v1", "Pod", { spec: { containers: [] } }, [{ type: "FieldValueRequired", field: "spec.containers" }]);
    expect(errors).toEqual([{ type: "FieldValueRequired", field: "spec.containers" }]);
  });

  test("set-once node fields", () => {
    const node = (providerID: string) => ({ spec: { providerID } });
    expect(immutableFieldErrors("Node", node("b"), node(""))).toEqual([]);
    expect(immutableFieldErrors("Node", node("b"), node("a"))).toEqual([
      { type: "FieldValueForbidden", field: "spec.providerID", detail: 'node updates may not change providerID except from "" to valid' },
    ]);
  });
});
