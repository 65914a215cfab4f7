// `kapi auth whoami`: a SelfSubjectReview (authentication.k8s.io v1, then v1beta1, then
// v1alpha1 when the server has not got the newer one, as kubectl ≥1.28 does), printed as an
// ATTRIBUTE/VALUE table or through -o.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { StatusError } from "../../api/status.ts";
import { TabWriter } from "../../client/printers/tabwriter.ts";
import { requestTyped } from "../../client/typed-request.ts";

export const spec: CommandSpec = {
  name: "whoami",
  short: "Experimental: Check self subject attributes",
  long: [
    "Experimental: Check who you are and your attributes (groups, extra).",
    "",
    "        This command helps when a cluster has several authentication methods or when",
    "impersonation is involved: the server reports the user it took the request to be from.",
  ].join("\n"),
  examples: ["  # Get your subject attributes", "  kapi auth whoami", "", "  # Get your subject attributes in JSON format", "  kapi auth whoami -o json"].join("\n"),
  flags: [
    { name: "allow-missing-template-keys", type: "bool", default: true, description: "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats." },
    { name: "output", short: "o", type: "string", description: "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file)." },
    { name: "show-managed-fields", type: "bool", description: "If true, keep the managedFields when printing objects in JSON or YAML format." },
    { name: "template", type: "string", description: "Template string or path to template file to use when -o=go-template, -o=go-template-file." },
  ],
};

const VERSIONS = ["v1", "v1beta1", "v1alpha1"];

interface UserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

type Obj = Record<string, unknown>;

export async function run(ctx: CommandContext): Promise<number> {
  const output = ctx.flags.string("output");
  const { checkObjectOutput } = await import("../../client/object-output.ts");
  checkObjectOutput(output);
  const client = await ctx.restClient();
  let answer: Obj | undefined;
  let version = "";
  for (version of VERSIONS) {
    const apiVersion = `authentication.k8s.io/${version}`;
    const review = { kind: "SelfSubjectReview", apiVersion, metadata: { creationTimestamp: null }, status: { userInfo: {} } };
    try {
      answer = await requestTyped<Obj>(client, {
        method: "POST",
        path: `/apis/${apiVersion}/selfsubjectreviews`,
        body: review,
        subject: { resource: "selfsubjectreviews.authentication.k8s.io" },
      });
      break;
    } catch (err) {
      if (err instanceof StatusError && err.code === 403) {
        throw new Error("the selfsubjectreviews API is not enabled in the cluster or you do not have permission to call it");
      }
      if (!(err instanceof StatusError && err.code === 404)) throw err;
    }
  }
  if (!answer) {
    throw new Error(
      "the selfsubjectreviews API is not enabled in the cluster\nenable APISelfSubjectReview feature gate and authentication.k8s.io/v1alpha1 or authentication.k8s.io/v1beta1 API",
    );
  }
  const review = typedReview(answer, `authentication.k8s.io/${version}`);
  writeStdout(output === "" ? table(userInfoOf(review)) : await printed(review, output, ctx));
  return 0;
}

function userInfoOf(review: Obj): UserInfo {
  return ((review.status as Obj | undefined)?.userInfo ?? {}) as UserInfo;
}

// kubectl decodes into its typed SelfSubjectReview: fields in struct order, empty ones
// dropped, a missing creationTimestamp shown as null, extra keys sorted (a Go map).
function typedReview(answer: Obj, apiVersion: string): Obj {
  const meta = (answer.metadata ?? {}) as Obj;
  const ui = userInfoOf(answer);
  const userInfo: Obj = {};
  if (ui.username) userInfo.username = ui.username;
  if (ui.uid) userInfo.uid = ui.uid;
  if (ui.groups?.length) userInfo.groups = ui.groups;
  const extraKeys = Object.keys(ui.extra ?? {}).sort();
  if (extraKeys.length) userInfo.extra = Object.fromEntries(extraKeys.map((k) => [k, ui.extra![k]]));
  return { kind: "SelfSubjectReview", apiVersion, metadata: { ...meta, creationTimestamp: meta.creationTimestamp ?? null }, status: { userInfo } };
}

function table(ui: UserInfo): string {
  const w = new TabWriter();
  w.add(["ATTRIBUTE", "VALUE"]);
  if (ui.username) w.add(["Username", ui.username]);
  if (ui.uid) w.add(["UID", ui.uid]);
  if (ui.groups?.length) w.add(["Groups", `[${ui.groups.join(" ")}]`]);
  for (const [key, values] of Object.entries(ui.extra ?? {})) w.add([`Extra: ${key}`, `[${values.join(" ")}]`]);
  return w.flush();
}

async function printed(review: Obj, output: string, ctx: CommandContext): Promise<string> {
  const eq = output.indexOf("=");
  const format = eq >= 0 ? output.slice(0, eq) : output;
  const arg = eq >= 0 ? output.slice(eq + 1) : ctx.flags.string("template");
  // A review has no name; kubectl's name printer says so.
  if (format === "name") return "selfsubjectreview.authentication.k8s.io/<unknown>\n";
  if (format === "json") {
    const { goJson } = await import("../../client/object-output.ts");
    return `${goJson(review, 4)}\n`;
  }
  const { createObjectPrinter } = await import("../../client/printers/object-printer.ts");
  const printer = createObjectPrinter(format, arg, {
    allowMissingKeys: ctx.flags.bool("allow-missing-template-keys"),
    showManagedFields: ctx.flags.bool("show-managed-fields"),
  });
  return printer.print(review);
}
