import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runStoreContract } from "./contract.ts";
import { collectUntil, nextTurn, payload, rejection, take } from "./contract-helpers.ts";
import { CompactedError, openSqliteStore, type SqliteStore, type SqliteStoreOptions, type Store } from "./index.ts";

const dir = mkdtempSync(join(tmpdir(), "kapi-store-test-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
const paths = new Map<Store, string>();

function openFile(options: SqliteStoreOptions = {}): { store: SqliteStore; path: string } {
  const path = join(dir, `store-${++fileCount}.db`);
  const store = openSqliteStore(path, { compaction: false, ...options });
  paths.set(store, path);
  return { store, path };
}

runStoreContract("sqlite file", {
  async open() {
    return openFile().store;
  },
  async reopen(store) {
    const path = paths.get(store)!;
    await store.close();
    const again = openSqliteStore(path, { compaction: false });
    paths.set(again, path);
    return again;
  },
});

runStoreContract("sqlite :memory:", {
  async open() {
    return openSqliteStore(":memory:", { compaction: false });
  },
});

describe("sqlite backend", () => {
  const opened: Store[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });
  function track<T extends Store>(store: T): T {
    opened.push(store);
    return store;
  }
  function pragma(store: SqliteStore, name: string): number {
    return Object.values(store.database.query(`PRAGMA ${name}`).get() as object)[0] as number;
  }

  test("an empty store is at revision 1 and its first write gets revision 2", async () => {
    const store = track(openSqliteStore(":memory:", { compaction: false }));
    expect(await store.currentRevision()).toBe(1);
    expect(await store.compactedRevision()).toBe(0);
    expect((await store.create("/k", "v")).modRevision).toBe(2);
  });

  test("the file uses WAL, incremental auto-vacuum, NORMAL sync (checkpoints synced by SQLite, commits by the writer) and an 8 MiB page cache", async () => {
    const { store } = openFile();
    track(store);
    expect(store.database.query("PRAGMA journal_mode").get()).toEqual({ journal_mode: "wal" });
    expect(pragma(store, "synchronous")).toBe(1);
    expect(pragma(store, "auto_vacuum")).toBe(2);
    expect(pragma(store, "cache_size")).toBe(-8192);
    const normal = track(openFile({ synchronous: "normal" }).store);
    expect(pragma(normal, "synchronous")).toBe(1);
  });

  test("history has one index besides its rows, and a store that still has the older (key, rev) index loses it on open", async () => {
    const { store, path } = openFile();
    const kv = await store.create("/idx/k", "one");
    await store.update("/idx/k", "two", kv.modRevision);
    const indexes = (s: SqliteStore) => s.database.query("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history'").all();
    expect(indexes(store)).toEqual([{ name: "history_key_prev" }]);
    store.database.run("CREATE INDEX history_key_rev ON history (key, rev)");
    await store.close();
    const reopened = track(openSqliteStore(path, { compaction: false }));
    expect(indexes(reopened)).toEqual([{ name: "history_key_prev" }]);
    expect(await reopened.get("/idx/k", { revision: kv.modRevision })).toEqual(kv);
    expect((await reopened.get("/idx/k"))?.value).toBe("two");
  });

  test("a second process-level opener of a live file is refused", async () => {
    const { store, path } = openFile();
    track(store);
    await store.create("/lock/k", "v");
    expect(() => openSqliteStore(path, { compaction: false, busyTimeoutMs: 50 })).toThrow();
  });

  test("compaction frees pages and the file shrinks", async () => {
    const { store, path } = openFile();
    track(store);
    const big = payload("big", 8000);
    let last = await store.create("/shrink/k", big);
    for (let i = 0; i < 600; i++) last = await store.update("/shrink/k", big, last.modRevision);
    const before = pragma(store, "page_count");
    await store.compact(last.modRevision);
    const after = pragma(store, "page_count");
    expect(pragma(store, "freelist_count")).toBe(0);
    expect(after).toBeLessThan(before / 10);
    expect(statSync(path).size).toBeLessThanOrEqual(after * pragma(store, "page_size"));
    expect(store.database.query("SELECT count(*) AS n FROM history").get()).toEqual({ n: 1 });
    expect(await store.get("/shrink/k")).toEqual(last);
  });

  test("automatic compaction keeps the configured window", async () => {
    const store = track(
      openSqliteStore(":memory:", { compaction: { intervalMs: 5, keepRevisions: 10, keepMs: 0, batchSize: 7 } }),
    );
    for (let i = 0; i < 50; i++) await store.create(`/auto/${i}`, "v");
    const current = await store.currentRevision();
    for (let i = 0; i < 2000 && (await store.compactedRevision()) < current - 10; i++) await Bun.sleep(1);
    expect(await store.compactedRevision()).toBe(current - 10);
    expect(await store.count("/auto/")).toBe(50);
  });

  test("compaction catching up with a replaying watcher ends it with CompactedError", async () => {
    const store = track(openSqliteStore(":memory:", { compaction: false }));
    const base = await store.currentRevision();
    let last = await store.create("/slowreplay/k", "0");
    for (let i = 1; i < 700; i++) last = await store.update("/slowreplay/k", String(i), last.modRevision);
    const watcher = store.watch("/slowreplay/", { fromRevision: base });
    expect((await take(watcher, 1))[0]!.kv.value).toBe("0");
    await store.compact(last.modRevision);
    const error = await rejection(collectUntil(watcher, last.modRevision));
    expect(error).toBeInstanceOf(CompactedError);
  });

  test("an interrupted compaction is finished after reopening", async () => {
    const { store, path } = openFile();
    let last = await store.create("/resume/k", "0");
    for (let i = 1; i < 50; i++) last = await store.update("/resume/k", String(i), last.modRevision);
    // Simulate a crash right after the compacted revision was recorded.
    store.database.run("UPDATE meta SET value = ?1 WHERE name = 'compacted'", [last.modRevision]);
    await store.close();
    const again = track(openSqliteStore(path, { compaction: { intervalMs: 0 } }));
    expect(await again.compactedRevision()).toBe(last.modRevision);
    const rows = () => (again.database.query("SELECT count(*) AS n FROM history").get() as { n: number }).n;
    for (let i = 0; i < 1000 && rows() > 1; i++) await nextTurn();
    expect(rows()).toBe(1);
    expect(await again.get("/resume/k")).toEqual(last);
  });

  test("wakeAfterTurn: a waiting consumer gets a live event after the write's caller has resumed, in order", async () => {
    const store = openSqliteStore(":memory:", { compaction: false });
    const order: string[] = [];
    const late = store.watch("/x/", { wakeAfterTurn: true });
    const plain = store.watch("/x/");
    const lateEvents = (async () => {
      for (let i = 0; i < 2; i++) order.push(`late: ${(await late.next()).value?.kv.key}`);
    })();
    const plainEvent = plain.next().then((r) => order.push(`plain: ${r.value?.kv.key}`));
    // The caller's continuation takes many steps, as a response being rendered and written does.
    const afterWrite = async (key: string) => {
      await store.create(key, "v");
      for (let step = 0; step < 20; step++) await null;
      order.push(`writer: ${key}`);
      // Not handed out yet, so a bookmark could not claim it.
      if (key === "/x/a") order.push(`late progress: ${late.progressRevision() < 2 ? "before" : "past"} /x/a`);
    };
    await Promise.all([afterWrite("/x/a"), afterWrite("/x/b")]);
    await Promise.all([lateEvents, plainEvent]);
    expect(order).toEqual(["plain: /x/a", "writer: /x/a", "late progress: before /x/a", "writer: /x/b", "late: /x/a", "late: /x/b"]);
    await store.close();
  });

  test("observe: the listener has each event under its prefix, in order, before the write's caller resumes; stopping it ends that", async () => {
    const store = openSqliteStore(":memory:", { compaction: false });
    const seen: string[] = [];
    const stop = store.observe("/ns/", (event) => seen.push(`${event.type} ${event.kv.key} @${event.kv.modRevision}`));
    const created = store.create("/ns/a", "v").then((kv) => (seen.push(`caller: /ns/a @${kv.modRevision}`), kv));
    const [a, , b] = await Promise.all([created, store.create("/other/x", "v"), store.create("/ns/b", "v")]);
    const updated = await store.update("/ns/a", "w", a.modRevision);
    seen.push(`caller: update @${updated.modRevision}`);
    const deleted = await store.delete("/ns/b");
    expect(seen).toEqual([
      `ADDED /ns/a @${a.modRevision}`,
      `ADDED /ns/b @${b.modRevision}`,
      `caller: /ns/a @${a.modRevision}`,
      `MODIFIED /ns/a @${updated.modRevision}`,
      `caller: update @${updated.modRevision}`,
      `DELETED /ns/b @${deleted.revision}`,
    ]);
    stop();
    await store.create("/ns/c", "v");
    expect(seen.length).toBe(6);
    await store.close();
  });

  test("observe: a listener that throws does not keep the commit's callers from their answer", async () => {
    const store = openSqliteStore(":memory:", { compaction: false });
    const logged: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void logged.push(args);
    try {
      store.observe("/t/", () => {
        throw new Error("listener bug");
      });
      const kv = await store.create("/t/a", "v");
      expect(kv.value).toBe("v");
      expect((await store.get("/t/a"))?.value).toBe("v");
      expect(logged.length).toBe(1);
    } finally {
      console.error = original;
      await store.close();
    }
  });

  test("closing ends watchers and refuses further use", async () => {
    const store = openSqliteStore(":memory:", { compaction: false });
    const watcher = store.watch("/x/");
    const pending = watcher.next();
    const write = store.create("/x/a", "v");
    await store.close();
    expect((await write).modRevision).toBe(2);
    expect((await pending).value?.kv.key).toBe("/x/a");
    expect(await watcher.next()).toEqual({ value: undefined, done: true });
    expect(await rejection(store.create("/x/b", "v"))).toBeInstanceOf(Error);
    expect(store.watcherCount).toBe(0);
  });
});
