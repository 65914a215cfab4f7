// client-go's exec credential plugins (client.authentication.k8s.io v1 and v1beta1): the
// kubeconfig names a command whose stdout is an ExecCredential carrying a token or a client
// certificate. It runs on first use, again when the credential expires, and once more when
// the server answers 401. Its stderr goes to the user, as does its stdin when interactive.

import { ConnectionError } from "./errors.ts";
import type { ExecConfig } from "./kubeconfig.ts";

/** What a plugin returned. */
export interface ExecCredential {
  token?: string;
  certData?: string;
  keyData?: string;
  /** ms since the epoch; undefined: valid until the server refuses it. */
  expiresAt?: number;
}

/** The cluster a plugin is told about when provideClusterInfo is set. */
export interface ExecClusterInfo {
  server: string;
  caData?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

const INSTALL_HELP = [
  "It looks like you are trying to use a client-go credential plugin that is not installed.",
  "",
  "To learn more about this feature, consult the documentation available at:",
  "      https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins",
].join("\n");

/** Runs one plugin and caches what it returns. */
export class ExecCredentialSource {
  private cached?: ExecCredential;

  constructor(
    private readonly config: ExecConfig,
    private readonly cluster: ExecClusterInfo,
    private readonly stdinIsTerminal: boolean = Boolean(process.stdin.isTTY),
  ) {}

  /** The current credential, running the plugin when there is none or it expired. */
  async get(): Promise<ExecCredential> {
    if (this.cached && (this.cached.expiresAt === undefined || this.cached.expiresAt > Date.now())) return this.cached;
    this.cached = await this.run();
    return this.cached;
  }

  /** Forgets the credential after the server refused it; the next get() runs the plugin again. */
  invalidate(): void {
    this.cached = undefined;
  }

  private interactive(): boolean {
    const mode = this.config.interactiveMode ?? "IfAvailable";
    if (mode === "Never") return false;
    if (mode === "Always" && !this.stdinIsTerminal) throw this.failure("exec plugin cannot support interactive mode: standard input is not a terminal");
    return this.stdinIsTerminal;
  }

  private async run(): Promise<ExecCredential> {
    const c = this.config;
    const interactive = this.interactive();
    const spec: Record<string, unknown> = {};
    if (c.provideClusterInfo) {
      const cluster: Record<string, unknown> = { server: this.cluster.server };
      if (this.cluster.tlsServerName) cluster["tls-server-name"] = this.cluster.tlsServerName;
      if (this.cluster.insecureSkipTlsVerify) cluster["insecure-skip-tls-verify"] = true;
      if (this.cluster.caData) cluster["certificate-authority-data"] = Buffer.from(this.cluster.caData).toString("base64");
      if (this.cluster.proxyUrl) cluster["proxy-url"] = this.cluster.proxyUrl;
      cluster.config = null;
      spec.cluster = cluster;
    }
    spec.interactive = interactive;
    const info = `${JSON.stringify({ kind: "ExecCredential", apiVersion: c.apiVersion, spec })}\n`;
    const env: Record<string, string | undefined> = { ...process.env, KUBERNETES_EXEC_INFO: info };
    for (const { name, value } of c.env) env[name] = value;

    let child: ReturnType<typeof Bun.spawn>;
    try {
      child = Bun.spawn([c.command, ...c.args], { env, stdin: interactive ? "inherit" : "ignore", stdout: "pipe", stderr: "inherit" });
    } catch {
      const hint = c.installHint ? `\n\n${c.installHint}` : "";
      throw this.failure(`exec: executable ${c.command} not found\n\n${INSTALL_HELP}${hint}`);
    }
    const [stdout, code] = await Promise.all([new Response(child.stdout as ReadableStream).text(), child.exited]);
    if (code !== 0) throw this.failure(`exec: executable ${c.command} failed with exit code ${code}`);
    return this.parse(stdout);
  }

  private async parse(stdout: string): Promise<ExecCredential> {
    // client-go's decoder takes YAML as well as JSON.
    let cred: { apiVersion?: string; kind?: string; status?: Record<string, unknown> } | null;
    try {
      cred = JSON.parse(stdout);
    } catch (err) {
      try {
        cred = (await import("../api/yaml.ts")).parseYamlDocument(stdout) as typeof cred;
      } catch {
        throw this.failure(`decoding stdout: couldn't get version/kind; json parse error: ${(err as Error).message}`);
      }
    }
    if (!cred || typeof cred !== "object") throw this.failure("decoding stdout: Object 'Kind' is missing");
    // Without an apiVersion the decoder lands on the internal version, which never matches.
    const returned = cred.apiVersion || "client.authentication.k8s.io/__internal";
    if (returned !== this.config.apiVersion) {
      throw this.failure(`exec plugin is configured to use API version ${this.config.apiVersion}, plugin returned version ${returned}`);
    }
    const status = cred.status;
    if (!status) throw this.failure("exec plugin didn't return a status field");
    const str = (key: string) => (typeof status[key] === "string" ? (status[key] as string) : "");
    const [token, cert, key] = [str("token"), str("clientCertificateData"), str("clientKeyData")];
    if (!token && !cert && !key) throw this.failure("exec plugin didn't return a token or cert/key pair");
    if (!!cert !== !!key) throw this.failure("exec plugin returned only certData or keyData");
    const expiry = str("expirationTimestamp");
    return {
      ...(token ? { token } : {}),
      ...(cert ? { certData: cert, keyData: key } : {}),
      ...(expiry ? { expiresAt: Date.parse(expiry) } : {}),
    };
  }

  // kubectl reports plugin failures as a connection failure: "Unable to connect to the server: getting credentials: …".
  private failure(message: string): ConnectionError {
    return new ConnectionError(`Unable to connect to the server: getting credentials: ${message}`, "EXEC");
  }
}
