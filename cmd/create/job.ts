// `kapi create job NAME --image=IMAGE [-- COMMAND…]` or `--from=cronjob/NAME`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, nameAndCommand, targetNamespace } from "./common.ts";

export const spec: CommandSpec = {
  name: "job",
  short: "Create a job with the specified name",
  long: "Create a Job that runs one container (--image, optionally a command after --), or a manual run of a CronJob's job template (--from=cronjob/NAME).",
  usage: "NAME --image=image [--from=cronjob/name] -- [COMMAND] [args...]",
  examples: [
    "  # Run the image's default command once",
    "  kapi create job my-job --image=busybox",
    "",
    "  # Run a command of your own",
    "  kapi create job my-job --image=busybox -- date",
    "",
    "  # Run the cron job a-cronjob now, outside its schedule",
    "  kapi create job test-job --from=cronjob/a-cronjob",
  ].join("\n"),
  flags: [
    ...generatorFlags(),
    { name: "from", type: "string", description: "The name of the resource to create a Job from (only cronjob is supported)." },
    { name: "image", type: "string", description: "Image name to run." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const { name, command } = nameAndCommand(ctx);
  const image = ctx.flags.string("image");
  const from = ctx.flags.string("from");
  if ((image === "") === (from === "")) throw new Error("either --image or --from must be specified");
  if (command.length > 0 && from !== "") throw new Error("cannot specify --from and command");
  const generators = await import("../../client/generators/jobs.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const object = from ? generators.jobFromCronJob(name, explicit ? namespace : undefined, await fetchCronJob(ctx, namespace, from)) : generators.job({ name, namespace: explicit ? namespace : undefined, image, command });
    return { object, collectionPath: `/apis/batch/v1/namespaces/${namespace}/jobs`, errorPrefix: "failed to create job: " };
  });
}

/** The object --from names (TYPE/NAME); only a CronJob will do, as in kubectl. */
async function fetchCronJob(ctx: CommandContext, namespace: string, from: string): Promise<Record<string, unknown>> {
  const slash = from.indexOf("/");
  const [{ discoveryFor }, { getObject }] = await Promise.all([import("../discovery.ts"), import("../../client/resource-requests.ts")]);
  const resource = await (await discoveryFor(ctx)).resolve(slash >= 0 ? from.slice(0, slash) : from);
  if (slash <= 0 || slash === from.length - 1) throw new Error("arguments in resource/name form must have a single resource and name");
  const object = await getObject(await ctx.restClient(), { mapping: resource, namespace: resource.namespaced ? namespace : "", name: from.slice(slash + 1) });
  if (resource.kind !== "CronJob") throw new Error(`unknown object type *${resource.version}.${resource.kind}`);
  return object;
}
