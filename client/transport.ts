// The HTTP layer every client command uses: kubectl's headers, credentials (only over TLS),
// impersonation, TLS settings, --request-timeout, -v tracing, server warnings, and errors
// worded as kubectl words them.

import { isSocks5 } from "./proxy-scheme.ts";
import { readFileSync } from "node:fs";
import { serverHost, type ClientConfig } from "./client-config.ts";
import { ConfigError, ConnectionError, goFileError, responseError, type ErrorSubject } from "./errors.ts";
import { ExecCredentialSource, type ExecCredential } from "./exec-credential.ts";
import { formatGoDuration } from "./go-duration.ts";
import { writeStderr } from "./stdio.ts";
import { verifyHostname, type PeerNames } from "./tls-identity.ts";
import { RequestTrace, type LogSink } from "./trace.ts";

/** How the client identifies itself and reports. */
export interface RestClientOptions {
  /** `kapi/v1.33.0+kapi.0.1.0 (linux/amd64) kubernetes/abc1234`; see userAgent(). */
  userAgent: string;
  /** The command path for the Kubectl-Command header, e.g. `kapi get`. */
  command?: string;
  /** Shared by every request of one invocation (Kubectl-Session). */
  sessionId?: string;
  /** The `-v` level. */
  verbosity?: number;
  /** Where trace lines go; stderr by default. */
  log?: LogSink;
  /** Called once per distinct server warning; prints `Warning: <text>` to stderr by default. */
  warn?: (message: string) => void;
  /** Environment for KUBECTL_COMMAND_HEADERS; process.env by default. */
  env?: Record<string, string | undefined>;
}

/** One request. `path` is relative to the server URL and may carry its own query string. */
export interface RequestOptions {
  method?: string;
  path: string;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  /** The Accept header; kubectl's default (JSON, then anything) when unset. */
  accept?: string;
  contentType?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
  /** Discovery and /version requests carry `timeout=32s` (or --request-timeout) like kubectl's. */
  discovery?: boolean;
  /** Names the object for client-go's `(get pods x)` suffix on bare HTTP errors. */
  subject?: Omit<ErrorSubject, "verb">;
}

/** A fully read response. */
export interface TextResponse {
  status: number;
  headers: Headers;
  body: string;
}

const DISCOVERY_TIMEOUT = "32s";

/** kubectl's User-Agent shape: `<program>/<gitVersion> (<os>/<arch>) kubernetes/<7-char commit>`. */
export function userAgent(program: string, gitVersion: string, gitCommit: string): string {
  const arch = ({ x64: "amd64", ia32: "386", arm: "arm" } as Record<string, string>)[process.arch] ?? process.arch;
  const os = process.platform === "win32" ? "windows" : process.platform;
  return `${program}/${gitVersion} (${os}/${arch}) kubernetes/${gitCommit ? gitCommit.slice(0, 7) : "unknown"}`;
}

/** Sends requests to the API server described by a ClientConfig. */
export class RestClient {
  /** Distinct server warnings seen so far (for --warnings-as-errors). */
  readonly warnings = new Set<string>();
  private readonly sessionId: string;
  /** The exec plugin's credential, once refreshCredentials() ran it. */
  private execCredential?: ExecCredential;
  private execCredentials?: ExecCredentialSource;

  constructor(
    readonly config: ClientConfig,
    private readonly options: RestClientOptions,
  ) {
    this.sessionId = options.sessionId ?? crypto.randomUUID();
  }

  /** Sends a request and returns the response whatever its status; throws ConnectionError when unreachable. */
  async request(opts: RequestOptions): Promise<Response> {
    return (await this.send(opts)).response;
  }

  /** Sends a request and reads the body; throws StatusError (api/status.ts) on a non-2xx status. */
  async requestText(opts: RequestOptions): Promise<TextResponse> {
    const { response, trace, method } = await this.send(opts);
    let body: string;
    try {
      body = await response.text();
    } catch (err) {
      if ((err as Error)?.name !== "TimeoutError") throw err;
      throw new ConnectionError("Unable to connect to the server: net/http: request canceled (Client.Timeout or context cancellation while reading body)", "TimeoutError");
    }
    trace.responseBody(body);
    if (response.status < 200 || response.status > 299) {
      throw responseError(response.status, body, response.headers.get("content-type"), { verb: method, ...opts.subject });
    }
    return { status: response.status, headers: response.headers, body };
  }

  /** requestText, then JSON.parse. */
  async requestJson<T = unknown>(opts: RequestOptions): Promise<T> {
    const { body } = await this.requestText(opts);
    return JSON.parse(body) as T;
  }

