// Visiting the objects of `-f` manifests the way kubectl's create/replace do: for each object
// in order, the OpenAPI lookups of --validate, its resource from discovery, and the
// namespace (the object's, or the invocation's for namespaced kinds that name none).

import type { CommandContext } from "./main.ts";
import type { ApiResource } from "../client/discovery.ts";
import type { ReadResult } from "../client/resource-files.ts";
import { discoveryFor } from "./discovery.ts";

type Obj = Record<string, unknown>;

/** One object ready to be sent. */
export interface VisitedObject {
  /** File path, URL or `STDIN`. */
  source: string;
  /** A copy of the object with metadata.namespace filled in for namespaced kinds. */
  object: Obj;
  mapping: ApiResource;
  namespace: string;
  name: string;
}

/** Errors met per object (in order) and those kubectl reports after all others. */
export interface VisitErrors {
  errors: Error[];
  late: Error[];
}

/** The objects of -f/-R, read once (stdin cannot be read twice). */
export async function readFileObjects(ctx: CommandContext): Promise<ReadResult> {
  const { readResourceFiles } = await import("../client/resource-files.ts");
  return readResourceFiles(ctx.flags.list("filename"), { recursive: ctx.flags.bool("recursive") });
}

/** Reads -f/-R (and -l when present), then calls `fn` per object; collects failures. */
export async function visitFileObjects(
  ctx: CommandContext,
  validation: "Strict" | "Warn" | "Ignore",
  fn: (v: VisitedObject) => Promise<void>,
  already?: ReadResult,
): Promise<VisitErrors> {
  const { OpenApiCheck } = await import("../client/openapi-check.ts");
  const f = ctx.flags;
  const read = already ?? (await readFileObjects(ctx));
  const selector = f.changed("selector") ? f.string("selector") : "";
  const objects = selector ? await selected(read.objects, selector) : read.objects;
  const cfg = await ctx.clientConfig();
  const client = await ctx.restClient();
  const discovery = await discoveryFor(ctx);
  const openapi = validation !== "Ignore" ? new OpenApiCheck(client, f.string("cache-dir")) : undefined;
  const out: VisitErrors = { errors: [], late: [...read.errors] };
  for (const { source, object } of objects) {
    const apiVersion = String(object.apiVersion ?? "");
    const kind = String(object.kind ?? "");
    const meta = (object.metadata ?? {}) as { name?: string; namespace?: string };
    try {
      await openapi?.check(object, source, validation === "Strict");
    } catch (err) {
      out.errors.push(err as Error);
      continue;
    }
    let mapping: ApiResource;
    try {
      mapping = await discovery.forKind(apiVersion, kind);
    } catch (err) {
      const where = `name: "${meta.name ?? ""}" namespace: "${meta.namespace ?? ""}" from "${source}"`;
      out.late.push(new Error(`resource mapping not found for ${where}: ${(err as Error).message}\nensure CRDs are installed first`));
      continue;
    }
    const copy: Obj = structuredClone(object);
    let namespace = "";
    if (mapping.namespaced) {
      if (cfg.namespaceExplicit && meta.namespace && meta.namespace !== cfg.namespace) {
        out.errors.push(
          new Error(
            `the namespace from the provided object "${meta.namespace}" does not match the namespace "${cfg.namespace}". You must pass '--namespace=${meta.namespace}' to perform this operation.`,
          ),
        );
        continue;
      }
      namespace = meta.namespace || cfg.namespace;
      copy.metadata = { ...(copy.metadata as Obj), namespace };
    }
    try {
      await fn({ source, object: copy, mapping, namespace, name: meta.name ?? "" });
    } catch (err) {
      out.errors.push(err as Error);
    }
  }
  return out;
}

async function selected(objects: { source: string; object: Obj }[], selector: string): Promise<{ source: string; object: Obj }[]> {
  const { matchLabels, parseLabelSelector } = await import("../api/label-selector.ts");
  const sel = parseLabelSelector(selector);
  return objects.filter(({ object }) => matchLabels(sel, ((object.metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>));
}

/** The last-applied annotation --save-config adds: the object itself, sorted JSON, annotation map present. */
export async function saveConfig(object: Obj): Promise<void> {
  const [{ goJson, sortKeys }, { setLastApplied }] = await Promise.all([import("../client/object-output.ts"), import("./create/common.ts")]);
  const annotations = { ...(((object.metadata as Obj)?.annotations as Obj) ?? {}) };
  delete annotations["kubectl.kubernetes.io/last-applied-configuration"];
  const original = { ...object, metadata: { ...(object.metadata as Obj), annotations } };
  setLastApplied(object, `${goJson(sortKeys(original))}\n`);
}
