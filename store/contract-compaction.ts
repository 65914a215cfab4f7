// Contract cases for compaction and, for persistent backends, restarts.
import { expect, test } from "bun:test";
import { collectUntil, rejection } from "./contract-helpers.ts";
import { CompactedError, FutureRevisionError } from "./errors.ts";
import type { KeyValue, Store } from "./types.ts";

/** Registers the compaction cases, and the restart cases when `reopen` is given. */
export function runCompactionContract(
  open: () => Promise<Store>,
  reopen: ((store: Store) => Promise<Store>) | undefined,
): void {
  test("compaction makes older revisions fail with CompactedError and keeps the state at the cut", async () => {
    const store = await open();
    const a1 = await store.create("/cmp/a", "a1");
    const b1 = await store.create("/cmp/b", "b1");
    const a2 = await store.update("/cmp/a", "a2", a1.modRevision);
    await store.create("/cmp/gone", "x");
    await store.delete("/cmp/gone");
    const cut = await store.currentRevision();
    const a3 = await store.update("/cmp/a", "a3", a2.modRevision);
    const b2 = await store.delete("/cmp/b");

    expect(await store.compact(cut)).toBe(cut);
    expect(await store.compactedRevision()).toBe(cut);

    expect(await rejection(store.get("/cmp/a", { revision: cut - 1 }))).toBeInstanceOf(CompactedError);
    expect(await rejection(store.list("/cmp/", { revision: cut - 1 }))).toBeInstanceOf(CompactedError);
    const early = store.watch("/cmp/", { fromRevision: cut - 1 });
    const error = await rejection(early.next());
    expect(error).toBeInstanceOf(CompactedError);
    expect((error as CompactedError).compactedRevision).toBe(cut);

    expect(await store.get("/cmp/a", { revision: cut })).toEqual(a2);
    expect(await store.get("/cmp/gone", { revision: cut })).toBeNull();
    expect((await store.list("/cmp/", { revision: cut })).items).toEqual([a2, b1]);
    expect((await store.list("/cmp/")).items).toEqual([a3]);

    const fromCut = store.watch("/cmp/", { fromRevision: cut });
    const events = await collectUntil(fromCut, b2.revision);
    fromCut.close();
    expect(events.map((e) => [e.type, e.kv.modRevision])).toEqual([
      ["MODIFIED", a3.modRevision],
      ["DELETED", b2.revision],
    ]);
    expect(events[0]!.prevKv).toEqual(a2);
    expect(events[1]!.prevKv).toEqual(b1);
  });

  test("compaction is idempotent and never goes backwards or into the future", async () => {
    const store = await open();
    await store.create("/idem/a", "v");
    const cut = await store.currentRevision();
    await store.create("/idem/b", "v");
    await store.compact(cut);
    expect(await store.compact(cut - 1)).toBe(cut);
    expect(await store.compactedRevision()).toBe(cut);
    const current = await store.currentRevision();
    expect(await rejection(store.compact(current + 5))).toBeInstanceOf(FutureRevisionError);
  });

  test("a continue token whose snapshot was compacted fails with CompactedError", async () => {
    const store = await open();
    for (let i = 0; i < 5; i++) await store.create(`/ct/${i}`, "v");
    const first = await store.list("/ct/", { limit: 2 });
    const k0 = first.items[0]!;
    await store.update(k0.key, "changed", k0.modRevision);
    await store.compact(await store.currentRevision());
    const error = await rejection(store.list("/ct/", { limit: 2, continue: first.continue }));
    expect(error).toBeInstanceOf(CompactedError);
  });

  test("every revision since the cut reads as it was: keys updated, deleted and created again around a compaction", async () => {
    const store = await open();
    // The state after each write, by revision, as a reader at that revision must see it.
    const states = new Map<number, Map<string, KeyValue>>();
    let state = new Map<string, KeyValue>();
    const record = (revision: number, change: (next: Map<string, KeyValue>) => void) => {
      state = new Map(state);
      change(state);
      states.set(revision, state);
    };
    const create = async (key: string, value: string) => {
      const kv = await store.create(key, value);
      record(kv.modRevision, (next) => next.set(key, kv));
    };
    const update = async (key: string, value: string) => {
      const kv = await store.update(key, value, state.get(key)!.modRevision);
      record(kv.modRevision, (next) => next.set(key, kv));
    };
    const remove = async (key: string) => {
      const { revision } = await store.delete(key);
      record(revision, (next) => next.delete(key));
    };
    await create("/chain/a", "a1");
    await create("/chain/b", "b1");
    await create("/chain/c", "c1");
    await update("/chain/a", "a2");
    await update("/chain/a", "a3");
    await remove("/chain/a");
    await update("/chain/b", "b2");
    await create("/chain/a", "a4");
    await remove("/chain/b");
    const cut = await store.compact(await store.currentRevision());
    await create("/chain/b", "b3");
    await update("/chain/a", "a5");
    await remove("/chain/c");
    await update("/chain/b", "b4");
    await create("/chain/c", "c2");
    await update("/chain/a", "a6");

    const now = await store.currentRevision();
    let expected = states.get(cut)!;
    for (let revision = cut; revision <= now; revision++) {
      expected = states.get(revision) ?? expected;
      for (const key of ["/chain/a", "/chain/b", "/chain/c"]) {
        expect(await store.get(key, { revision })).toEqual(expected.get(key) ?? null);
      }
      const items = [...expected.values()].sort((x, y) => x.key.localeCompare(y.key));
      expect((await store.list("/chain/", { revision })).items).toEqual(items);
      const firstPage = await store.list("/chain/", { revision, limit: 1 });
      expect(firstPage.items).toEqual(items.slice(0, 1));
      expect(firstPage.remainingItemCount).toBe(items.length > 1 ? items.length - 1 : undefined);
    }
  });

  test("keys deleted before the cut can be created again", async () => {
    const store = await open();
    const first = await store.create("/re/k", "one");
    await store.update("/re/k", "two", first.modRevision);
    await store.delete("/re/k");
    await store.compact(await store.currentRevision());
    expect(await store.get("/re/k")).toBeNull();
    const again = await store.create("/re/k", "three");
    const updated = await store.update("/re/k", "four", again.modRevision);
    expect(updated.createRevision).toBe(again.modRevision);
    expect(await store.count("/re/")).toBe(1);
  });

  if (!reopen) return;

  test("a restart keeps data, continues the revision and keeps the compacted revision", async () => {
    let store = await open();
    const kept: KeyValue[] = [];
    for (let i = 0; i < 10; i++) kept.push(await store.create(`/rs/${i}`, `v${i}`));
    kept[0] = await store.update(kept[0]!.key, "updated", kept[0]!.modRevision);
    const cut = await store.currentRevision();
    await store.compact(cut);
    const removed = await store.delete(kept[9]!.key);
    kept.pop();
    const before = await store.currentRevision();
    expect(before).toBe(removed.revision);

    store = await reopen(store);
    expect(await store.currentRevision()).toBe(before);
    expect(await store.compactedRevision()).toBe(cut);
    expect((await store.list("/rs/")).items).toEqual(kept);
    expect(await store.get(kept[1]!.key, { revision: cut })).toEqual(kept[1]!);
    expect(await rejection(store.get(kept[1]!.key, { revision: cut - 1 }))).toBeInstanceOf(CompactedError);
    const next = await store.create("/rs/new", "v");
    expect(next.modRevision).toBeGreaterThan(before);

    const watcher = store.watch("/rs/", { fromRevision: cut });
    const events = await collectUntil(watcher, next.modRevision);
    watcher.close();
    expect(events.map((e) => e.type)).toEqual(["DELETED", "ADDED"]);
  });

  test("the revision does not go back after compacting away a trailing delete", async () => {
    let store = await open();
    await store.create("/tail/k", "v");
    const removed = await store.delete("/tail/k");
    await store.compact(removed.revision);
    store = await reopen(store);
    expect(await store.currentRevision()).toBe(removed.revision);
    const next = await store.create("/tail/k", "again");
    expect(next.modRevision).toBeGreaterThan(removed.revision);
  });
}
