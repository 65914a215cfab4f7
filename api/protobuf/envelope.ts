// The `application/vnd.kubernetes.protobuf` envelope: the 4-byte magic "k8s\0" followed by a
// runtime.Unknown {1 typeMeta{1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}.
import { ProtoReader, ProtoWriter, ProtobufError, WireType } from "./wire.ts";

/** The magic prefix of every Kubernetes protobuf body. */
export const protobufMagic = new Uint8Array([0x6b, 0x38, 0x73, 0x00]);

/** The parts of an envelope. */
export interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** Whether the bytes start with the magic prefix. */
export function hasMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && protobufMagic.every((b, i) => bytes[i] === b);
}

/** Splits an envelope into type meta and the object's own bytes. */
export function decodeEnvelope(bytes: Uint8Array): Envelope {
  if (!hasMagic(bytes)) throw new ProtobufError("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
  const env: Envelope = { apiVersion: "", kind: "", raw: new Uint8Array(), contentEncoding: "", contentType: "" };
  const r = new ProtoReader(bytes.subarray(4));
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (wire !== WireType.bytes) {
      r.skip(wire);
      continue;
    }
    if (field === 1) readTypeMeta(r.bytes(), env);
    else if (field === 2) env.raw = r.bytes();
    else if (field === 3) env.contentEncoding = r.string();
    else if (field === 4) env.contentType = r.string();
    else r.skip(wire);
  }
  return env;
}

function readTypeMeta(bytes: Uint8Array, env: Envelope): void {
  const r = new ProtoReader(bytes);
  while (!r.done()) {
    const [field, wire] = r.tag();
    if (field === 1 && wire === WireType.bytes) env.apiVersion = r.string();
    else if (field === 2 && wire === WireType.bytes) env.kind = r.string();
    else r.skip(wire);
  }
}

/** Wraps an object's bytes in an envelope, as kube-apiserver writes it. */
export function encodeEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const typeMeta = new ProtoWriter().tag(1, WireType.bytes).string(apiVersion).tag(2, WireType.bytes).string(kind).finish();
  const unknown = new ProtoWriter()
    .tag(1, WireType.bytes)
    .bytes(typeMeta)
    .tag(2, WireType.bytes)
    .bytes(raw)
    .tag(3, WireType.bytes)
    .string("")
    .tag(4, WireType.bytes)
    .string("")
    .finish();
  const out = new Uint8Array(4 + unknown.length);
  out.set(protobufMagic, 0);
  out.set(unknown, 4);
  return out;
}
