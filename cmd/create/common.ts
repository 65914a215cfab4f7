// What every `kapi create <generator>` shares: kubectl's flags (--dry-run, -o, --save-config,
// --validate, --field-manager), and sending the built object the way kubectl's typed clients
// do (JSON, as kubectl 1.27–1.31 send it; 1.32+ send the same content as protobuf).

import type { CommandContext } from "../main.ts";
import type { FlagDef } from "../flags.ts";
import { writeStderr } from "../../client/stdio.ts";

type Obj = Record<string, unknown>;

/** The dry-run strategy after parsing --dry-run. */
export type DryRun = "none" | "client" | "server";

/** Flags kubectl's create generators all take (printing, dry-run, validation, field manager). */
export function generatorFlags(fieldManager = "kubectl-create"): FlagDef[] {
  return [
    { name: "allow-missing-template-keys", type: "bool", default: true, description: "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats." },
    { name: "dry-run", type: "string", default: "none", noOptDefault: "unchanged", description: `Must be "none", "server", or "client". If client strategy, only print the object that would be sent, without sending it. If server strategy, submit server-side request without persisting the resource.` },
    { name: "field-manager", type: "string", default: fieldManager, description: "Name of the manager used to track field ownership." },
    { name: "output", short: "o", type: "string", description: "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file)." },
    { name: "save-config", type: "bool", description: "If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future." },
    { name: "show-managed-fields", type: "bool", description: "If true, keep the managedFields when printing objects in JSON or YAML format." },
    { name: "template", type: "string", description: "Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview]." },
    { name: "validate", type: "string", default: "strict", noOptDefault: "strict", description: `Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to validate the input and fail the request if invalid. It will perform server side validation if ServerSideFieldValidation is enabled on the api-server, but will fall back to less reliable client-side validation if not. "warn" will warn about unknown or duplicate fields without blocking the request if server-side field validation is enabled on the API server, and behave as "ignore" otherwise. "false" or "ignore" will not perform any schema validation, silently dropping any unknown or duplicate fields.` },
  ];
}

/** --dry-run, with kubectl's deprecation warning for the bare flag. */
export async function dryRunStrategy(ctx: CommandContext): Promise<DryRun> {
  const value = ctx.flags.string("dry-run");
  if (value === "unchanged") {
    const { klogLine } = await import("../../client/trace.ts");
    writeStderr(`W${klogLine("helpers.ts:1", "--dry-run is deprecated and can be replaced with --dry-run=client.").slice(1)}\n`);
    return "client";
  }
  if (value === "none" || value === "client" || value === "server") return value;
  throw new Error(`Invalid dry-run value (${value}). Must be "none", "server", or "client".`);
}

/** --validate as the fieldValidation query value. */
export function fieldValidation(ctx: CommandContext): "Strict" | "Warn" | "Ignore" {
  const value = ctx.flags.string("validate").toLowerCase();
  if (value === "strict" || value === "true") return "Strict";
  if (value === "warn") return "Warn";
  if (value === "ignore" || value === "false") return "Ignore";
  throw new Error(`invalid - validate option ${JSON.stringify(ctx.flags.string("validate"))}; must be one of: strict (or true), warn, ignore (or false)`);
}

/** Exactly one NAME argument, or kubectl's usage error. */
/** Fails as cobra does for flags marked required that were not given. */
export function requireFlags(ctx: CommandContext, ...names: string[]): void {
  const missing = names.filter((name) => !ctx.flags.changed(name));
  if (missing.length > 0) throw new Error(`required flag(s) ${missing.map((name) => `"${name}"`).join(", ")} not set`);
}

export function oneName(ctx: CommandContext): string {
  if (ctx.args.length !== 1) throw ctx.usageError(`exactly one NAME is required, got ${ctx.args.length}`);
  return ctx.args[0]!;
}

/** The one NAME before `--` and the command after it, or kubectl's usage error. */
export function nameAndCommand(ctx: CommandContext): { name: string; command: string[] } {
  const dash = ctx.argsLenAtDash;
  const names = dash >= 0 ? ctx.args.slice(0, dash) : ctx.args;
  if (names.length !== 1) throw ctx.usageError(`exactly one NAME is required, got ${names.length}`);
  return { name: names[0]!, command: dash >= 0 ? ctx.args.slice(dash) : [] };
}

/** The namespace to create in, and whether -n set it (kubectl then writes it into the object). */
export async function targetNamespace(ctx: CommandContext): Promise<{ namespace: string; explicit: boolean }> {
  const cfg = await ctx.clientConfig();
  return { namespace: cfg.namespace, explicit: cfg.namespaceExplicit };
}

/** kubectl's secret generators wrap server errors without a colon: `failed to create secret secrets "x" already exists`. */
export const SECRET_ERROR_PREFIX = "failed to create secret ";

/** Where a generated object goes: its collection URL and, for errors, a prefix kubectl adds. */
export interface GeneratedObject {
  object: Obj;
  /** e.g. `/apis/apps/v1/namespaces/default/deployments`. */
  collectionPath: string;
  /** `failed to create deployment: ` for the generators that wrap server errors. */
  errorPrefix?: string;
}

/**
 * The tail every generator shares: parse the common flags, add the last-applied annotation
 * for --save-config, then print locally (--dry-run=client) or POST and print the answer.
 */
export async function createGenerated(ctx: CommandContext, build: () => Promise<GeneratedObject> | GeneratedObject): Promise<number> {
  const { checkObjectOutput, goJson, printObject } = await import("../../client/object-output.ts");
  const output = ctx.flags.string("output");
  checkObjectOutput(output);
  const validation = fieldValidation(ctx);
  const dryRun = await dryRunStrategy(ctx);
  const generated = await build();
  const object = generated.object;
  if (ctx.flags.bool("save-config")) setLastApplied(object, `${goJson(object)}\n`);
  const print = (obj: Obj) =>
    printObject(obj, { output, operation: "created", dryRun, showManagedFields: ctx.flags.bool("show-managed-fields"), allowMissingKeys: ctx.flags.bool("allow-missing-template-keys") });
  if (dryRun === "client") return print(object).then(() => 0);

  const client = await ctx.restClient();
  const query: Record<string, string> = {};
  if (dryRun === "server") query.dryRun = "All";
  query.fieldManager = ctx.flags.string("field-manager");
  query.fieldValidation = validation;
  let created: Obj;
  try {
    created = await client.requestJson<Obj>({
      method: "POST",
      path: generated.collectionPath,
      query,
      contentType: "application/json",
      body: `${goJson(object)}\n`,
    });
  } catch (err) {
    // Some generators wrap the error's own text (a Status's message) in a plain error.
    if (generated.errorPrefix && err instanceof Error && err.name === "StatusError") throw new Error(`${generated.errorPrefix}${err.message}`);
    throw err;
  }
  if (output === "json" || output === "yaml") {
    const { typedOrder } = await import("../../client/typed-order.ts");
    created = typedOrder(created);
  }
  await print(created);
  return 0;
}

/** Sets metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"], keeping field order. */
export function setLastApplied(object: Obj, value: string): void {
  const meta = (object.metadata ??= {}) as Obj;
  const annotations = (meta.annotations ?? {}) as Obj;
  annotations["kubectl.kubernetes.io/last-applied-configuration"] = value;
  meta.annotations = annotations;
}