  private async send(opts: RequestOptions): Promise<{ response: Response; trace: RequestTrace; method: string }> {
    const exec = this.config.exec && new URL(this.config.server).protocol === "https:";
    if (exec) await this.refreshCredentials();
    const sent = await this.sendOnce(opts);
    if (!exec || sent.response.status !== 401) return sent;
    // client-go runs the plugin again once when the server refuses its credential.
    this.execSource().invalidate();
    await this.refreshCredentials();
    await sent.response.body?.cancel();
    return this.sendOnce(opts);
  }

  /** Runs the kubeconfig's exec credential plugin if its credential is missing or expired. */
  async refreshCredentials(): Promise<void> {
    if (!this.config.exec) return;
    this.execCredential = await this.execSource().get();
  }

  /** The client certificate requests present: the exec plugin's when it returned one, else the kubeconfig's. */
  clientCertificate(): { cert?: string; key?: string } {
    return { cert: this.execCredential?.certData ?? this.config.certData, key: this.execCredential?.keyData ?? this.config.keyData };
  }

  private execSource(): ExecCredentialSource {
    const c = this.config;
    this.execCredentials ??= new ExecCredentialSource(c.exec!, {
      server: c.server,
      caData: c.caData,
      insecureSkipTlsVerify: c.insecureSkipTlsVerify,
      tlsServerName: c.tlsServerName,
      proxyUrl: c.proxyUrl,
    });
    return this.execCredentials;
  }

  private async sendOnce(opts: RequestOptions): Promise<{ response: Response; trace: RequestTrace; method: string }> {
    const method = (opts.method ?? "GET").toUpperCase();
    const url = this.url(opts);
    const headers = this.headers(opts, url);
    const verbosity = this.options.verbosity ?? 0;
    const log = this.options.log ?? ((line: string) => writeStderr(`${line}\n`));
    const trace = new RequestTrace(verbosity, log, method, url.href);
    trace.request(headers, opts.body);
    const signals = [opts.signal, this.config.timeoutMs > 0 ? AbortSignal.timeout(this.config.timeoutMs) : undefined].filter((s) => !!s);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const identity = new IdentityCheck(this.config.insecureSkipTlsVerify);
    let response: Response;
    try {
      const repeated = new Set(headers.map(([k]) => k.toLowerCase())).size !== headers.length;
      const tls = {
        ca: this.config.caData,
        ...this.clientCertificate(),
        rejectUnauthorized: !this.config.insecureSkipTlsVerify,
        checkServerIdentity: identity.check,
      };
      if (repeated) {
        const { nodeRequest } = await import("./node-request.ts");
        response = await nodeRequest(url, method, headers, opts.body, { ...tls, servername: this.config.tlsServerName }, signal);
      } else {
        response = await fetch(url, {
          method,
          headers,
          body: opts.body,
          signal,
          redirect: "follow",
          tls: { ...tls, serverName: this.config.tlsServerName },
          ...(this.config.proxyUrl ? { proxy: await this.proxy(this.config.proxyUrl) } : {}),
        } as RequestInit);
      }
    } catch (err) {
      trace.response("");
      if (opts.signal?.aborted) throw err;
      throw connectionError(await this.proxyFailure(err), url, serverHost(this.config.server), identity.failure);
    }
    trace.response(`${response.status} ${response.statusText}`.trim(), response.headers);
    this.collectWarnings(response.headers);
    return { response, trace, method };
  }

  /** The proxy fetch is given: HTTP(S) proxies as they are, SOCKS5 ones through a local bridge. */
  private async proxy(proxyUrl: string): Promise<string> {
    if (!isSocks5(proxyUrl)) return proxyUrl;
    const { socks5Bridge } = await import("./socks5-bridge.ts");
    return socks5Bridge(proxyUrl);
  }

  /** A SOCKS proxy that could not be reached is reported as kubectl does: as the dial error. */
  private async proxyFailure(err: unknown): Promise<unknown> {
    if (!isSocks5(this.config.proxyUrl)) return err;
    const { socks5DialFailure } = await import("./socks5-bridge.ts");
    return socks5DialFailure(new URL(this.config.proxyUrl!).href) ?? err;
  }

