// Protobuf request bodies and responses (application/vnd.kubernetes.protobuf), which kubectl
// 1.32+ uses for typed creates and reviews. The codec lives in api/protobuf.
import { badRequest } from "../../api/status.ts";
import { readBodyBytes } from "./body.ts";
import { completeResponse } from "./direct-body.ts";

/** The protobuf media type. */
export const protobufMediaType = "application/vnd.kubernetes.protobuf";

/** Reads and decodes a protobuf body into a JSON object carrying its apiVersion and kind. */
export async function decodeProtobufBody(request: Request, expectedKind: string): Promise<Record<string, any>> {
  const bytes = await readBodyBytes(request);
  if (bytes.length === 0) throw badRequest("the body of the request was empty");
  const { decodeObject, ProtobufError } = await import("../../api/protobuf/index.ts");
  try {
    return decodeObject(bytes);
  } catch (err) {
    if (!(err instanceof ProtobufError)) throw err;
    throw badRequest(`the object provided is unrecognized (must be of type ${expectedKind}): ${err.message}`);
  }
}

/** A protobuf response for an object, or undefined when the object has no protobuf form. */
export async function protobufResponse(status: number, body: unknown, headers: Record<string, string>): Promise<Response | undefined> {
  if (!body || typeof body !== "object") return undefined;
  const { canEncode, encodeObject, ProtobufError } = await import("../../api/protobuf/index.ts");
  const obj = body as Record<string, unknown>;
  if (!canEncode(obj.apiVersion, obj.kind)) return undefined;
  try {
    return completeResponse(encodeObject(obj), { status, headers: { "content-type": protobufMediaType, ...headers } });
  } catch (err) {
    if (err instanceof ProtobufError) return undefined;
    throw err;
  }
}
