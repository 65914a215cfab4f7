// The OpenAPI v2 document in the protobuf form kubectl 1.27/1.28 ask for
// (gnostic openapi_v2.Document). Only the parts kubectl reads are written: paths with their
// operations, parameters and responses, definitions, and vendor extensions (as YAML text;
// JSON is valid YAML).
import { ProtoWriter, WireType } from "../../api/protobuf/wire.ts";

type Json = Record<string, any>;

/** Encodes a v2 (swagger 2.0) JSON document as gnostic protobuf. */
export function encodeGnosticDocument(doc: Json): Uint8Array {
  const w = new ProtoWriter();
  str(w, 1, doc.swagger);
  msg(w, 2, info(doc.info ?? {}));
  const paths = new ProtoWriter();
  for (const [name, item] of Object.entries(doc.paths ?? {})) msg(paths, 2, named(name, pathItem(item as Json)));
  msg(w, 8, paths.finish());
  const definitions = new ProtoWriter();
  for (const [name, s] of Object.entries(doc.definitions ?? {})) msg(definitions, 1, named(name, schema(s as Json)));
  msg(w, 9, definitions.finish());
  return w.finish();
}

function info(i: Json): Uint8Array {
  const w = new ProtoWriter();
  str(w, 1, i.title);
  str(w, 2, i.version);
  return w.finish();
}

const operationFields: Record<string, number> = { get: 2, put: 3, post: 4, delete: 5, options: 6, head: 7, patch: 8 };

function pathItem(item: Json): Uint8Array {
  const w = new ProtoWriter();
  for (const [method, number] of Object.entries(operationFields)) if (item[method]) msg(w, number, operation(item[method]));
  for (const p of item.parameters ?? []) msg(w, 9, parameterItem(p));
  extensions(w, 10, item);
  return w.finish();
}

function operation(op: Json): Uint8Array {
  const w = new ProtoWriter();
  for (const tag of op.tags ?? []) str(w, 1, tag);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  for (const p of op.produces ?? []) str(w, 6, p);
  for (const c of op.consumes ?? []) str(w, 7, c);
  for (const p of op.parameters ?? []) msg(w, 8, parameterItem(p));
  msg(w, 9, responses(op.responses ?? {}));
  extensions(w, 13, op);
  return w.finish();
}

function parameterItem(p: Json): Uint8Array {
  const param = new ProtoWriter();
  if (p.in === "body") {
    const body = new ProtoWriter();
    str(body, 1, p.description);
    str(body, 2, p.name);
    str(body, 3, p.in);
    bool(body, 4, p.required);
    if (p.schema) msg(body, 5, schema(p.schema));
    msg(param, 1, body.finish());
  } else {
    const sub = new ProtoWriter();
    const isPath = p.in === "path";
    bool(sub, 1, p.required);
    str(sub, 2, p.in);
    str(sub, 3, p.description);
    str(sub, 4, p.name);
    str(sub, isPath ? 5 : 6, p.type);
    bool(sub, isPath ? 19 : 20, p.uniqueItems);
    msg(param, 2, new ProtoWriter().tag(isPath ? 4 : 3, WireType.bytes).bytes(sub.finish()).finish());
  }
  return new ProtoWriter().tag(1, WireType.bytes).bytes(param.finish()).finish();
}

function responses(rs: Json): Uint8Array {
  const w = new ProtoWriter();
  for (const [code, r] of Object.entries(rs)) {
    const response = new ProtoWriter();
    str(response, 1, (r as Json).description ?? "");
    if ((r as Json).schema) msg(response, 2, new ProtoWriter().tag(1, WireType.bytes).bytes(schema((r as Json).schema)).finish());
    const value = new ProtoWriter().tag(1, WireType.bytes).bytes(response.finish()).finish();
    msg(w, 1, named(code, value));
  }
  return w.finish();
}

function schema(s: Json): Uint8Array {
  const w = new ProtoWriter();
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 4, s.description);
  for (const r of s.required ?? []) str(w, 19, r);
  for (const e of s.enum ?? []) msg(w, 20, yamlAny(e));
  if (s.additionalProperties && typeof s.additionalProperties === "object") {
    msg(w, 21, new ProtoWriter().tag(1, WireType.bytes).bytes(schema(s.additionalProperties)).finish());
  }
  if (s.type) msg(w, 22, new ProtoWriter().tag(1, WireType.bytes).string(s.type).finish());
  if (s.items) msg(w, 23, new ProtoWriter().tag(1, WireType.bytes).bytes(schema(s.items)).finish());
  for (const a of s.allOf ?? []) msg(w, 24, schema(a));
  if (s.properties) {
    const props = new ProtoWriter();
    for (const [name, p] of Object.entries(s.properties)) msg(props, 1, named(name, schema(p as Json)));
    msg(w, 25, props.finish());
  }
  extensions(w, 31, s);
  return w.finish();
}

function extensions(w: ProtoWriter, number: number, obj: Json): void {
  for (const [key, value] of Object.entries(obj)) if (key.startsWith("x-")) msg(w, number, named(key, yamlAny(value)));
}

function yamlAny(value: unknown): Uint8Array {
  return new ProtoWriter().tag(2, WireType.bytes).string(JSON.stringify(value)).finish();
}

function named(name: string, value: Uint8Array): Uint8Array {
  return new ProtoWriter().tag(1, WireType.bytes).string(name).tag(2, WireType.bytes).bytes(value).finish();
}

function str(w: ProtoWriter, number: number, value: unknown): void {
  if (typeof value === "string" && value) w.tag(number, WireType.bytes).string(value);
}

function bool(w: ProtoWriter, number: number, value: unknown): void {
  if (value === true) w.tag(number, WireType.varint).varint(1);
}

function msg(w: ProtoWriter, number: number, bytes: Uint8Array): void {
  w.tag(number, WireType.bytes).bytes(bytes);
}
