// The requests kubectl's builder makes for a ResourceInfo: GET of one object, paged LISTs
// following `continue`, and WATCH streams, with query strings encoded the way Go encodes them
// (keys sorted, `=` and `,` escaped) so they match kubectl's byte for byte.

import type { ResourceInfo } from "./builder.ts";
import { responseError } from "./errors.ts";
import { formatGoDuration } from "./go-duration.ts";
import { resourcePath } from "./resources.ts";
import type { RestClient } from "./transport.ts";

/** The Accept kubectl sends to have lists and objects rendered as a server-side Table. */
export const TABLE_ACCEPT = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

type Obj = Record<string, unknown>;

/** Options of a list or watch request. */
export interface ListOptions {
  accept?: string;
  /** `limit` per page; 0 or undefined lists in one request without a limit. */
  chunkSize?: number;
  /** Extra query parameters (`includeObject=Object`, `resourceVersion`). */
  query?: Record<string, string>;
}

/** Go's url.Values.Encode: keys sorted, QueryEscape'd keys and values. */
export function encodeQuery(params: Record<string, string | undefined>): string {
  return Object.keys(params)
    .filter((k) => params[k] !== undefined)
    .sort()
    .map((k) => `${queryEscape(k)}=${queryEscape(params[k]!)}`)
    .join("&");
}

function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, "+");
}

// --request-timeout's `timeout` takes its sorted place among the parameters, as in Go.
function withQuery(rest: RestClient, path: string, params: Record<string, string | undefined>): string {
  const timeoutMs = rest.config.timeoutMs;
  const q = encodeQuery(timeoutMs > 0 ? { ...params, timeout: formatGoDuration(timeoutMs) } : params);
  return q ? `${path}?${q}` : path;
}

function selectors(info: ResourceInfo): Record<string, string | undefined> {
  return { labelSelector: info.labelSelector || undefined, fieldSelector: info.fieldSelector || undefined };
}

/** GETs the info's object (`info.name` must be set). */
export async function getObject(rest: RestClient, info: ResourceInfo, opts: { accept?: string; query?: Record<string, string>; subresource?: string } = {}): Promise<Obj> {
  const path = withQuery(rest, resourcePath(info.mapping, info.namespace, info.name, opts.subresource || undefined), opts.query ?? {});
  const accept = opts.accept ?? "application/json";
  try {
    return await rest.requestJson<Obj>({ path, accept, subject: { resource: info.mapping.resource, name: info.name } });
  } catch (err) {
    // As kubectl's Info.Get: when the object is missing from a namespace other than
    // "default", a missing namespace is the better error to report.
    const ns = info.namespace;
    if (!ns || ns === "default" || (err as { code?: number }).code !== 404) throw err;
    const nsPath = withQuery(rest, `/api/v1/namespaces/${encodeURIComponent(ns)}`, {});
    const answer = await rest.request({ path: nsPath, accept });
    const body = await answer.text();
    if (answer.status === 404) throw responseError(404, body, answer.headers.get("content-type"), { verb: "GET", resource: "namespaces", name: ns });
    throw err;
  }
}

/** LISTs the info's collection page by page, following `metadata.continue`. */
export async function* listPages(rest: RestClient, info: ResourceInfo, opts: ListOptions = {}): AsyncGenerator<Obj> {
  let token: string | undefined;
  do {
    const params: Record<string, string | undefined> = { ...selectors(info), ...opts.query };
    if (opts.chunkSize) params.limit = String(opts.chunkSize);
    if (token) params.continue = token;
    const path = withQuery(rest, resourcePath(info.mapping, info.namespace), params);
    const page = await rest.requestJson<Obj>({ path, accept: opts.accept ?? "application/json", subject: { resource: info.mapping.resource } });
    yield page;
    token = ((page.metadata ?? {}) as { continue?: string }).continue || undefined;
  } while (token);
}

/** One watch event. */
export interface WatchEvent {
  type: string;
  object: Obj;
}

/** WATCHes the info's collection (or one object by name) from `resourceVersion`; ends when the server ends the stream. */
export async function* watchEvents(
  rest: RestClient,
  info: ResourceInfo,
  resourceVersion: string,
  opts: { accept?: string; signal?: AbortSignal } = {},
): AsyncGenerator<WatchEvent> {
  const params: Record<string, string | undefined> = { ...selectors(info), resourceVersion, watch: "true" };
  if (info.name !== undefined) params.fieldSelector = `metadata.name=${info.name}`;
  const path = withQuery(rest, resourcePath(info.mapping, info.namespace), params);
  const res = await rest.request({ path, accept: opts.accept ?? "application/json", signal: opts.signal });
  if (res.status < 200 || res.status > 299) {
    const { responseError } = await import("./errors.ts");
    throw responseError(res.status, await res.text(), res.headers.get("content-type"), { verb: "GET", resource: info.mapping.resource });
  }
  if (!res.body) return;
  let buffer = "";
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  for (;;) {
    let chunk: Awaited<ReturnType<typeof reader.read>>;
    try {
      chunk = await reader.read();
    } catch (err) {
      // A client-side timeout (--request-timeout) ends the watch like the server closing it.
      if (["TimeoutError", "AbortError"].includes((err as Error)?.name)) return;
      throw err;
    }
    if (chunk.done) break;
    buffer += decoder.decode(chunk.value, { stream: true });
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) yield JSON.parse(line) as WatchEvent;
    }
  }
  if (buffer.trim()) yield JSON.parse(buffer) as WatchEvent;
}
