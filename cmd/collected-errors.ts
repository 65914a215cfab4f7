// How kubectl reports the errors it collected while visiting several objects.

import { StatusError } from "../api/status.ts";
import { writeStderr } from "../client/stdio.ts";

/** kubectl's `error when <verb> "<source>": …` wrapping of a server error. */
export function withSource(err: unknown, verb: string, source: string): Error {
  if (!(err instanceof StatusError)) return err as Error;
  const s = err.status;
  return new StatusError(s.code, s.reason ?? "", `error when ${verb} ${JSON.stringify(source)}: ${s.message ?? ""}`, s.details);
}

/**
 * One error is thrown for main to print (`error: …` / `Error from server …`); several are
 * printed one per line, as kubectl prints an aggregate. Returns the exit code.
 */
export async function reportErrors(errors: Error[]): Promise<number> {
  if (errors.length === 0) return 0;
  if (errors.length === 1) throw errors[0];
  const { formatErrors } = await import("../client/builder.ts");
  writeStderr(formatErrors(errors));
  return 1;
}
