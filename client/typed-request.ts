// Requests the way client-go's typed clientsets make them (kubectl ≥ 1.32 uses them for the
// pods behind `logs deploy/x`, access reviews, whoami, tokens): protobuf preferred, JSON
// accepted, and bodies sent as protobuf. Answers (objects or a Status) come back as JSON.

import { responseError } from "./errors.ts";
import type { RequestOptions, RestClient } from "./transport.ts";

const PROTOBUF = "application/vnd.kubernetes.protobuf";
const TYPED_ACCEPT = `${PROTOBUF},application/json`;

type Obj = Record<string, unknown>;

/** Sends a typed request; `body` (with apiVersion and kind) goes out as protobuf. Throws StatusError on failure. */
export async function requestTyped<T>(client: RestClient, opts: Omit<RequestOptions, "accept" | "body" | "contentType"> & { body?: Obj }): Promise<T> {
  const { body, ...rest } = opts;
  const protobuf = await import("../api/protobuf/index.ts");
  const encoded = body === undefined ? {} : { body: protobuf.encodeObject(body), contentType: PROTOBUF };
  const response = await client.request({ ...rest, ...encoded, accept: TYPED_ACCEPT });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = (response.headers.get("content-type") ?? "").startsWith(PROTOBUF) ? JSON.stringify(protobuf.decodeObject(bytes)) : new TextDecoder().decode(bytes);
  if (response.status < 200 || response.status > 299) {
    throw responseError(response.status, text, "application/json", { verb: (opts.method ?? "GET").toUpperCase(), ...opts.subject });
  }
  return JSON.parse(text) as T;
}
