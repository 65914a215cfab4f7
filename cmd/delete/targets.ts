// What `kapi delete` acts on: named objects, objects from -f files, or the members of
// collections selected with -l / --field-selector / --all (listed first, as kubectl does).

import type { CommandContext } from "../main.ts";
import type { ApiResource } from "../../client/discovery.ts";
import { discoveryFor } from "../discovery.ts";

/** One object to delete. */
export interface DeleteTarget {
  mapping: ApiResource;
  namespace: string;
  name: string;
  /** The -f source, for error messages. */
  source?: string;
}

/** Targets plus errors met while resolving them (reported after the deletions). */
export interface Targets {
  targets: DeleteTarget[];
  errors: Error[];
  /** A selector or --all was used (nothing found then prints `No resources found`). */
  selected: boolean;
}

const NO_ARGS = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

/** Resolves the arguments and flags of `delete` into objects. */
export async function collectTargets(ctx: CommandContext): Promise<Targets> {
  const f = ctx.flags;
  const files = f.list("filename");
  const args = ctx.args;
  if (files.length === 0 && args.length === 0) throw new Error(NO_ARGS);
  const labelSelector = f.bool("all") ? "" : f.string("selector");
  const fieldSelector = f.string("field-selector");
  const selecting = f.bool("all") || labelSelector !== "" || fieldSelector !== "";
  const cfg = await ctx.clientConfig();
  const discovery = await discoveryFor(ctx);
  if (files.length > 0 && args.length > 0) {
    await discovery.resources();
    throw new Error("when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well");
  }
  if (args.length > 0 && !selecting && !args.some((a) => a.includes("/")) && args.length === 1) {
    throw new Error("resource(s) were provided, but no name was specified");
  }
  if (f.bool("all") && (args.length > 1 || args.some((a) => a.includes("/")))) throw new Error("name cannot be provided when a selector is specified");
  const { buildInfos, BuilderError } = await import("../../client/builder.ts");
  let built;
  try {
    built = await buildInfos(discovery, {
      args,
      filenames: files,
      recursive: f.bool("recursive"),
      namespace: cfg.namespace,
      enforceNamespace: cfg.namespaceExplicit,
      allNamespaces: f.bool("all-namespaces"),
      labelSelector,
      fieldSelector,
      all: f.bool("all"),
      requireSelection: true,
      command: "kapi get",
    });
  } catch (err) {
    if (err instanceof BuilderError) throw new Error(err.message);
    throw err;
  }
  const result: Targets = { targets: [], errors: [...built.errors], selected: selecting };
  const client = await ctx.restClient();
  const { resourcePath } = await import("../../client/resources.ts");
  for (const info of built.infos) {
    if (info.name !== undefined) {
      result.targets.push({ mapping: info.mapping, namespace: info.namespace, name: info.name, source: info.source });
      continue;
    }
    const query: Record<string, string> = {};
    if (info.labelSelector) query.labelSelector = info.labelSelector;
    if (info.fieldSelector) query.fieldSelector = info.fieldSelector;
    try {
      const list = await client.requestJson<{ items?: { metadata?: { name?: string; namespace?: string } }[] }>({
        path: resourcePath(info.mapping, info.namespace),
        query,
        accept: "application/json",
      });
      for (const item of list.items ?? []) {
        result.targets.push({ mapping: info.mapping, namespace: item.metadata?.namespace ?? info.namespace, name: item.metadata?.name ?? "" });
      }
    } catch (err) {
      result.errors.push(err as Error);
    }
  }
  return result;
}
