// The deleting half of `kapi delete`: one DELETE per target, kubectl's output line for each,
// then the wait for every deleted object, then the collected errors.

import type { CommandContext } from "../main.ts";
import type { DeleteSettings } from "./options.ts";
import type { DeleteTarget, Targets } from "./targets.ts";
import { StatusError } from "../../api/status.ts";
import { reportErrors, withSource } from "../collected-errors.ts";
import { writeStdout } from "../../client/stdio.ts";
import { groupResource, kindPrefix, resourcePath } from "../../client/resources.ts";
import type { DeletedObject } from "../../client/wait-deleted.ts";

/** Deletes, prints, waits; returns the exit code (a single error is thrown for main to print). */
export async function deleteTargets(ctx: CommandContext, s: DeleteSettings, found: Targets): Promise<number> {
  const errors: Error[] = [];
  const waits: DeletedObject[] = [];
  const client = s.dryRun === "client" ? undefined : await ctx.restClient();
  let deleted = 0;
  for (const t of found.targets) {
    let uid: string | undefined;
    if (client) {
      try {
        const answer = await client.requestJson<Record<string, any>>({
          method: "DELETE",
          path: resourcePath(t.mapping, t.namespace, t.name),
          accept: "application/json",
          contentType: "application/json",
          body: `${JSON.stringify(s.body)}\n`,
        });
        uid = answer?.kind === "Status" ? answer.details?.uid : answer?.metadata?.uid;
      } catch (err) {
        if (s.ignoreNotFound && err instanceof StatusError && err.code === 404) {
          waits.push(waitEntry(t));
          continue;
        }
        errors.push(t.source ? withSource(err, "deleting", t.source) : (err as Error));
        continue;
      }
    }
    deleted++;
    writeStdout(line(t, s));
    waits.push(waitEntry(t, uid));
  }
  if (deleted === 0 && errors.length === 0 && found.errors.length === 0 && found.selected) writeStdout("No resources found\n");
  if (client && s.wait && s.dryRun === "none" && waits.length > 0) {
    const { waitForDeletion } = await import("../../client/wait-deleted.ts");
    try {
      await waitForDeletion(client, waits, s.timeoutMs);
    } catch (err) {
      errors.push(err as Error);
    }
  }
  return reportErrors([...errors, ...found.errors]);
}

function line(t: DeleteTarget, s: DeleteSettings): string {
  const kind = kindPrefix(t.mapping);
  if (s.output === "name") return `${kind}/${t.name}\n`;
  const verb = s.force ? "force deleted" : "deleted";
  const suffix = s.dryRun === "client" ? " (dry run)" : s.dryRun === "server" ? " (server dry run)" : "";
  return `${kind} "${t.name}" ${verb}${suffix}\n`;
}

function waitEntry(t: DeleteTarget, uid?: string): DeletedObject {
  return { collectionPath: resourcePath(t.mapping, t.namespace), name: t.name, uid, display: `${groupResource(t.mapping)}/${t.name}` };
}
