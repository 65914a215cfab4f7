// Schema-driven protobuf ⇄ JSON conversion for Kubernetes messages. Proto2 semantics: a
// decoded zero scalar is dropped unless the field is required or a Go pointer, the way
// kube-apiserver's JSON output omits empty `omitempty` values.
import { schemaType } from "../schema/registry.ts";
import type { FieldSchema, ScalarType, TypeRef, TypeSchema } from "../schema/types.ts";
import { decodeSpecial, encodeSpecial } from "./special.ts";
import { ProtoReader, ProtoWriter, ProtobufError, WireType } from "./wire.ts";

type JsonObject = Record<string, unknown>;

const maxDepth = 64;
const byNumberCache = new WeakMap<TypeSchema, Map<number, FieldSchema>>();
const sortedCache = new WeakMap<TypeSchema, FieldSchema[]>();

/** Decodes one message of type `t` into its JSON object. */
export function decodeMessage(t: TypeSchema, bytes: Uint8Array, depth = 0): JsonObject {
  if (depth > maxDepth) throw new ProtobufError("message nesting is too deep");
  if (!t.protobuf) throw new ProtobufError(`${t.shortName} has no protobuf form`);
  const out: JsonObject = {};
  const fields = fieldsByNumber(t);
  const r = new ProtoReader(bytes);
  while (!r.done()) {
    const [number, wire] = r.tag();
    const f = fields.get(number);
    if (f) readField(f, r, wire, out, depth);
    else r.skip(wire);
  }
  return out;
}

/** Encodes a JSON object as a message of type `t`; fields the type does not know are dropped. */
export function encodeMessage(t: TypeSchema, obj: JsonObject, depth = 0): Uint8Array {
  if (depth > maxDepth) throw new ProtobufError("object nesting is too deep");
  if (!t.protobuf) throw new ProtobufError(`${t.shortName} has no protobuf form`);
  const w = new ProtoWriter();
  for (const f of fieldsInOrder(t)) {
    if (f.inline) {
      w.tag(f.number, WireType.bytes).bytes(encodeMessage(refType(f.type), obj, depth + 1));
      continue;
    }
    const value = obj[f.name];
    if (value !== undefined && value !== null) writeValue(f.number, f.type, value, w, depth);
  }
  return w.finish();
}

function readField(f: FieldSchema, r: ProtoReader, wire: number, out: JsonObject, depth: number): void {
  const type = f.type;
  if (type.kind === "scalar") {
    const value = readScalar(type.scalar, r, wire);
    if (f.required || f.pointer || !isZero(value)) out[f.name] = value;
    return;
  }
  if (type.kind === "ref") {
    const inner = refType(type);
    const bytes = expectBytes(r, wire);
    if (f.inline) {
      Object.assign(out, decodeMessage(inner, bytes, depth + 1));
      return;
    }
    const value = inner.special ? decodeSpecial(inner.special, bytes) : decodeMessage(inner, bytes, depth + 1);
    if (value !== undefined) out[f.name] = value;
    return;
  }
  if (type.kind === "array") {
    const list = (out[f.name] ??= []) as unknown[];
    const items = type.items;
    if (items.kind === "scalar" && wire === WireType.bytes && items.scalar !== "string" && items.scalar !== "bytes") {
      const packed = new ProtoReader(r.bytes());
      const itemWire = items.scalar === "double" ? WireType.fixed64 : WireType.varint;
      while (!packed.done()) list.push(readScalar(items.scalar, packed, itemWire));
      return;
    }
    list.push(readValue(items, r, wire, depth));
    return;
  }
  const map = (out[f.name] ??= {}) as JsonObject;
  const entry = new ProtoReader(expectBytes(r, wire));
  let key = "";
  let value: unknown = defaultValue(type.values);
  while (!entry.done()) {
    const [number, entryWire] = entry.tag();
    if (number === 1) key = readScalar("string", entry, entryWire) as string;
    else if (number === 2) value = readValue(type.values, entry, entryWire, depth);
    else entry.skip(entryWire);
  }
  map[key] = value;
}

function readValue(type: TypeRef, r: ProtoReader, wire: number, depth: number): unknown {
  if (type.kind === "scalar") return readScalar(type.scalar, r, wire);
  if (type.kind !== "ref") throw new ProtobufError("nested lists and maps are not protobuf fields");
  const inner = refType(type);
  const bytes = expectBytes(r, wire);
  return inner.special ? (decodeSpecial(inner.special, bytes) ?? null) : decodeMessage(inner, bytes, depth + 1);
}

