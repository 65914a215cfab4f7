// The options every client command accepts (kubectl's global flags), and their mapping onto
// the client's ConfigOverrides.

import type { ConfigOverrides } from "../client/client-config.ts";
import type { FlagDef, FlagValues } from "./flags.ts";

/** `-h, --help`, accepted everywhere and handled by main. */
export const HELP_FLAG: FlagDef = { name: "help", short: "h", type: "bool", description: "Show help for this command." };

/** Flags shared by every command, kubectl-compatible names, shorthands and types. */
export const GLOBAL_FLAGS: FlagDef[] = [
  { name: "as", type: "string", description: "User name to act as (impersonation); a plain user or a service account." },
  { name: "as-group", type: "stringArray", description: "Group to act as; repeat the flag for several groups." },
  { name: "as-uid", type: "string", description: "UID to act as." },
  { name: "cache-dir", type: "string", default: `${process.env.HOME ?? "~"}/.kube/cache`, description: "Directory for cached discovery data." },
  { name: "certificate-authority", type: "string", description: "File holding the CA certificate(s) that sign the server's certificate." },
  { name: "client-certificate", type: "string", description: "Client certificate file for TLS authentication." },
  { name: "client-key", type: "string", description: "Client private key file for TLS authentication." },
  { name: "cluster", type: "string", description: "Kubeconfig cluster entry to use." },
  { name: "context", type: "string", description: "Kubeconfig context to use." },
  { name: "disable-compression", type: "bool", description: "If true, do not ask the server to compress responses." },
  {
    name: "insecure-skip-tls-verify",
    type: "bool",
    description: "If true, do not verify the server's certificate. Connections are then open to interception.",
  },
  { name: "kubeconfig", type: "string", description: "Kubeconfig file to use instead of $KUBECONFIG and ~/.kube/config." },
  { name: "log-flush-frequency", type: "duration", default: 5000, description: "Accepted for compatibility; kapi writes logs unbuffered." },
  { name: "match-server-version", type: "bool", description: "If true, fail unless the server reports the same version as this client." },
  { name: "namespace", short: "n", type: "string", description: "Namespace to work in for this request." },
  { name: "password", type: "string", description: "Password for HTTP basic authentication." },
  {
    name: "request-timeout",
    type: "string",
    default: "0",
    description: "How long to wait for a single request: whole seconds, or a number with a unit (1s, 2m, 3h). 0 waits forever.",
  },
  { name: "server", short: "s", type: "string", description: "Address (URL or host:port) of the Kubernetes API server." },
  { name: "tls-server-name", type: "string", description: "Name to check the server's certificate against, instead of the host name in the URL." },
  { name: "token", type: "string", description: "Bearer token to authenticate with." },
  { name: "user", type: "string", description: "Kubeconfig user entry to use." },
  { name: "username", type: "string", description: "User name for HTTP basic authentication." },
  { name: "v", short: "v", type: "int", description: "Log level: 6 traces each request, 7 adds headers, 8 bodies, 9 a curl command." },
  { name: "warnings-as-errors", type: "bool", description: "If true, exit with an error when the server returns any warning." },
];

/** Translates parsed global flags into the overrides the client's config resolution takes. */
export function configOverrides(flags: FlagValues, shadowed: Set<string> = new Set()): ConfigOverrides {
  const str = (name: string) => (flags.changed(name) && !shadowed.has(name) ? flags.string(name) : undefined);
  return {
    kubeconfig: str("kubeconfig") || undefined,
    context: str("context"),
    cluster: str("cluster"),
    user: str("user"),
    namespace: str("namespace"),
    server: str("server"),
    token: str("token"),
    username: str("username"),
    password: str("password"),
    certificateAuthority: str("certificate-authority"),
    clientCertificate: str("client-certificate"),
    clientKey: str("client-key"),
    insecureSkipTlsVerify: flags.changed("insecure-skip-tls-verify") ? flags.bool("insecure-skip-tls-verify") : undefined,
    tlsServerName: str("tls-server-name"),
    impersonate: str("as"),
    impersonateUid: str("as-uid"),
    impersonateGroups: flags.changed("as-group") ? flags.list("as-group") : undefined,
    requestTimeout: str("request-timeout"),
    disableCompression: flags.bool("disable-compression"),
  };
}