  private url(opts: RequestOptions): URL {
    const url = new URL(this.config.server + (opts.path.startsWith("/") ? opts.path : `/${opts.path}`));
    for (const [key, value] of Object.entries(opts.query ?? {})) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(v));
    }
    const timeout = this.config.timeoutMs > 0 ? formatGoDuration(this.config.timeoutMs) : opts.discovery ? DISCOVERY_TIMEOUT : "";
    if (timeout && !url.searchParams.has("timeout")) url.searchParams.set("timeout", timeout);
    return url;
  }

  private headers(opts: RequestOptions, url: URL): [string, string][] {
    const c = this.config;
    const h: [string, string][] = [
      ["Accept", opts.accept ?? "application/json, */*"],
      ["User-Agent", this.options.userAgent],
    ];
    if (opts.contentType) h.push(["Content-Type", opts.contentType]);
    h.push(...this.credentialHeaders(url));
    const env = this.options.env ?? process.env;
    const commandHeaders = env.KUBECTL_COMMAND_HEADERS;
    if (this.options.command && commandHeaders !== "false" && commandHeaders !== "0") {
      h.push(["Kubectl-Command", this.options.command], ["Kubectl-Session", this.sessionId]);
    }
    if (c.disableCompression) h.push(["Accept-Encoding", "identity"]);
    for (const [k, v] of Object.entries(opts.headers ?? {})) h.push([k, v]);
    return h;
  }

  /** The Authorization and Impersonate-* headers this client adds (credentials only over TLS; run refreshCredentials() first for exec plugins). */
  credentialHeaders(url: URL): [string, string][] {
    const c = this.config;
    const h: [string, string][] = [];
    if (url.protocol === "https:") {
      const token = c.tokenFile ? readToken(c.tokenFile) : c.token || this.execCredential?.token;
      if (token) h.push(["Authorization", `Bearer ${token}`]);
      else if (c.username || c.password) h.push(["Authorization", `Basic ${btoa(`${c.username ?? ""}:${c.password ?? ""}`)}`]);
    }
    if (c.impersonate) {
      h.push(["Impersonate-User", c.impersonate.user]);
      if (c.impersonate.uid) h.push(["Impersonate-Uid", c.impersonate.uid]);
      for (const g of c.impersonate.groups) h.push(["Impersonate-Group", g]);
      for (const [key, values] of Object.entries(c.impersonate.extra)) {
        for (const v of values) h.push([`Impersonate-Extra-${encodeExtraKey(key)}`, v]);
      }
    }
    return h;
  }

  private collectWarnings(headers: Headers): void {
    const raw = headers.get("warning");
    if (!raw) return;
    for (const m of raw.matchAll(/(\d{3})\s+\S+\s+"((?:[^"\\]|\\.)*)"(?:\s+"[^"]*")?/g)) {
      const text = m[2]!.replace(/\\(.)/g, "$1");
      if (m[1] !== "299" || this.warnings.has(text)) continue;
      this.warnings.add(text);
      (this.options.warn ?? ((w: string) => writeStderr(`Warning: ${w}\n`)))(text);
    }
  }
}

function readToken(path: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch (err) {
    throw new ConfigError(goFileError("open", path, err));
  }
}

// Header-token characters pass through; anything else is percent-encoded, as client-go does.
function encodeExtraKey(key: string): string {
  return key.replace(/[^A-Za-z0-9!#$&'*+.^_`|~-]/g, (c) => encodeURIComponent(c));
}

/** The certificate name check, keeping Go's wording of a failure for the error message. */
class IdentityCheck {
  failure?: string;

  constructor(private readonly insecure: boolean) {}

  readonly check = (host: string, cert: PeerNames): Error | undefined => {
    if (this.insecure) return undefined;
    this.failure = verifyHostname(host, cert);
    return this.failure ? Object.assign(new Error(this.failure), { code: "ERR_TLS_CERT_ALTNAME_INVALID" }) : undefined;
  };
}

const UNKNOWN_AUTHORITY = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_SIGNATURE_FAILURE",
]);

function connectionError(err: unknown, url: URL, host: string, identityFailure?: string): ConnectionError {
  const e = err as { code?: string; name?: string; message?: string };
  const code = typeof e?.code === "string" ? e.code : (e?.name ?? "");
  const unable = (why: string) => new ConnectionError(`Unable to connect to the server: ${why}`, code);
  if (code === "ECONNREFUSED") {
    return new ConnectionError(`The connection to the server ${host} was refused - did you specify the right host or port?`, code);
  }
  if (code === "TimeoutError") return unable("net/http: request canceled (Client.Timeout exceeded while awaiting headers)");
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return unable(`dial tcp: lookup ${url.hostname}: no such host`);
  if (UNKNOWN_AUTHORITY.has(code)) return unable("tls: failed to verify certificate: x509: certificate signed by unknown authority");
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return unable("tls: failed to verify certificate: x509: certificate has expired or is not yet valid");
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return unable(`tls: failed to verify certificate: ${identityFailure ?? `x509: certificate is not valid for ${url.hostname}`}`);
  }
  if (code === "ECONNRESET") return unable("EOF");
  if (code === "EPROTO") return unable("tls: handshake failed (does the server speak TLS on this port?)");
  if (code === "ETIMEDOUT") return unable(`dial tcp ${host}: i/o timeout`);
  if (code === "EHOSTUNREACH") return unable(`dial tcp ${host}: connect: no route to host`);
  if (code === "ENETUNREACH") return unable(`dial tcp ${host}: connect: network is unreachable`);
  return unable(e?.message ?? String(err));
}
