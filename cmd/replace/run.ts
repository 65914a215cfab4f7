// The object half of `kapi replace`: PUT (or, with --force, DELETE + wait + POST) per object.

import type { CommandContext } from "../main.ts";
import { StatusError } from "../../api/status.ts";
import { writeStdout } from "../../client/stdio.ts";
import { reportErrors, withSource } from "../collected-errors.ts";
import { readFileObjects, saveConfig, visitFileObjects, type VisitedObject } from "../manifest-visit.ts";
import { dryRunStrategy, fieldValidation } from "../create/common.ts";

type Obj = Record<string, unknown>;

/** Replaces every object of the -f files; returns the exit code. */
export async function replaceObjects(ctx: CommandContext): Promise<number> {
  const [{ checkObjectOutput, formatObject, goJson, sortKeys }, { resourcePath }] = await Promise.all([
    import("../../client/object-output.ts"),
    import("../../client/resources.ts"),
  ]);
  const f = ctx.flags;
  const output = f.string("output");
  checkObjectOutput(output);
  const validation = fieldValidation(ctx);
  const dryRun = await dryRunStrategy(ctx);
  const client = await ctx.restClient();
  const read = await readFileObjects(ctx);
  const earlier: Error[] = [];
  if (f.bool("force")) earlier.push(...(await deleteFirst(ctx, read)));
  let printed = 0;
  const { errors, late } = await visitFileObjects(
    ctx,
    validation,
    async ({ source, object, mapping, namespace, name }: VisitedObject) => {
      if (f.bool("save-config")) await saveConfig(object);
      let result = object;
      const query: Record<string, string> = {};
      if (dryRun === "server") query.dryRun = "All";
      query.fieldManager = f.string("field-manager");
      query.fieldValidation = validation;
      try {
        if (f.bool("force")) {
          result = await client.requestJson<Obj>({ method: "POST", path: resourcePath(mapping, namespace), query, accept: "application/json", contentType: "application/json", body: `${goJson(sortKeys(object))}\n` });
        } else if (dryRun !== "client") {
          const path = resourcePath(mapping, namespace, name, f.string("subresource") || undefined);
          await keepResourceVersion(client, resourcePath(mapping, namespace, name), object);
          result = await client.requestJson<Obj>({ method: "PUT", path, query, accept: "application/json", contentType: "application/json", body: `${goJson(sortKeys(object))}\n` });
        }
      } catch (err) {
        throw withSource(err, f.bool("force") ? "creating" : "replacing", source);
      }
      const options = { output, operation: "replaced", dryRun, sortKeys: true, showManagedFields: f.bool("show-managed-fields"), allowMissingKeys: f.bool("allow-missing-template-keys") };
      const text = await formatObject(result, options);
      writeStdout(output === "yaml" && printed > 0 ? `---\n${text}` : text);
      printed++;
    },
    read,
  );
  return reportErrors([...earlier, ...errors, ...late]);
}

// kubectl fills in the live resourceVersion when the file has none (an unconditional replace).
async function keepResourceVersion(client: Awaited<ReturnType<CommandContext["restClient"]>>, path: string, object: Obj): Promise<void> {
  const meta = (object.metadata ?? {}) as Obj;
  if (meta.resourceVersion) return;
  const res = await client.request({ path, accept: "application/json" });
  const body = await res.text();
  if (!res.ok) return;
  const rv = (JSON.parse(body) as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion;
  if (rv) object.metadata = { ...meta, resourceVersion: rv };
}

// --force: delete every object (printing kubectl's delete lines) and wait until each is gone.
async function deleteFirst(ctx: CommandContext, read: Awaited<ReturnType<typeof readFileObjects>>): Promise<Error[]> {
  const [{ deletionOptions, timeoutOf }, { resourcePath, kindPrefix, groupResource }, { waitForDeletion }] = await Promise.all([
    import("../delete/options.ts"),
    import("../../client/resources.ts"),
    import("../../client/wait-deleted.ts"),
  ]);
  const settings = deletionOptions(ctx, false, false);
  const waitFirst = ctx.flags.bool("wait") || settings.grace >= 0;
  const byName = ctx.flags.string("output") === "name";
  const client = await ctx.restClient();
  const waits: Parameters<typeof waitForDeletion>[1] = [];
  const { errors } = await visitFileObjects(
    ctx,
    "Ignore",
    async ({ mapping, namespace, name, source }) => {
      let uid: string | undefined;
      try {
        const answer = await client.requestJson<Record<string, any>>({
          method: "DELETE",
          path: resourcePath(mapping, namespace, name),
          accept: "application/json",
          contentType: "application/json",
          body: `${JSON.stringify(settings.body)}\n`,
        });
        uid = answer?.kind === "Status" ? answer.details?.uid : answer?.metadata?.uid;
        writeStdout(byName ? `${kindPrefix(mapping)}/${name}\n` : `${kindPrefix(mapping)} "${name}" deleted\n`);
      } catch (err) {
        if (!(err instanceof StatusError && err.code === 404)) throw withSource(err, "deleting", source);
      }
      waits.push({ collectionPath: resourcePath(mapping, namespace), name, uid, display: `${groupResource(mapping)}/${name}` });
    },
    read,
  );
  try {
    if (waitFirst) await waitForDeletion(client, waits, timeoutOf(ctx));
    // Then kubectl polls each object (every second, 5 minutes by default) until it is gone.
    await pollGone(client, waits, ctx.flags.number("timeout") || 5 * 60 * 1000);
  } catch (err) {
    errors.push(err as Error);
  }
  return errors;
}

async function pollGone(client: Awaited<ReturnType<CommandContext["restClient"]>>, objects: { collectionPath: string; name: string }[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const o of objects) {
    for (;;) {
      const res = await client.request({ path: `${o.collectionPath}/${encodeURIComponent(o.name)}`, accept: "application/json" });
      await res.body?.cancel();
      if (res.status === 404) break;
      if (Date.now() + 1000 > deadline) throw new Error("timed out waiting for the condition");
      await Bun.sleep(1000);
    }
    // kubectl then looks the object's namespace up when it is not "default" (observed, 1.33).
    const ns = /^\/api\/v1\/namespaces\/([^/]+)\/|^\/apis\/[^/]+\/[^/]+\/namespaces\/([^/]+)\//.exec(o.collectionPath);
    const namespace = ns?.[1] ?? ns?.[2];
    if (namespace && namespace !== "default") {
      const res = await client.request({ path: `/api/v1/namespaces/${namespace}`, accept: "application/json" });
      await res.body?.cancel();
    }
  }
}
