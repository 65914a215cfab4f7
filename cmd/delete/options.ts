// `kapi delete` flags → the checks kubectl makes and the DeleteOptions body it sends.

import type { CommandContext } from "../main.ts";
import { writeStderr } from "../../client/stdio.ts";

/** What the flags decided. */
export interface DeleteSettings {
  /** The DeleteOptions body, in DeleteOptions' field order. */
  body: Record<string, unknown>;
  /** grace 0 with --force: printed as `force deleted`. */
  force: boolean;
  dryRun: "none" | "client" | "server";
  wait: boolean;
  /** Milliseconds; kubectl's 0 means a week. */
  timeoutMs: number;
  output: "" | "name";
  ignoreNotFound: boolean;
}

const CASCADE: Record<string, string> = { background: "Background", foreground: "Foreground", orphan: "Orphan", true: "Background", false: "Orphan" };

/** Validates the flag combination as kubectl does (including its force-deletion warning). */
export async function deleteSettings(ctx: CommandContext): Promise<DeleteSettings> {
  const f = ctx.flags;
  const output = f.string("output");
  if (output !== "" && output !== "name") throw new Error(`unexpected -o output mode: ${output}. We only support '-o name'`);
  if (f.bool("all") && f.string("selector") !== "") throw new Error("setting 'all' parameter but found a non empty selector. ");
  if (f.bool("all") && f.string("field-selector") !== "") throw new Error("setting 'all' parameter but found a non empty field selector. ");
  const { body, force } = deletionOptions(ctx, f.bool("now"), f.bool("force"));
  const { dryRunStrategy } = await import("../create/common.ts");
  const dryRun = await dryRunStrategy(ctx);
  if (dryRun === "server") body.dryRun = ["All"];
  return {
    body,
    force,
    dryRun,
    wait: f.bool("wait"),
    timeoutMs: timeoutOf(ctx),
    output: output as "" | "name",
    ignoreNotFound: f.bool("ignore-not-found"),
  };
}

/** --timeout in milliseconds; kubectl's 0 means a week. */
export function timeoutOf(ctx: CommandContext): number {
  return ctx.flags.number("timeout") || 7 * 24 * 3600 * 1000;
}

/**
 * --cascade, --grace-period, --now and force deletion: the DeleteOptions body and whether it
 * is a force deletion (`replace --force` recreates objects; it does not force-delete them).
 */
export function deletionOptions(ctx: CommandContext, now: boolean, force: boolean): { body: Record<string, unknown>; force: boolean; grace: number } {
  const f = ctx.flags;
  const cascadeFlag = f.string("cascade");
  const propagation = CASCADE[cascadeFlag];
  if (!propagation) throw new Error(`invalid cascade value (${cascadeFlag}). Must be "background", "foreground", or "orphan"`);
  let grace = f.number("grace-period");
  if (now) {
    if (grace !== -1) throw new Error("--now and --grace-period cannot be specified together");
    grace = 1;
  }
  // --grace-period=0 without --force is softened to 1 (kubectl's guard against data loss).
  if (grace === 0 && !force) grace = 1;
  if (force && grace < 0) grace = 0;
  if (grace === 0 && force) {
    writeStderr(
      "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n",
    );
  } else if (grace > 0 && force) {
    throw new Error("--force and --grace-period greater than 0 cannot be specified together");
  }
  const body: Record<string, unknown> = {};
  if (grace >= 0) body.gracePeriodSeconds = grace;
  body.propagationPolicy = propagation;
  return { body, force: force && grace === 0, grace };
}