function readScalar(scalar: ScalarType, r: ProtoReader, wire: number): unknown {
  switch (scalar) {
    case "string":
      expectWire(wire, WireType.bytes);
      return r.string();
    case "bytes":
      expectWire(wire, WireType.bytes);
      return Buffer.from(r.bytes()).toString("base64");
    case "int32":
      expectWire(wire, WireType.varint);
      return r.int32();
    case "int64":
      expectWire(wire, WireType.varint);
      return r.int64();
    case "bool":
      expectWire(wire, WireType.varint);
      return r.bool();
    case "double":
      expectWire(wire, WireType.fixed64);
      return r.double();
    default:
      throw new ProtobufError("field has no protobuf form");
  }
}

function writeValue(number: number, type: TypeRef, value: unknown, w: ProtoWriter, depth: number): void {
  switch (type.kind) {
    case "scalar":
      writeScalar(number, type.scalar, value, w);
      return;
    case "ref": {
      const inner = refType(type);
      const bytes = inner.special ? encodeSpecial(inner.special, value) : encodeMessage(inner, asObject(value, inner), depth + 1);
      w.tag(number, WireType.bytes).bytes(bytes);
      return;
    }
    case "array":
      if (!Array.isArray(value)) throw new ProtobufError(`expected a list for field ${number}`);
      for (const item of value) writeValue(number, type.items, item, w, depth);
      return;
    case "map":
      for (const key of Object.keys(asObject(value)).sort()) {
        const entry = new ProtoWriter();
        entry.tag(1, WireType.bytes).string(key);
        const item = (value as JsonObject)[key];
        if (item !== undefined && item !== null) writeValue(2, type.values, item, entry, depth);
        w.tag(number, WireType.bytes).bytes(entry.finish());
      }
  }
}

function writeScalar(number: number, scalar: ScalarType, value: unknown, w: ProtoWriter): void {
  switch (scalar) {
    case "string":
      w.tag(number, WireType.bytes).string(String(value));
      return;
    case "bytes":
      w.tag(number, WireType.bytes).bytes(Buffer.from(String(value), "base64"));
      return;
    case "int32":
    case "int64":
      w.tag(number, WireType.varint).varint(toNumber(value));
      return;
    case "bool":
      w.tag(number, WireType.varint).varint(value ? 1 : 0);
      return;
    case "double":
      w.tag(number, WireType.fixed64).double(toNumber(value));
      return;
    default:
      throw new ProtobufError("field has no protobuf form");
  }
}

function toNumber(value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new ProtobufError(`expected a number, got ${JSON.stringify(value)}`);
  return n;
}

function asObject(value: unknown, t?: TypeSchema): JsonObject {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new ProtobufError(`expected an object${t ? ` for ${t.shortName}` : ""}`);
  return value as JsonObject;
}

function isZero(value: unknown): boolean {
  return value === "" || value === 0 || value === false;
}

function defaultValue(type: TypeRef): unknown {
  if (type.kind === "ref") {
    const inner = refType(type);
    return inner.special ? (decodeSpecial(inner.special, new Uint8Array()) ?? null) : {};
  }
  if (type.kind !== "scalar") return null;
  if (type.scalar === "string" || type.scalar === "bytes") return "";
  return type.scalar === "bool" ? false : 0;
}

function expectWire(actual: number, expected: number): void {
  if (actual !== expected) throw new ProtobufError(`wire type ${actual} where ${expected} was expected`);
}

function expectBytes(r: ProtoReader, wire: number): Uint8Array {
  expectWire(wire, WireType.bytes);
  return r.bytes();
}

function refType(type: TypeRef): TypeSchema {
  const t = type.kind === "ref" ? schemaType(type.name) : undefined;
  if (!t) throw new ProtobufError(`unknown type ${type.kind === "ref" ? type.name : type.kind}`);
  return t;
}

function fieldsByNumber(t: TypeSchema): Map<number, FieldSchema> {
  let map = byNumberCache.get(t);
  if (!map) {
    map = new Map(t.fields.filter((f) => f.number > 0).map((f) => [f.number, f]));
    byNumberCache.set(t, map);
  }
  return map;
}

function fieldsInOrder(t: TypeSchema): FieldSchema[] {
  let list = sortedCache.get(t);
  if (!list) {
    list = t.fields.filter((f) => f.number > 0).sort((a, b) => a.number - b.number);
    sortedCache.set(t, list);
  }
  return list;
}
