// The request an h2 HEADERS block describes (RFC 9113 section 8.3): its pseudo-header fields
// checked, and the rest as the field list an HTTP/1.1 request would carry, `host` taken from
// `:authority`.
import type { RequestHead } from "./http1-head.ts";

export interface H2RequestHead extends Pick<RequestHead, "method" | "target" | "headers"> {
  /** The declared body length, when the client gave one. */
  contentLength: number | undefined;
}

// Fields that only mean something to one HTTP/1.1 connection; h2 requests carrying them are malformed.
const CONNECTION_SPECIFIC = new Set(["connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"]);
const UPPERCASE = /[A-Z]/;
const BAD_VALUE = /[\x00\r\n]|^[ \t]|[ \t]$/;

/** The request `fields` describe, or undefined when they are malformed (a stream error). */
export function parseH2RequestHead(fields: [string, string][]): H2RequestHead | undefined {
  let method: string | undefined;
  let scheme: string | undefined;
  let path: string | undefined;
  let authority: string | undefined;
  let regularSeen = false;
  let host = false;
  let contentLength: number | undefined;
  const headers: [string, string][] = [];
  const cookies: string[] = [];
  for (const [name, value] of fields) {
    if (BAD_VALUE.test(value) || name.length === 0 || UPPERCASE.test(name)) return undefined;
    if (name.charCodeAt(0) === 58 /* ":" */) {
      if (regularSeen) return undefined;
      if (name === ":method" && method === undefined) method = value;
      else if (name === ":scheme" && scheme === undefined) scheme = value;
      else if (name === ":path" && path === undefined) path = value;
      else if (name === ":authority" && authority === undefined) authority = value;
      else return undefined;
      continue;
    }
    regularSeen = true;
    if (CONNECTION_SPECIFIC.has(name) || (name === "te" && value !== "trailers")) return undefined;
    if (name === "cookie") {
      cookies.push(value);
      continue;
    }
    if (name === "host") host = true;
    if (name === "content-length") {
      if (!/^\d{1,15}$/.test(value) || (contentLength !== undefined && contentLength !== Number(value))) return undefined;
      contentLength = Number(value);
    }
    headers.push([name, value]);
  }
  if (!method) return undefined;
  if (method === "CONNECT") {
    if (!authority || scheme !== undefined || path !== undefined) return undefined;
  } else if (!scheme || !path) {
    return undefined;
  }
  if (authority !== undefined && !host) headers.unshift(["host", authority]);
  // Cookie crumbs are joined as HTTP/1.1 would carry them (RFC 9113 section 8.2.3).
  if (cookies.length > 0) headers.push(["cookie", cookies.join("; ")]);
  return { method, target: path ?? authority!, headers, contentLength };
}
