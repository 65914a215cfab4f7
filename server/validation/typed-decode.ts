// Decoding a JSON object into a schema type the way kube-apiserver's Go decoder does: values of
// the wrong JSON type fail with Go's message (`json: cannot unmarshal number into Go struct
// field ObjectMeta.metadata.name of type string`), unknown fields are dropped (and reported
// with their strict-decoding path, `spec.containers[0].imagee`), nulls become absent.
import { schemaType, type FieldSchema, type ScalarType, type TypeRef, type TypeSchema } from "../../api/schema/index.ts";
import { decodeQuantity } from "./quantity.ts";

type JsonMap = Record<string, unknown>;

/** A body that Go's decoder would reject; the message is the decoder's. */
export class TypedDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TypedDecodeError";
  }
}

interface Walk {
  unknown: string[];
  error?: string;
}

/** Where a value sits, built as the walk descends and rendered only when reported. */
interface Where {
  up?: Where;
  name: string;
  kind: "field" | "index" | "key";
}

/** The strict-decoding path: `spec.containers[0].imagee`. */
function strictPath(w: Where): string {
  const head = w.up ? strictPath(w.up) : "";
  if (w.kind === "index") return `${head}[${w.name}]`;
  return head ? `${head}.${w.name}` : w.name;
}

/** The decoder's error-context path: struct fields only (`spec.containers.image`). */
function goPath(w: Where | undefined): string {
  if (!w) return "";
  const head = goPath(w.up);
  if (w.kind !== "field") return head;
  return head ? `${head}.${w.name}` : w.name;
}

/**
 * Decodes `obj` (a served kind) against `type` in place and returns the paths of unknown
 * fields, which are removed. Throws TypedDecodeError with the first type error.
 */
export function decodeAgainstSchema(type: TypeSchema, obj: JsonMap): string[] {
  const walk: Walk = { unknown: [] };
  walkStruct(type, obj, undefined, walk, true);
  if (walk.error) throw new TypedDecodeError(walk.error);
  return walk.unknown;
}

function isMap(v: unknown): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (v === null) return "null";
  if (typeof v === "boolean") return "bool";
  return typeof v === "object" ? "object" : typeof v;
}

function fail(walk: Walk, message: string): void {
  walk.error ??= message;
}

function mismatch(walk: Walk, what: string, structName: string, where: Where, ref: TypeRef): void {
  if (walk.error) return;
  fail(walk, `json: cannot unmarshal ${what} into Go struct field ${structName}.${goPath(where)} of type ${goType(ref)}`);
}

const fieldIndexes = new WeakMap<TypeSchema, Map<string, FieldSchema>>();

/** A type's JSON fields by name, indexed once per type. */
function fieldNamed(t: TypeSchema, name: string): FieldSchema | undefined {
  let index = fieldIndexes.get(t);
  if (!index) fieldIndexes.set(t, (index = new Map(t.jsonFields.map((f) => [f.name, f]))));
  return index.get(name);
}

function walkStruct(t: TypeSchema, obj: JsonMap, at: Where | undefined, walk: Walk, top = false): void {
  for (const key in obj) {
    if (top && (key === "apiVersion" || key === "kind")) continue;
    const where: Where = { up: at, name: key, kind: "field" };
    const f = fieldNamed(t, key);
    if (!f) {
      walk.unknown.push(strictPath(where));
      delete obj[key];
      continue;
    }
    const value = obj[key];
    if (value === null) {
      delete obj[key];
      continue;
    }
    const decoded = walkValue(f.type, value, where, t.shortName, walk);
    if (decoded !== value) obj[key] = decoded;
  }
}

function walkValue(ref: TypeRef, value: unknown, where: Where, structName: string, walk: Walk): unknown {
  switch (ref.kind) {
    case "scalar":
      checkScalar(ref, value, walk, structName, where);
      return value;
    case "array":
      if (!Array.isArray(value)) {
        mismatch(walk, jsonKind(value), structName, where, ref);
        return value;
      }
      for (let i = 0; i < value.length; i++) {
        const item = value[i];
        const decoded = item === null ? zeroOf(ref.items) : walkValue(ref.items, item, { up: where, name: String(i), kind: "index" }, structName, walk);
        if (decoded !== item) value[i] = decoded;
      }
      return value;
    case "map":
      if (!isMap(value)) {
        mismatch(walk, jsonKind(value), structName, where, ref);
        return value;
      }
      for (const k in value) {
        const item = value[k];
        const decoded = item === null ? zeroOf(ref.values) : walkValue(ref.values, item, { up: where, name: k, kind: "key" }, structName, walk);
        if (decoded !== item) value[k] = decoded;
      }
      return value;
    case "ref": {
      const t = schemaType(ref.name);
      if (!t) return value;
      if (t.special) return walkSpecial(t, value, where, structName, walk);
      if (!isMap(value)) {
        mismatch(walk, jsonKind(value), structName, where, ref);
        return value;
      }
      walkStruct(t, value, where, walk);
      return value;
    }
  }
}

