import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqliteStore } from "./sqlite-store.ts";
import { openDatabase } from "./sqlite-schema.ts";
import { WalFileSync, type CommitSync } from "./wal-sync.ts";
import type { WatchEvent } from "./types.ts";

const dir = mkdtempSync(join(tmpdir(), "kapi-wal-sync-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A sync that finishes only when the test says so. */
class HeldSync implements CommitSync {
  readonly waiting: Array<(error?: Error) => void> = [];
  afterCommit(done: (error?: Error) => void): void {
    this.waiting.push(done);
  }
  finish(error?: Error): void {
    const done = this.waiting.shift();
    if (!done) throw new Error("no sync is running");
    done(error);
  }
  close(): void {}
}

let count = 0;
function storeWith(sync: CommitSync): SqliteStore {
  const db = openDatabase(join(dir, `held-${++count}.db`), { busyTimeoutMs: 1000, exclusive: true });
  return new SqliteStore(db, { compaction: false }, sync);
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("commits wait for their sync", () => {
  test("a write is acknowledged, visible and published only once its sync has finished", async () => {
    const sync = new HeldSync();
    const store = storeWith(sync);
    const watcher = store.watch("/k/");
    const events: WatchEvent[] = [];
    void (async () => {
      for await (const event of watcher) events.push(event as WatchEvent);
    })();
    let acknowledged = false;
    const created = store.create("/k/a", "v1").then((kv) => ((acknowledged = true), kv));
    await settle();
    expect(sync.waiting.length).toBe(1);
    expect(acknowledged).toBe(false);
    expect(await store.currentRevision()).toBe(1);
    expect(await store.get("/k/a")).toBeNull();
    expect((await store.list("/k/")).items).toEqual([]);
    expect(events).toEqual([]);

    sync.finish();
    expect((await created).modRevision).toBe(2);
    expect(await store.currentRevision()).toBe(2);
    expect((await store.get("/k/a"))?.value).toBe("v1");
    await settle();
    expect(events.map((e) => [e.type, e.kv.key])).toEqual([["ADDED", "/k/a"]]);
    watcher.close();
    await store.close();
  });

  test("a page's remaining count leaves out a write whose sync is still running", async () => {
    const sync = new HeldSync();
    const store = storeWith(sync);
    const first = [store.create("/k/a", "1"), store.create("/k/b", "2"), store.create("/k/c", "3")];
    await settle();
    sync.finish();
    await Promise.all(first);
    const held = store.create("/k/d", "4");
    await settle();
    const page = await store.list("/k/", { limit: 1 });
    expect(page.items.map((kv) => kv.key)).toEqual(["/k/a"]);
    expect(page.remainingItemCount).toBe(2);
    sync.finish();
    await held;
    expect((await store.list("/k/", { limit: 1 })).remainingItemCount).toBe(3);
    await store.close();
  });

  test("writes submitted during a sync wait for it, then commit together under the next one", async () => {
    const sync = new HeldSync();
    const store = storeWith(sync);
    const first = store.create("/k/1", "a");
    await settle();
    const later = [store.create("/k/2", "b"), store.create("/k/3", "c"), store.update("/k/1", "a2", 2)];
    await settle();
    // Still one sync: the later writes are not committed yet (no second sync has started).
    expect(sync.waiting.length).toBe(1);
    sync.finish();
    expect((await first).modRevision).toBe(2);
    await settle();
    expect(sync.waiting.length).toBe(1);
    expect(await store.currentRevision()).toBe(2);
    sync.finish();
    expect((await Promise.all(later)).map((kv) => kv.modRevision)).toEqual([3, 4, 5]);
    await store.close();
  });

  test("a failed sync fails its writes' callers; what was committed stays readable", async () => {
    const sync = new HeldSync();
    const store = storeWith(sync);
    const created = store.create("/k/x", "v").then(
      () => "acknowledged",
      (error: Error) => error.message,
    );
    await settle();
    sync.finish(new Error("EIO: i/o error, fdatasync"));
    expect(await created).toBe("EIO: i/o error, fdatasync");
    expect((await store.get("/k/x"))?.value).toBe("v");
    await store.close();
  });

  test("close() waits for the running sync and acknowledges everything queued", async () => {
    const sync = new HeldSync();
    const store = storeWith(sync);
    const writes = [store.create("/k/c1", "1")];
    await settle();
    writes.push(store.create("/k/c2", "2"));
    let closed = false;
    const closing = store.close().then(() => (closed = true));
    await settle();
    expect(closed).toBe(false);
    sync.finish();
    await settle();
    sync.finish();
    await closing;
    expect((await Promise.all(writes)).map((kv) => kv.modRevision)).toEqual([2, 3]);
  });
});

describe("WalFileSync", () => {
  test("syncs an existing file and reports a missing one", async () => {
    const path = join(dir, "some.db-wal");
    writeFileSync(path, "frames");
    const sync = new WalFileSync(path);
    expect(await new Promise((resolve) => sync.afterCommit(resolve))).toBeUndefined();
    sync.close();
    const missing = new WalFileSync(join(dir, "missing.db-wal"));
    const error = await new Promise<Error | undefined>((resolve) => missing.afterCommit(resolve));
    expect(error?.message).toContain("ENOENT");
  });
});
