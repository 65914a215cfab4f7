// Against the real file system: a file store in "full" mode acknowledges a write only after
// an fdatasync of its WAL has returned. strace records the system calls of a child process
// that creates keys and prints each acknowledgement.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "kapi-wal-strace-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writes = 5;
const child = `
import { writeSync } from "node:fs";
import { openSqliteStore } from ${JSON.stringify(resolve(import.meta.dir, "index.ts"))};
const store = openSqliteStore(process.argv[2], { compaction: false });
for (let i = 0; i < ${writes}; i++) {
  const kv = await store.create("/k/" + i, "v");
  writeSync(1, "ack " + kv.modRevision + "\\n");
}
await store.close();
`;

test("each acknowledged write follows an fdatasync of the WAL that returned after its commit", async () => {
  const script = join(dir, "child.ts");
  writeFileSync(script, child);
  const trace = join(dir, "trace.txt");
  const db = join(dir, "store.db");
  const proc = Bun.spawn(["strace", "-f", "-e", "trace=openat,fdatasync,pwrite64,write", "-o", trace, process.execPath, script, db], { stdout: "pipe", stderr: "pipe" });
  const out = await new Response(proc.stdout).text();
  expect(await proc.exited).toBe(0);
  expect(out.trim().split("\n")).toEqual(Array.from({ length: writes }, (_, i) => `ack ${i + 2}`));

  const lines = readFileSync(trace, "utf8").split("\n");
  const fdOpened = (flags: string) => lines.map((line) => new RegExp(`openat\\(.*store\\.db-wal", ${flags}.*= (\\d+)$`).exec(line)?.[1]).find(Boolean);
  const sqliteFd = fdOpened("O_RDWR");
  const syncFd = fdOpened("O_RDONLY");
  expect(sqliteFd).toBeDefined();
  expect(syncFd).toBeDefined();
  // Per acknowledgement: SQLite wrote the WAL (the commit), then an fdatasync of it returned, then the ack.
  const syncingFd = new Map<string, string>(); // thread id → fd of its unfinished fdatasync
  let wroteWal = false;
  let synced = false;
  let acks = 0;
  for (const line of lines) {
    const [pid, call] = [line.slice(0, line.indexOf(" ")), line.slice(line.indexOf(" ") + 1).trimStart()];
    if (call.startsWith(`pwrite64(${sqliteFd},`)) wroteWal = true;
    const started = /^fdatasync\((\d+) <unfinished/.exec(call);
    if (started) syncingFd.set(pid, started[1]!);
    const finishedFd = /^fdatasync\((\d+)\)\s+= 0/.exec(call)?.[1] ?? (/^<\.\.\. fdatasync resumed>\)\s+= 0/.test(call) ? syncingFd.get(pid) : undefined);
    if (finishedFd === syncFd && wroteWal) synced = true;
    if (call.startsWith('write(1, "ack ')) {
      expect({ ack: acks + 1, synced }).toEqual({ ack: acks + 1, synced: true });
      acks++;
      wroteWal = false;
      synced = false;
    }
  }
  expect(acks).toBe(writes);
});
