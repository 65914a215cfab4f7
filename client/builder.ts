// The resource builder: turns what a user typed (`type name…`, `type/name…`, `a,b`,
// categories such as `all`, `-f` files, selectors, `-A`, `--all`) into a list of targets a
// command then visits. Like kubectl's builder, argument mistakes and unknown types fail
// at once; problems with individual objects are collected and reported after the rest ran.

import { StatusError } from "../api/status.ts";
import type { ApiResource, Discovery } from "./discovery.ts";
import { describeError } from "./errors.ts";
import { readResourceFiles } from "./resource-files.ts";
import { apiVersionOf } from "./resources.ts";

/** What to resolve. */
export interface BuilderOptions {
  /** Positional arguments: `type[,type…] [name…]` or `type/name…`. */
  args?: string[];
  /** `-f` values: files, directories, URLs, `-`. */
  filenames?: string[];
  /** `-R`: descend into directories. */
  recursive?: boolean;
  /** The namespace of the invocation (`-n` or the context's). */
  namespace: string;
  /** `-n` was given: objects from files that name another namespace are an error. */
  enforceNamespace?: boolean;
  /** `-A`: list across namespaces. */
  allNamespaces?: boolean;
  /** `-l`, passed on list requests. */
  labelSelector?: string;
  /** `--field-selector`, passed on list requests. */
  fieldSelector?: string;
  /** `--all`: a type with no names selects every object (commands that require names or a selector). */
  all?: boolean;
  /** `-l`, `--all` or names are needed to select anything (delete); get lists instead. */
  requireSelection?: boolean;
  /** The command for messages, e.g. `kapi get`. */
  command?: string;
  readStdin?: () => Promise<string>;
}

/** One thing to act on: a collection (no `name`) or a single object. */
export interface ResourceInfo {
  mapping: ApiResource;
  /** The namespace to address; "" for cluster-scoped resources and for all namespaces. */
  namespace: string;
  name?: string;
  /** The object as read from a file (`-f`). */
  object?: Record<string, unknown>;
  /** A file path, URL or `STDIN` for `-f` objects. */
  source?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Resolved targets and the errors of objects that could not be resolved. */
export interface BuildResult {
  infos: ResourceInfo[];
  errors: Error[];
  /** Exactly one object was named (`get pod x`): printers show it bare, not as a List. */
  singleItemImplied: boolean;
}

/** A mistake in the arguments, reported like kubectl's usage errors (`error: …`). */
export class BuilderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BuilderError";
  }
}

/** Resolves the arguments; throws BuilderError or UnknownResourceError for fatal problems. */
export async function buildInfos(discovery: Discovery, opts: BuilderOptions): Promise<BuildResult> {
  const args = opts.args ?? [];
  const files = opts.filenames ?? [];
  const result: BuildResult = { infos: [], errors: [], singleItemImplied: false };
  if (files.length && args.length) throw new BuilderError(`Unexpected args: [${args.join(" ")}]\nSee '${opts.command ?? "kapi"} -h' for help and examples`);
  if (files.length) {
    await fromFiles(discovery, opts, files, result);
    return result;
  }
  if (args.length === 0) return result;
  const pairs = splitArgs(args, opts.command ?? "kapi");
  if (pairs.length && (opts.labelSelector || opts.fieldSelector)) {
    const hasNames = pairs.some((p) => p.names.length);
    if (hasNames) throw new BuilderError("name cannot be provided when a selector is specified");
  }
  for (const { types, names } of pairs) {
    const mappings: ApiResource[] = [];
    for (const t of types) mappings.push(...(await expand(discovery, t)));
    for (const mapping of mappings) {
      const namespace = !mapping.namespaced ? "" : opts.allNamespaces && names.length === 0 ? "" : opts.namespace;
      if (names.length === 0) {
        result.infos.push({ mapping, namespace, labelSelector: opts.labelSelector || undefined, fieldSelector: opts.fieldSelector || undefined });
      } else {
        for (const name of names) result.infos.push({ mapping, namespace, name });
      }
    }
  }
  const named = result.infos.filter((i) => i.name !== undefined);
  result.singleItemImplied = named.length === 1 && result.infos.length === 1 && pairs.length === 1 && pairs[0]!.types.length === 1;
  return result;
}

