// GETs the way client-go's typed clientsets make them (kubectl uses them for the pods behind
// `logs deploy/x`, for instance): protobuf preferred, JSON accepted. A protobuf answer (an
// object or a Status) is decoded back into its JSON shape.

import { responseError } from "./errors.ts";
import type { RequestOptions, RestClient } from "./transport.ts";

const TYPED_ACCEPT = "application/vnd.kubernetes.protobuf,application/json";

/** Sends a GET with the typed clientset's Accept; returns the object as JSON, throws StatusError on failure. */
export async function getTyped<T>(client: RestClient, opts: Omit<RequestOptions, "accept" | "method">): Promise<T> {
  const response = await client.request({ ...opts, accept: TYPED_ACCEPT });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const contentType = response.headers.get("content-type") ?? "";
  let text: string;
  if (contentType.startsWith("application/vnd.kubernetes.protobuf")) {
    const { decodeObject } = await import("../api/protobuf/index.ts");
    text = JSON.stringify(decodeObject(bytes));
  } else {
    text = new TextDecoder().decode(bytes);
  }
  if (response.status < 200 || response.status > 299) throw responseError(response.status, text, "application/json", { verb: "GET", ...opts.subject });
  return JSON.parse(text) as T;
}
