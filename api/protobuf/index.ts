// Kubernetes protobuf bodies (application/vnd.kubernetes.protobuf) to and from JSON objects,
// driven by the schema registry.
import { kindType } from "../schema/registry.ts";
import { decodeMessage, encodeMessage } from "./codec.ts";
import { decodeEnvelope, encodeEnvelope } from "./envelope.ts";
import { ProtobufError } from "./wire.ts";

export { decodeMessage, encodeMessage } from "./codec.ts";
export { decodeEnvelope, encodeEnvelope, hasMagic, protobufMagic } from "./envelope.ts";
export { ProtobufError } from "./wire.ts";

/** The content type of Kubernetes protobuf bodies. */
export const protobufContentType = "application/vnd.kubernetes.protobuf";

/** Decodes an enveloped object into JSON with apiVersion and kind first. */
export function decodeObject(bytes: Uint8Array): Record<string, unknown> {
  const env = decodeEnvelope(bytes);
  if (!env.kind) throw new ProtobufError("Object 'Kind' is missing in protobuf envelope");
  if (env.contentEncoding) throw new ProtobufError(`unsupported content encoding ${JSON.stringify(env.contentEncoding)}`);
  const t = kindType(env.apiVersion, env.kind);
  if (!t) throw new ProtobufError(`no kind "${env.kind}" is registered for version "${env.apiVersion}"`);
  return { apiVersion: env.apiVersion, kind: env.kind, ...decodeMessage(t, env.raw) };
}

/** Whether an object of this apiVersion/kind has a protobuf encoding. */
export function canEncode(apiVersion: unknown, kind: unknown): boolean {
  if (typeof apiVersion !== "string" || typeof kind !== "string") return false;
  return kindType(apiVersion, kind)?.protobuf === true;
}

/** Encodes a JSON object (with apiVersion and kind) as an enveloped protobuf body. */
export function encodeObject(obj: Record<string, unknown>): Uint8Array {
  const { apiVersion, kind } = obj;
  if (typeof apiVersion !== "string" || typeof kind !== "string") throw new ProtobufError("object has no apiVersion or kind");
  const t = kindType(apiVersion, kind);
  if (!t) throw new ProtobufError(`no kind "${kind}" is registered for version "${apiVersion}"`);
  return encodeEnvelope(apiVersion, kind, encodeMessage(t, obj));
}