function checkScalar(ref: Extract<TypeRef, { kind: "scalar" }>, value: unknown, walk: Walk, structName: string, where: Where): void {
  const report = (what: string) => mismatch(walk, what, structName, where, ref);
  switch (ref.scalar) {
    case "string":
      if (typeof value !== "string") report(jsonKind(value));
      return;
    case "bool":
      if (typeof value !== "boolean") report(jsonKind(value));
      return;
    case "double":
      if (typeof value !== "number") report(jsonKind(value));
      return;
    case "int32":
    case "int64": {
      if (typeof value !== "number") return report(jsonKind(value));
      const limit = ref.scalar === "int32" ? 2 ** 31 : 2 ** 63;
      if (!Number.isInteger(value) || value >= limit || value < -limit) report(`number ${value}`);
      return;
    }
    case "bytes":
      if (typeof value !== "string") return report(jsonKind(value));
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) fail(walk, `illegal base64 data at input byte ${base64ErrorOffset(value)}`);
      return;
    case "any":
      return;
  }
}

/** Where Go's base64 decoder gives up on a string. */
function base64ErrorOffset(s: string): number {
  const bad = s.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const pad = s.indexOf("=");
  if (pad >= 0 && pad < s.length - 2) return pad;
  return Math.max(0, s.length - (s.length % 4 || 4));
}

const stringRef: TypeRef = { kind: "scalar", scalar: "string" };
const int32Ref: TypeRef = { kind: "scalar", scalar: "int32" };

function walkSpecial(t: TypeSchema, value: unknown, where: Where, structName: string, walk: Walk): unknown {
  switch (t.special) {
    case "time":
    case "microtime":
      if (typeof value !== "string") mismatch(walk, jsonKind(value), structName, where, stringRef);
      else if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
        fail(walk, `parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05Z07:00": cannot parse ${JSON.stringify(value)} as "2006"`);
      }
      return value;
    case "duration":
      if (typeof value !== "string") mismatch(walk, jsonKind(value), structName, where, stringRef);
      return value;
    case "quantity": {
      if (typeof value === "string" && /^[0-9]+(\.[0-9]+)?([KMGTPE]i|[numkMGTPE])?$/.test(value)) return value;
      const q = decodeQuantity(value);
      if ("error" in q) fail(walk, q.error);
      return "value" in q ? q.value : value;
    }
    case "intorstring":
      if (typeof value === "string") return value;
      if (typeof value !== "number") mismatch(walk, jsonKind(value), structName, where, int32Ref);
      else if (!Number.isInteger(value) || Math.abs(value) >= 2 ** 31) mismatch(walk, `number ${value}`, structName, where, int32Ref);
      return value;
    case "stringlist":
      if (!Array.isArray(value)) mismatch(walk, jsonKind(value), structName, where, { kind: "array", items: stringRef });
      else value.forEach((v) => checkScalar(stringRef as Extract<TypeRef, { kind: "scalar" }>, v, walk, structName, where));
      return value;
    default:
      return value;
  }
}

/** The JSON of a Go zero value, for null list items and map values. */
function zeroOf(ref: TypeRef): unknown {
  if (ref.kind === "scalar") return ref.scalar === "string" || ref.scalar === "bytes" ? "" : ref.scalar === "bool" ? false : ref.scalar === "any" ? null : 0;
  if (ref.kind === "ref") {
    const t = schemaType(ref.name);
    return t?.special ? null : {};
  }
  return null;
}

/** The Go type name upstream's messages use: `string`, `[]v1.Container`, `v1.ResourceList`. */
export function goType(ref: TypeRef): string {
  switch (ref.kind) {
    case "scalar":
      return { string: "string", int32: "int32", int64: "int64", bool: "bool", double: "float64", bytes: "[]uint8", any: "interface {}" }[ref.scalar];
    case "array":
      return `[]${goType(ref.items)}`;
    case "map":
      if (ref.values.kind === "ref" && ref.values.name.endsWith(".Quantity")) return "v1.ResourceList";
      return `map[string]${goType(ref.values)}`;
    case "ref": {
      const parts = ref.name.split(".");
      return `${parts[parts.length - 2]}.${parts[parts.length - 1]}`;
    }
  }
}
