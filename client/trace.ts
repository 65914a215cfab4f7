// `-v` request tracing in the shape kubectl's klog output has, so people can read kapi's
// traces the way they read kubectl's: 6 = one line per request, 7 = + request headers and
// status, 8 = + response headers and bodies (truncated), 9 = a curl command and full bodies.

/** Receives finished log lines (without newline). */
export type LogSink = (line: string) => void;

const MAX_BODY_AT_8 = 10240;

/** Writes one klog-formatted info line: `I1123 00:47:20.637102    4183 transport.ts:60] msg`. */
export function klogLine(source: string, message: string, now: number = performance.timeOrigin + performance.now()): string {
  const d = new Date(Math.floor(now));
  const p2 = (n: number) => String(n).padStart(2, "0");
  const micros = String(Math.floor((now % 1000) * 1000)).padStart(6, "0");
  const stamp = `${p2(d.getMonth() + 1)}${p2(d.getDate())} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${micros}`;
  return `I${stamp} ${String(process.pid).padStart(7)} ${source}] ${message}`;
}

/** Hides credentials the way kubectl does: `Bearer <masked>`, `Basic <masked>`. */
export function maskHeader(name: string, value: string): string {
  if (name.toLowerCase() !== "authorization") return value;
  const lower = value.toLowerCase();
  if (lower.startsWith("bearer ")) return "Bearer <masked>";
  if (lower.startsWith("basic ")) return "Basic <masked>";
  return "<masked>";
}

/** The `curl` equivalent of a request, credentials masked. */
export function curlCommand(method: string, url: string, headers: [string, string][]): string {
  const flags = headers.map(([k, v]) => ` -H ${JSON.stringify(`${k}: ${maskHeader(k, v)}`)}`).join("");
  return `curl -v -X${method} ${flags} '${url}'`;
}

/** Renders a body for logging: truncated below level 9, binary shown as a byte count. */
export function bodyForLog(body: string | Uint8Array, verbosity: number): string {
  const text = typeof body === "string" ? body : new TextDecoder().decode(body);
  if (/[\x00-\x09]/.test(text)) return `[${typeof body === "string" ? text.length : body.byteLength} bytes of binary data]`;
  if (verbosity < 9 && text.length > MAX_BODY_AT_8) {
    return `${JSON.stringify(text.slice(0, MAX_BODY_AT_8))} [truncated ${text.length - MAX_BODY_AT_8} chars]`;
  }
  return JSON.stringify(text);
}

/** Emits the trace lines for one request/response pair at a given verbosity. */
export class RequestTrace {
  private readonly start = performance.now();

  constructor(
    private readonly verbosity: number,
    private readonly sink: LogSink,
    private readonly method: string,
    private readonly url: string,
  ) {}

  /** Before sending. */
  request(headers: [string, string][], body?: string | Uint8Array): void {
    const v = this.verbosity;
    if (v >= 8 && body !== undefined) this.log("transport.ts:110", `"Request Body" body=${bodyForLog(body, v)}`);
    if (v >= 9) {
      this.log("transport.ts:111", curlCommand(this.method, this.url, headers));
    } else if (v >= 7) {
      this.log("transport.ts:112", `${this.method} ${this.url}`);
      this.log("transport.ts:113", "Request Headers:");
      for (const [k, val] of headers) this.log("transport.ts:114", `    ${k}: ${maskHeader(k, val)}`);
    }
  }

  /** After the response head arrived, or with status "" when the connection failed. */
  response(status: string, headers?: Headers): void {
    const v = this.verbosity;
    const elapsed = `in ${Math.floor(performance.now() - this.start)} milliseconds`;
    if (v >= 9 || v === 6 || (v >= 6 && !headers)) this.log("transport.ts:120", `${this.method} ${this.url} ${status} ${elapsed}`);
    else if (v >= 7) this.log("transport.ts:121", `Response Status: ${status} ${elapsed}`);
    if (v >= 8 && headers) {
      this.log("transport.ts:122", "Response Headers:");
      headers.forEach((val, k) => this.log("transport.ts:123", `    ${canonicalHeader(k)}: ${val}`));
    }
  }

  /** The response body, once a caller has read it whole. */
  responseBody(body: string | Uint8Array): void {
    if (this.verbosity >= 8) this.log("transport.ts:130", `"Response Body" body=${bodyForLog(body, this.verbosity)}`);
  }

  private log(source: string, message: string): void {
    this.sink(klogLine(source, message));
  }
}

/** `content-type` → `Content-Type`, as Go prints header names. */
export function canonicalHeader(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
}
