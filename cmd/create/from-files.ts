// `kapi create -f FILE|DIR|URL|-`: each object is validated (OpenAPI lookups as kubectl makes
// them), mapped to its resource through discovery, then POSTed as sorted JSON. Errors are
// collected and reported after the rest was created, as kubectl reports them.

import type { CommandContext } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { reportErrors, withSource } from "../collected-errors.ts";
import { saveConfig, visitFileObjects } from "../manifest-visit.ts";
import { dryRunStrategy, fieldValidation } from "./common.ts";

type Obj = Record<string, unknown>;

/** Runs `create -f`; returns the exit code. */
export async function createFromFiles(ctx: CommandContext): Promise<number> {
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
  let printed = 0;
  const { errors, late } = await visitFileObjects(ctx, validation, async ({ source, object, mapping, namespace }) => {
    if (f.bool("save-config")) await saveConfig(object);
    let result = object;
    if (dryRun !== "client") {
      const query: Record<string, string> = {};
      if (dryRun === "server") query.dryRun = "All";
      query.fieldManager = f.string("field-manager");
      query.fieldValidation = validation;
      try {
        result = await client.requestJson<Obj>({
          method: "POST",
          path: resourcePath(mapping, namespace),
          query,
          accept: "application/json",
          contentType: "application/json",
          body: `${goJson(sortKeys(object))}\n`,
        });
      } catch (err) {
        throw withSource(err, "creating", source);
      }
    }
    const options = { output, operation: "created", dryRun, sortKeys: true, showManagedFields: f.bool("show-managed-fields"), allowMissingKeys: f.bool("allow-missing-template-keys") };
    const text = await formatObject(result, options);
    writeStdout(output === "yaml" && printed > 0 ? `---\n${text}` : text);
    printed++;
  });
  return reportErrors([...errors, ...late]);
}
