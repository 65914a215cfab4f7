// Reads request bodies within the size limit and decodes JSON or YAML into objects.
import { badRequest, requestEntityTooLarge } from "../../api/status.ts";
import type { BodyFormat } from "./negotiation.ts";

/** kube-apiserver's limit for a single request body. */
export const maxBodyBytes = 3 * 1024 * 1024;

/** Reads the whole body as text, failing with 413 past the limit (without buffering it all). */
export async function readBody(request: Request, limit = maxBodyBytes): Promise<string> {
  return (await readBodyBytes(request, limit)).toString("utf8");
}

/** Reads the whole body as bytes, failing with 413 past the limit. */
export async function readBodyBytes(request: Request, limit = maxBodyBytes): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw requestEntityTooLarge(limit);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw requestEntityTooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Decodes a JSON or YAML body; 400 BadRequest with a parse message when malformed. */
export async function decodeBody(text: string, format: BodyFormat): Promise<unknown> {
  if (format === "yaml" || format === "apply-patch") {
    const { parseYamlDocument } = await import("../../api/yaml.ts");
    try {
      return parseYamlDocument(text);
    } catch (err) {
      throw badRequest(`error converting YAML to JSON: yaml: ${(err as Error).message.split("\n")[0]}`);
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw badRequest(`json parse error: ${(err as Error).message}`);
  }
}

/** A body that must be a JSON object (not an array, string or null). */
export function requireObject(value: unknown, what: string): Record<string, any> {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw badRequest(`${what}: the request body must be a JSON object`);
  }
  return value as Record<string, any>;
}
