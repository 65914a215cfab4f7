// `kapi create cronjob NAME --image=IMAGE --schedule=CRON [--restart=…] [-- COMMAND…]`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { createGenerated, generatorFlags, nameAndCommand, requireFlags, targetNamespace } from "./common.ts";

export const spec: CommandSpec = {
  name: "cronjob",
  short: "Create a cron job with the specified name",
  long: "Create a CronJob that starts a one-container Job on a cron schedule.",
  usage: "NAME --image=image --schedule='0/5 * * * ?' -- [COMMAND] [args...]",
  examples: [
    "  # Every minute, run the image's default command",
    '  kapi create cronjob my-job --image=busybox --schedule="*/1 * * * *"',
    "",
    "  # Every minute, run a command of your own",
    '  kapi create cronjob my-job --image=busybox --schedule="*/1 * * * *" -- date',
  ].join("\n"),
  flags: [
    ...generatorFlags(),
    { name: "image", type: "string", description: "Image name to run." },
    { name: "restart", type: "string", description: "job's restart policy. supported values: OnFailure, Never" },
    { name: "schedule", type: "string", description: "A schedule in the Cron format the job should be run with." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  requireFlags(ctx, "image", "schedule");
  const { name, command } = nameAndCommand(ctx);
  const { cronJob } = await import("../../client/generators/jobs.ts");
  return createGenerated(ctx, async () => {
    const { namespace, explicit } = await targetNamespace(ctx);
    const f = ctx.flags;
    const object = cronJob({ name, namespace: explicit ? namespace : undefined, image: f.string("image"), command, schedule: f.string("schedule"), restart: f.string("restart") });
    return { object, collectionPath: `/apis/batch/v1/namespaces/${namespace}/cronjobs`, errorPrefix: "failed to create cronjob: " };
  });
}
