// `kapi auth can-i VERB TYPE[/NAME] | VERB NONRESOURCEURL`, and `--list`: asks the server
// with a SelfSubjectAccessReview (or SelfSubjectRulesReview) sent as kubectl ≤1.31 sends it,
// and prints yes/no (or the rules table) the way kubectl does.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStderr, writeStdout } from "../../client/stdio.ts";
import { discoveryFor } from "../discovery.ts";
import { requestTyped } from "../../client/typed-request.ts";

export const spec: CommandSpec = {
  name: "can-i",
  short: "Check whether an action is allowed",
  long: [
    "Check whether an action is allowed.",
    "",
    " VERB is an API verb such as 'get', 'list', 'watch' or 'delete'. TYPE is a resource type; short names and",
    "groups are resolved through discovery. NONRESOURCEURL is a path starting with \"/\". NAME names one object.",
    "Combine with --as to check what another user may do.",
  ].join("\n"),
  usage: "VERB [TYPE | TYPE/NAME | NONRESOURCEURL]",
  examples: [
    "  # May I create pods in every namespace?",
    "  kapi auth can-i create pods --all-namespaces",
    "",
    "  # May I list deployments in my current namespace?",
    "  kapi auth can-i list deployments.apps",
    "",
    "  # May the service account dev/foo list pods in namespace prod? (needs impersonation rights)",
    "  kapi auth can-i list pods --as=system:serviceaccount:dev:foo -n prod",
    "",
    "  # May I read the logs of pods?",
    "  kapi auth can-i get pods --subresource=log",
    "",
    "  # May I fetch the URL /logs/?",
    "  kapi auth can-i get /logs/",
    "",
    "  # Everything I may do in namespace foo",
    "  kapi auth can-i --list --namespace=foo",
  ].join("\n"),
  flags: [
    { name: "all-namespaces", short: "A", type: "bool", description: "If true, ask about the action in every namespace." },
    { name: "list", type: "bool", description: "If true, print every action allowed." },
    { name: "no-headers", type: "bool", description: "If true, print the allowed actions without the header line." },
    { name: "quiet", short: "q", type: "bool", description: "If true, print nothing; only the exit code tells the answer." },
    { name: "subresource", type: "string", description: "Subresource to ask about, such as log (pods/log) or scale (deployments/scale)." },
  ],
};

/** Verbs kubectl knows for resources and for non-resource URLs (others get a warning). */
const RESOURCE_VERBS = new Set(["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "use", "bind", "impersonate", "*", "approve", "sign", "escalate", "attest"]);
const URL_VERBS = new Set(["get", "put", "post", "head", "options", "delete", "patch", "*"]);
/** Resource names kubectl asks about without warning, though discovery never lists them. */
const VIRTUAL_RESOURCES = new Set(["users", "groups"]);

interface Target {
  verb: string;
  url?: string;
  group: string;
  resource: string;
  name: string;
  /** Discovery's answer when the type resolved. */
  namespaced?: boolean;
}

export async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  if (f.bool("list")) {
    if (ctx.args.length > 0) throw new Error("list option must be specified with no arguments");
    if (f.bool("quiet") || f.bool("all-namespaces") || f.string("subresource") !== "") {
      throw new Error("list option can't be specified with neither quiet, all-namespaces nor subresource options");
    }
    const { namespace } = await ctx.clientConfig();
    const { runRulesReview } = await import("./rules.ts");
    return runRulesReview(ctx, namespace, f.bool("no-headers"));
  }
  if (ctx.args.length !== 2) {
    throw new Error("you must specify two arguments: verb resource or verb resource/resourceName.\nSee 'kapi auth can-i -h' for help and examples.");
  }
  const target = await parseTarget(ctx, ctx.args[0]!, ctx.args[1]!);
  const allNamespaces = f.bool("all-namespaces");
  const subresource = f.string("subresource");
  const namespace = allNamespaces ? "" : (await ctx.clientConfig()).namespace;
  validate(target, allNamespaces, subresource, f.bool("no-headers"));

  const spec = target.url
    ? { nonResourceAttributes: { path: target.url, verb: target.verb } }
    : { resourceAttributes: omitEmpty({ namespace, verb: target.verb, group: target.group, resource: target.resource, subresource, name: target.name }) };
  const review = { kind: "SelfSubjectAccessReview", apiVersion: "authorization.k8s.io/v1", metadata: { creationTimestamp: null }, spec, status: { allowed: false } };
  const client = await ctx.restClient();
  const answer = await requestTyped<{ status?: { allowed?: boolean; reason?: string; evaluationError?: string } }>(client, {
    method: "POST",
    path: "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
    body: review,
    subject: { resource: "selfsubjectaccessreviews.authorization.k8s.io" },
  });
  const status = answer.status ?? {};
  if (!f.bool("quiet")) writeStdout(`${verdict(status)}\n`);
  return status.allowed ? 0 : 1;
}

/** `yes`, `no`, or `no - <reason> - <evaluation error>`. */
export function verdict(status: { allowed?: boolean; reason?: string; evaluationError?: string }): string {
  if (status.allowed) return "yes";
  return ["no", status.reason, status.evaluationError].filter((s) => s).join(" - ");
}

async function parseTarget(ctx: CommandContext, verb: string, what: string): Promise<Target> {
  if (what.startsWith("/")) return { verb, url: what, group: "", resource: "", name: "" };
  const slash = what.indexOf("/");
  const typeArg = slash >= 0 ? what.slice(0, slash) : what;
  const name = slash >= 0 ? what.slice(slash + 1) : "";
  if (typeArg === "*") return { verb, group: "", resource: "*", name };
  try {
    const r = await (await discoveryFor(ctx)).resolve(typeArg.toLowerCase());
    return { verb, group: r.group, resource: r.resource, name, namespaced: r.namespaced };
  } catch (err) {
    if (!isResolutionFailure(err)) throw err;
    // kubectl asks about the type as typed, after a warning.
    const lower = typeArg.toLowerCase();
    const dot = lower.indexOf(".");
    const [resource, group] = dot >= 0 ? [lower.slice(0, dot), lower.slice(dot + 1)] : [lower, ""];
    if (!VIRTUAL_RESOURCES.has(lower)) {
      const where = group ? ` in group '${group}'` : "";
      writeStderr(`Warning: the server doesn't have a resource type '${resource}'${where}\n\n`);
    }
    return { verb, group: "", resource: typeArg, name };
  }
}

// Configuration mistakes (kubeconfig, --as-group without --as) must still stop the command.
function isResolutionFailure(err: unknown): boolean {
  const name = (err as Error)?.name;
  return name !== "ConfigError" && name !== "UsageError";
}

function validate(t: Target, allNamespaces: boolean, subresource: string, noHeaders: boolean): void {
  const warn = (message: string) => writeStderr(`Warning: ${message}\n\n`);
  if (t.url) {
    if (subresource !== "") throw new Error("--subresource can not be used with NonResourceURL");
    if (!URL_VERBS.has(t.verb)) warn(`verb '${t.verb}' is not a known verb`);
  } else if (t.resource && !allNamespaces) {
    if (t.namespaced === false) {
      warn(t.group ? `resource '${t.resource}' is not namespace scoped in group '${t.group}'` : `resource '${t.resource}' is not namespace scoped`);
    }
    if (!RESOURCE_VERBS.has(t.verb)) warn(`verb '${t.verb}' is not a known verb`);
  }
  if (noHeaders) throw new Error("--no-headers cannot be set without --list specified");
}

function omitEmpty(o: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== ""));
}
