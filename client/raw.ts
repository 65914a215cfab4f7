// `--raw` requests (get, create, replace, delete): a path the user typed, sent without
// discovery through the plain REST client, the response body passed through untouched.

import { readFileSync } from "node:fs";
import { goFileError, responseError } from "./errors.ts";
import type { RestClient } from "./transport.ts";

/**
 * Checks a `--raw` value the way Go's url.ParseRequestURI does (an absolute path or an
 * absolute URL) and returns the path plus query kubectl sends: the query re-encoded with its
 * keys sorted. Throws with kubectl's message otherwise.
 */
export function rawRequestPath(raw: string): string {
  const invalid = (why: string) => new Error(`--raw must be a valid URL path: parse ${JSON.stringify(raw)}: ${why}`);
  if (/[\x00-\x1f\x7f]/.test(raw)) throw invalid("net/url: invalid control character in URL");
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(raw);
  if (!raw.startsWith("/") && !scheme) throw invalid("invalid URI for request");
  const badEscape = /%(?![0-9a-fA-F]{2})(.{0,2})/.exec(raw);
  if (badEscape) throw invalid(`invalid URL escape ${JSON.stringify(`%${badEscape[1]}`)}`);
  const url = new URL(raw, "http://placeholder");
  const queryAt = raw.indexOf("?");
  const rawPath = scheme ? url.pathname : queryAt >= 0 ? raw.slice(0, queryAt) : raw;
  const query = queryAt >= 0 ? encodeSorted(new URLSearchParams(raw.slice(queryAt + 1).split("#")[0])) : "";
  return query ? `${rawPath}?${query}` : rawPath;
}

// Go's url.Values.Encode: keys sorted, values in order, QueryEscape'd (space as +).
function encodeSorted(params: URLSearchParams): string {
  const keys = [...new Set(params.keys())].sort();
  const esc = (s: string) => encodeURIComponent(s).replace(/%20/g, "+").replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keys.flatMap((k) => params.getAll(k).map((v) => `${esc(k)}=${esc(v)}`)).join("&");
}

/** Reads the body for `--raw -f FILE` (`-` is stdin) as bytes, unconverted. */
export function readRawBody(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file === "-" ? 0 : file));
  } catch (err) {
    throw new Error(goFileError("open", file, err));
  }
}

/**
 * Sends one raw request and returns the response body. Non-2xx answers throw a StatusError
 * (the server's Status, or one synthesised from the code).
 */
export async function rawRequest(client: RestClient, method: string, raw: string, body?: Uint8Array): Promise<Uint8Array> {
  const response = await client.request({ method, path: rawRequestPath(raw), body });
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (response.status < 200 || response.status > 299) {
    throw responseError(response.status, new TextDecoder().decode(bytes), response.headers.get("content-type"), { verb: method });
  }
  return bytes;
}
