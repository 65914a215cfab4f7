// Acknowledged writes survive kill -9: a child process writes concurrently and prints every
// acknowledged write; we SIGKILL it mid-stream, reopen the file and look for each of them.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../store/index.ts";

interface Ack {
  rev: number;
  key: string;
  value?: string;
  deleted?: true;
}

const dir = mkdtempSync(join(tmpdir(), "kapi-durability-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const writer = join(import.meta.dir, "fixtures", "store-writer.ts");

/** Runs the writer until it has acknowledged `wanted` writes, kills it, returns the acks it printed. */
async function runAndKill(path: string, round: number, wanted: number): Promise<Ack[]> {
  const child = Bun.spawn([process.execPath, writer, path, String(round)], { stdout: "pipe", stderr: "inherit" });
  const decoder = new TextDecoder();
  const reader = child.stdout.getReader();
  let text = "";
  let lines = 0;
  while (lines < wanted) {
    const { value, done } = await reader.read();
    if (done) break;
    const chunk = decoder.decode(value, { stream: true });
    text += chunk;
    for (const c of chunk) if (c === "\n") lines++;
  }
  child.kill("SIGKILL");
  // Whatever was already written to the pipe was acknowledged too: read it all.
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  expect(await child.exited).not.toBe(0);
  const complete = text.slice(0, text.lastIndexOf("\n") + 1);
  return complete.split("\n").filter(Boolean).map((line) => JSON.parse(line) as Ack);
}

test("every acknowledged write survives kill -9, round after round", async () => {
  const path = join(dir, "durable.db");
  let previousRevision = 0;
  for (let round = 0; round < 4; round++) {
    const acks = await runAndKill(path, round, 300 + round * 250);
    expect(acks.length).toBeGreaterThanOrEqual(300);
    const revisions = acks.map((a) => a.rev);
    expect(new Set(revisions).size).toBe(acks.length);
    expect(Math.min(...revisions)).toBeGreaterThan(previousRevision);

    const lastAck = new Map<string, Ack>();
    for (const ack of acks) if ((lastAck.get(ack.key)?.rev ?? 0) < ack.rev) lastAck.set(ack.key, ack);

    const store = openSqliteStore(path, { compaction: false });
    try {
      const current = await store.currentRevision();
      const compacted = await store.compactedRevision();
      expect(current).toBeGreaterThanOrEqual(Math.max(...revisions));
      for (const ack of lastAck.values()) {
        const kv = await store.get(ack.key);
        if (ack.deleted) {
          expect(kv).toBeNull();
          continue;
        }
        if (kv && kv.modRevision === ack.rev) {
          expect(kv.value).toBe(ack.value!);
          continue;
        }
        // A later write to the key committed but its acknowledgement was cut off by the kill.
        expect(kv === null || kv.modRevision > ack.rev).toBe(true);
        if (ack.rev >= compacted) expect((await store.get(ack.key, { revision: ack.rev }))?.value).toBe(ack.value!);
      }
      const integrity = store.database.query("PRAGMA integrity_check").get() as { integrity_check: string };
      expect(integrity.integrity_check).toBe("ok");
      previousRevision = current;
    } finally {
      await store.close();
    }
  }
}, 120_000);
