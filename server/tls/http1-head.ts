// The head of an HTTP/1.1 request (request line and header fields), parsed from the bytes
// before the blank line, with the rules that decide how its body is framed and whether the
// connection is kept.

/** A request head that cannot be served: answered with `status` and the connection closed. */
export class HeadError extends Error {
  constructor(
    readonly status: 400 | 431 | 501 | 505,
    message: string,
  ) {
    super(message);
  }
}

export interface RequestHead {
  method: string;
  /** The request target as sent: "/path?query", or an absolute URL. */
  target: string;
  httpVersion: "1.0" | "1.1";
  /** Field names lowercased, in arrival order (repeated fields stay separate). */
  headers: [string, string][];
  /** The declared body length; undefined without Content-Length or when the body is chunked. */
  contentLength: number | undefined;
  chunked: boolean;
  /** The client allows the connection to carry further requests. */
  keepAlive: boolean;
  /** The client waits for "100 Continue" before sending its body. */
  expectContinue: boolean;
  /** The client asks to switch protocols (Connection: Upgrade with an Upgrade field). */
  upgrade: boolean;
}

/** Header bytes accepted before the blank line, as Go's net/http default (1 MiB + 4 KiB slack). */
export const maxHeadBytes = (1 << 20) + 4096;

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Field values may hold visible characters, spaces, tabs and obs-text; no other controls.
const badValueChar = /[\x00-\x08\x0a-\x1f\x7f]/;

function lineParts(line: string): [string, string, string] {
  const first = line.indexOf(" ");
  const last = line.lastIndexOf(" ");
  if (first <= 0 || last === first) throw new HeadError(400, "malformed HTTP request line");
  return [line.slice(0, first), line.slice(first + 1, last), line.slice(last + 1)];
}

function versionOf(text: string): "1.0" | "1.1" {
  if (text === "HTTP/1.1") return "1.1";
  if (text === "HTTP/1.0") return "1.0";
  if (/^HTTP\/\d\.\d$/.test(text)) throw new HeadError(505, "unsupported HTTP version");
  throw new HeadError(400, "malformed HTTP version");
}

/** The comma-separated tokens of a field, lowercased. */
function tokensOf(value: string | undefined): string[] {
  return value ? value.toLowerCase().split(",").map((part) => part.trim()) : [];
}

/** Parses `text`: the request's bytes (latin1) up to, not including, the CRLF CRLF. */
export function parseRequestHead(text: string): RequestHead {
  const lines = text.split("\r\n");
  const [method, target, version] = lineParts(lines[0]);
  if (!token.test(method)) throw new HeadError(400, "malformed HTTP method");
  if (target.length === 0 || target.includes(" ")) throw new HeadError(400, "malformed HTTP request target");
  const httpVersion = versionOf(version);

  const headers: [string, string][] = [];
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  let connection: string | undefined;
  let expect: string | undefined;
  let upgrade: string | undefined;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    // A line starting with white space continues the previous one (obs-fold), which is refused.
    if (colon <= 0 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) throw new HeadError(400, "malformed MIME header line");
    const name = line.slice(0, colon).toLowerCase();
    if (!token.test(name)) throw new HeadError(400, `invalid header name "${name}"`);
    const value = line.slice(colon + 1).trim();
    if (badValueChar.test(value)) throw new HeadError(400, `invalid value for header "${name}"`);
    headers.push([name, value]);
    switch (name) {
      case "content-length":
        if (contentLength !== undefined && contentLength !== value) throw new HeadError(400, "conflicting Content-Length headers");
        contentLength = value;
        break;
      case "transfer-encoding":
        transferEncoding = transferEncoding === undefined ? value : `${transferEncoding}, ${value}`;
        break;
      case "connection":
        connection = connection === undefined ? value : `${connection}, ${value}`;
        break;
      case "expect":
        expect = value;
        break;
      case "upgrade":
        upgrade = value;
        break;
    }
  }

  let chunked = false;
  if (transferEncoding !== undefined) {
    const codings = tokensOf(transferEncoding);
    if (codings.length !== 1 || codings[0] !== "chunked") throw new HeadError(501, `unsupported transfer encoding: "${transferEncoding}"`);
    if (httpVersion === "1.0") throw new HeadError(400, "chunked transfer encoding in an HTTP/1.0 request");
    chunked = true;
  }
  let length: number | undefined;
  // A chunked body frames itself; a Content-Length beside it is ignored (RFC 9112 6.3).
  if (contentLength !== undefined && !chunked) {
    if (!/^\d{1,15}$/.test(contentLength)) throw new HeadError(400, `bad Content-Length "${contentLength}"`);
    length = Number(contentLength);
  }
  const connectionTokens = tokensOf(connection);
  return {
    method,
    target,
    httpVersion,
    headers,
    contentLength: length,
    chunked,
    // HTTP/1.0 connections are closed after one response, even when the client offers keep-alive.
    keepAlive: httpVersion === "1.1" && !connectionTokens.includes("close"),
    expectContinue: httpVersion === "1.1" && expect?.toLowerCase() === "100-continue",
    upgrade: upgrade !== undefined && connectionTokens.includes("upgrade"),
  };
}
