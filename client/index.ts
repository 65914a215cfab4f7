// The client core's public surface: kubeconfig loading and resolution, the REST transport,
// and the errors both produce. Commands may import the individual modules instead, to keep
// start-up lazy (none of these load YAML until a kubeconfig is read).

export { loadKubeconfig, mergeKubeconfigs, parseKubeconfig, kubeconfigPaths } from "./kubeconfig.ts";
export type { ClusterEntry, ContextEntry, ExecConfig, Kubeconfig, KubeconfigSource, LoadedKubeconfig, UserEntry } from "./kubeconfig.ts";
export { resolveClientConfig, parseRequestTimeout, normalizeServer, serverHost } from "./client-config.ts";
export type { ClientConfig, ConfigOverrides, Impersonation, ResolveOptions } from "./client-config.ts";
export { RestClient, userAgent } from "./transport.ts";
export type { RequestOptions, RestClientOptions, TextResponse } from "./transport.ts";
export { ConfigError, ConnectionError, configurationInvalid, describeError, responseError } from "./errors.ts";
export type { ErrorSubject } from "./errors.ts";
export { formatGoDuration, parseGoDuration, DurationError } from "./go-duration.ts";
export { writeStderr, writeStdout } from "./stdio.ts";
export { klogLine, type LogSink } from "./trace.ts";
