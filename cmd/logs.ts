// `kapi logs POD [CONTAINER] | TYPE/NAME | -l SELECTOR`: finds the pods and containers as
// kubectl does (cmd/logs/targets.ts), sends the same pods/log requests (cmd/logs/query.ts)
// and streams their bodies to stdout line by line (cmd/logs/consume.ts).

import type { CommandContext, CommandSpec } from "./main.ts";

export const spec: CommandSpec = {
  name: "logs",
  short: "Print the logs for a container in a pod",
  long: "Print the logs of a container in a pod, or of a pod chosen from another resource. The container name may be left out when the pod has a single container.",
  usage: "[-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]",
  examples: [
    "  # The logs of pod nginx (one container)",
    "  kapi logs nginx",
    "",
    "  # Every container of pod nginx, each line prefixed with its pod and container",
    "  kapi logs nginx --all-containers=true --prefix",
    "",
    "  # One pod of deployment web, or all of them",
    "  kapi logs deployment/web",
    "  kapi logs deployment/web --all-pods=true",
    "",
    "  # The pods labelled app=nginx, following at most 10 streams at once",
    "  kapi logs -f -l app=nginx --max-log-requests=10",
    "",
    "  # The previous run of container ruby in pod web-1",
    "  kapi logs -p -c ruby web-1",
    "",
    "  # The last 20 lines, or the last hour",
    "  kapi logs --tail=20 nginx",
    "  kapi logs --since=1h nginx",
  ].join("\n"),
  flags: [
    { name: "all-containers", type: "bool", description: "Print the logs of every container of the pod(s)." },
    { name: "all-pods", type: "bool", description: "Print the logs of every pod the resource selects; implies --prefix." },
    { name: "container", short: "c", type: "string", description: "The container whose logs to print." },
    { name: "follow", short: "f", type: "bool", description: "Keep streaming the logs as they are written." },
    { name: "ignore-errors", type: "bool", description: "When following several streams, report an error of one of them and go on with the others." },
    {
      name: "insecure-skip-tls-verify-backend",
      type: "bool",
      description: "Ask the server not to verify the kubelet's serving certificate when fetching the logs (for expired kubelet certificates; the log content could then be forged).",
    },
    { name: "limit-bytes", type: "int", description: "Stop after this many bytes of log. 0 means no limit." },
    { name: "max-log-requests", type: "int", default: 5, description: "How many log streams may be followed at once when a selector picks several." },
    { name: "pod-running-timeout", type: "duration", default: 20000, description: "How long to wait for a pod to appear (5s, 2m, 3h; above zero)." },
    { name: "prefix", type: "bool", description: "Start each line with its source: [pod/NAME/CONTAINER]." },
    { name: "previous", short: "p", type: "bool", description: "Print the logs of the container's previous run, if there was one." },
    { name: "selector", short: "l", type: "string", description: "Label selector picking the pods ('=', '==' and '!=', e.g. -l key1=value1,key2=value2)." },
    { name: "since", type: "duration", description: "Only logs newer than this relative duration (5s, 2m, 3h). Exclusive with --since-time." },
    { name: "since-time", type: "string", description: "Only logs written after this RFC3339 time. Exclusive with --since." },
    { name: "tail", type: "int", default: -1, description: "How many of the latest lines to print; -1 prints all, or 10 per container with a selector." },
    { name: "timestamps", type: "bool", description: "Start each line with the time it was written." },
  ],
};

const USAGE = "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command";

export async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  const selector = f.string("selector");
  const args = ctx.args;
  if (args.length === 0 && selector === "") throw ctx.usageError(USAGE);
  if (args.length === 1 && selector !== "") throw ctx.usageError("only a selector (-l) or a POD name is allowed");
  if (args.length > 2) throw ctx.usageError(USAGE);
  if (args.length === 2 && selector !== "") throw new Error("selectors and the all flag cannot be used when passing resource/name arguments");
  if (f.number("pod-running-timeout") <= 0) throw new Error("--pod-running-timeout must be higher than zero");

  const [{ buildQuery, parseSinceTime }, { fetchTarget, logRequests }, { consume }] = await Promise.all([
    import("./logs/query.ts"),
    import("./logs/targets.ts"),
    import("./logs/consume.ts"),
  ]);
  const sinceTime = f.string("since-time") ? parseSinceTime(f.string("since-time")) : undefined;
  const inlineContainer = args[1] ?? "";
  const container = f.string("container") || inlineContainer;
  const { namespace } = await ctx.clientConfig();
  const target = await fetchTarget(ctx, namespace, args[0], selector);
  if (target.kind === "empty") return 0;

  if (sinceTime !== undefined && f.number("since") !== 0) throw new Error("at most one of `sinceTime` or `sinceSeconds` may be specified");
  if (f.bool("all-containers") && container) throw new Error(`--all-containers=true should not be specified with container name ${container}`);
  if (f.changed("container") && inlineContainer) throw new Error("only one of -c or an inline [CONTAINER] arg is allowed");
  if (f.number("limit-bytes") < 0) throw new Error("--limit-bytes must be greater than 0");
  if (f.number("since") < 0) throw new Error("--since must be greater than 0");
  if (f.number("tail") < -1) throw new Error("--tail must be greater than or equal to -1");

  const tail = selector !== "" && !f.changed("tail") ? 10 : f.number("tail");
  const query = buildQuery({
    follow: f.bool("follow"),
    previous: f.bool("previous"),
    timestamps: f.bool("timestamps"),
    insecureSkipTlsVerifyBackend: f.bool("insecure-skip-tls-verify-backend"),
    limitBytes: f.number("limit-bytes"),
    sinceMs: f.number("since"),
    sinceTime,
    tail,
  });
  const requests = await logRequests(ctx, target, {
    namespace,
    container,
    allContainers: f.bool("all-containers"),
    allPods: f.bool("all-pods"),
    podTimeoutMs: f.number("pod-running-timeout"),
  });
  const max = f.number("max-log-requests");
  if (f.bool("follow") && requests.length > max) {
    throw new Error(`you are attempting to follow ${requests.length} log streams, but maximum allowed concurrency is ${max}, use --max-log-requests to increase the limit`);
  }
  await consume(await ctx.restClient(), requests, query, {
    parallel: f.bool("follow") && requests.length > 1,
    prefix: f.bool("prefix") || f.bool("all-pods"),
    ignoreErrors: f.bool("ignore-errors"),
  });
  return 0;
}
