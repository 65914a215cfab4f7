// Writes API responses: objects in the negotiated encoding, and Status errors.
import { internalError, StatusError } from "../../api/status.ts";
import type { Output } from "./negotiation.ts";
import { protobufResponse } from "./protobuf-body.ts";
import { completeResponse } from "./direct-body.ts";

/** The Content-Type for a negotiated representation. */
export function contentTypeFor(output: Output): string {
  switch (output.kind) {
    case "yaml":
      return "application/yaml";
    case "table":
      return `application/json;as=Table;v=${output.version};g=meta.k8s.io`;
    case "discovery-v2":
    case "discovery-v2beta1":
      return `application/json;g=apidiscovery.k8s.io;v=${output.version};as=APIGroupDiscoveryList`;
    default:
      return "application/json";
  }
}

/** A response carrying one object in the negotiated encoding. */
export async function objectResponse(status: number, body: unknown, output: Output, headers: Record<string, string> = {}): Promise<Response> {
  if (output.kind === "yaml") {
    const { toYaml } = await import("../../api/yaml.ts");
    return completeResponse(toYaml(body), { status, headers: { "content-type": "application/yaml", ...headers } });
  }
  if (output.kind === "protobuf") {
    const encoded = await protobufResponse(status, body, headers);
    if (encoded) return encoded;
  }
  return completeResponse(JSON.stringify(body), { status, headers: { "content-type": contentTypeFor(output), ...headers } });
}

/** A plain JSON response. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return completeResponse(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
}

/** Every failure leaves through here as a Status; anything unexpected is a 500 and is logged. */
export function errorResponse(err: unknown): Response {
  const status = err instanceof StatusError ? err : internalError((err as Error)?.message ?? String(err));
  if (!(err instanceof StatusError)) console.error("internal error:", err);
  const headers: Record<string, string> = {};
  if (status.code === 429 || status.code === 503) headers["retry-after"] = "1";
  return jsonResponse(status.code, status.status, headers);
}