/** Runs `fn` on each info in order, collecting errors instead of stopping at the first. */
export async function visitInfos(infos: ResourceInfo[], fn: (info: ResourceInfo) => Promise<void>): Promise<Error[]> {
  const errors: Error[] = [];
  for (const info of infos) {
    try {
      await fn(info);
    } catch (err) {
      errors.push(err instanceof Error ? err : new Error(String(err)));
    }
  }
  return errors;
}

/**
 * How kubectl reports collected errors: each on its own line, server errors as
 * `Error from server (Reason): …`, others verbatim (repeats included, as kubectl prints them).
 */
export function formatErrors(errors: Error[]): string {
  const lines: string[] = [];
  for (const err of errors) {
    lines.push(err instanceof StatusError ? describeError(err) : err.message);
  }
  return lines.map((l) => `${l}\n`).join("");
}

interface TypeNames {
  types: string[];
  names: string[];
}

// `type/name type/name` pairs, or `types names…`; mixing the two forms is an error.
function splitArgs(args: string[], command: string): TypeNames[] {
  const slashed = args.filter((a) => a.includes("/")).length;
  if (slashed > 0 && slashed < args.length) {
    throw new BuilderError(
      `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${command} resource/<resource_name>' instead of '${command} resource resource/<resource_name>'`,
    );
  }
  if (slashed > 0) {
    return args.map((a) => {
      const parts = a.split("/");
      if (parts.length > 2) throw new BuilderError("arguments in resource/name form may not have more than one slash");
      if (!parts[0] || !parts[1] || new Set(parts[0].split(",")).size !== 1) {
        throw new BuilderError("arguments in resource/name form must have a single resource and name");
      }
      return { types: [parts[0]], names: [parts[1]] };
    });
  }
  const types = args[0]!.split(",").filter((t) => t !== "");
  if (types.length === 0) throw new BuilderError(`resource(s) were provided, but no name was specified`);
  return [{ types, names: args.slice(1) }];
}

async function expand(discovery: Discovery, type: string): Promise<ApiResource[]> {
  const category = await discovery.expandCategory(type.toLowerCase());
  if (category) return category;
  return [await discovery.resolve(type)];
}

async function fromFiles(discovery: Discovery, opts: BuilderOptions, files: string[], result: BuildResult): Promise<void> {
  const read = await readResourceFiles(files, { recursive: opts.recursive, readStdin: opts.readStdin });
  result.errors.push(...read.errors);
  for (const { source, object } of read.objects) {
    const meta = (object.metadata ?? {}) as { name?: string; namespace?: string };
    const apiVersion = String(object.apiVersion ?? "");
    const kind = String(object.kind ?? "");
    let mapping: ApiResource;
    try {
      mapping = await discovery.forKind(apiVersion, kind);
    } catch (err) {
      result.errors.push(
        new Error(`resource mapping not found for name: "${meta.name ?? ""}" namespace: "${meta.namespace ?? ""}" from "${source}": ${(err as Error).message}\nensure CRDs are installed first`),
      );
      continue;
    }
    let namespace = "";
    if (mapping.namespaced) {
      namespace = meta.namespace || opts.namespace;
      if (opts.enforceNamespace && meta.namespace && meta.namespace !== opts.namespace) {
        result.errors.push(
          new Error(
            `the namespace from the provided object "${meta.namespace}" does not match the namespace "${opts.namespace}". You must pass '--namespace=${meta.namespace}' to perform this operation.`,
          ),
        );
        continue;
      }
    }
    result.infos.push({ mapping, namespace, name: meta.name, object, source });
  }
  // kubectl treats one plain file (not a directory, not stdin) as naming a single item.
  const { statSync } = await import("node:fs");
  result.singleItemImplied = files.length === 1 && files[0] !== "-" && (/^https?:\/\//.test(files[0]!) || !statSync(files[0]!).isDirectory());
}

/** `apiVersion`/`kind` of a mapping, for filling in list items that lack them. */
export function typeMetaOf(mapping: ApiResource): { apiVersion: string; kind: string } {
  return { apiVersion: apiVersionOf(mapping), kind: mapping.kind };
}
