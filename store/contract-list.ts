// Contract cases for list, count and continue tokens.
import { expect, test } from "bun:test";
import { rejection } from "./contract-helpers.ts";
import { InvalidContinueError } from "./errors.ts";
import type { KeyValue, Store } from "./types.ts";

function keys(items: KeyValue[]): string[] {
  return items.map((kv) => kv.key);
}

/** Registers the list cases. */
export function runListContract(open: () => Promise<Store>): void {
  test("prefixes are literal: a trailing slash selects one directory", async () => {
    const store = await open();
    for (const key of ["/a/b", "/a/b/1", "/a/b/2", "/a/bc/1", "/a/c", "/a/b/sub/3", "/z"]) {
      await store.create(key, key);
    }
    expect(keys((await store.list("/a/b/")).items)).toEqual(["/a/b/1", "/a/b/2", "/a/b/sub/3"]);
    expect(keys((await store.list("/a/b")).items)).toEqual(["/a/b", "/a/b/1", "/a/b/2", "/a/b/sub/3", "/a/bc/1"]);
    expect(keys((await store.list("/a/")).items).length).toBe(6);
    expect(keys((await store.list("")).items).length).toBe(7);
    expect((await store.list("/nothing/")).items).toEqual([]);
    expect(await store.count("/a/b/")).toBe(3);
    expect(await store.count("/a/b")).toBe(5);
    expect(await store.count("")).toBe(7);
    await store.delete("/a/b/2");
    expect(await store.count("/a/b/")).toBe(2);
    expect(keys((await store.list("/a/b/")).items)).toEqual(["/a/b/1", "/a/b/sub/3"]);
  });

  test("list returns values and the snapshot revision", async () => {
    const store = await open();
    const a = await store.create("/l/a", "A");
    const b = await store.create("/l/b", "B");
    const page = await store.list("/l/");
    expect(page.items).toEqual([a, b]);
    expect(page.revision).toBe(await store.currentRevision());
    expect(page.continue).toBeUndefined();
    expect(page.remainingItemCount).toBeUndefined();
  });

  test("list at a past revision sees the state of that revision", async () => {
    const store = await open();
    const a = await store.create("/past/a", "a1");
    const b = await store.create("/past/b", "b1");
    const snapshot = await store.currentRevision();
    await store.update("/past/a", "a2", a.modRevision);
    await store.delete("/past/b");
    await store.create("/past/c", "c1");
    const then = await store.list("/past/", { revision: snapshot });
    expect(then.revision).toBe(snapshot);
    expect(then.items).toEqual([a, b]);
    const now = await store.list("/past/");
    expect(now.items.map((kv) => kv.value)).toEqual(["a2", "c1"]);
  });

  test("pages read one snapshot while writes happen between them", async () => {
    const store = await open();
    const created: KeyValue[] = [];
    for (let i = 0; i < 25; i++) created.push(await store.create(`/page/k${String(i).padStart(2, "0")}`, `v${i}`));
    await store.create("/pagex/outside", "not in prefix");
    const first = await store.list("/page/", { limit: 7 });
    expect(first.items.length).toBe(7);
    expect(first.remainingItemCount).toBe(18);
    expect(first.continue).toBeDefined();
    const pages = [first];
    let token = first.continue;
    let round = 0;
    while (token) {
      // Concurrent churn across the whole range: updates, deletes, creates, before and after the cursor.
      const churn = [
        store.update(created[round]!.key, `changed${round}`, created[round]!.modRevision),
        store.delete(created[24 - round]!.key),
        store.create(`/page/k${String(round).padStart(2, "0")}-new`, "new"),
        store.create(`/page/zz${round}`, "tail"),
      ];
      // Even rounds read while the churn is still queued, odd rounds after it committed.
      const page = round % 2 === 0 ? store.list("/page/", { limit: 7, continue: token }) : null;
      await Promise.all(churn);
      const result = await (page ?? store.list("/page/", { limit: 7, continue: token }));
      expect(result.revision).toBe(first.revision);
      pages.push(result);
      token = result.continue;
      round++;
    }
    const combined = pages.flatMap((p) => p.items);
    expect(combined).toEqual(created);
    expect(pages.map((p) => p.items.length)).toEqual([7, 7, 7, 4]);
    expect(pages.map((p) => p.remainingItemCount)).toEqual([18, 11, 4, undefined]);
    const snapshot = await store.list("/page/", { revision: first.revision });
    expect(snapshot).toEqual({ items: created, revision: first.revision });
  });

  test("countRemaining: false pages the same items without remainingItemCount", async () => {
    const store = await open();
    for (let i = 0; i < 5; i++) await store.create(`/uncounted/${i}`, `v${i}`);
    const counted = await store.list("/uncounted/", { limit: 2 });
    expect(counted.remainingItemCount).toBe(3);
    const first = await store.list("/uncounted/", { limit: 2, countRemaining: false });
    expect(first).toEqual({ items: counted.items, revision: counted.revision, continue: counted.continue });
    const second = await store.list("/uncounted/", { limit: 2, continue: first.continue, countRemaining: false });
    expect(second.items.map((kv) => kv.key)).toEqual(["/uncounted/2", "/uncounted/3"]);
    expect(second.remainingItemCount).toBeUndefined();
    expect(second.continue).toBeDefined();
  });

  test("a limit larger than the result returns everything without a token", async () => {
    const store = await open();
    for (let i = 0; i < 3; i++) await store.create(`/lim/${i}`, "v");
    const page = await store.list("/lim/", { limit: 3 });
    expect(page.items.length).toBe(3);
    expect(page.continue).toBeUndefined();
    const smaller = await store.list("/lim/", { limit: 2 });
    const rest = await store.list("/lim/", { limit: 2, continue: smaller.continue });
    expect(keys([...smaller.items, ...rest.items])).toEqual(["/lim/0", "/lim/1", "/lim/2"]);
    expect(rest.continue).toBeUndefined();
  });

  test("continue tokens are checked", async () => {
    const store = await open();
    for (let i = 0; i < 3; i++) await store.create(`/tok/${i}`, "v");
    const page = await store.list("/tok/", { limit: 1 });
    expect(await rejection(store.list("/other/", { continue: page.continue }))).toBeInstanceOf(InvalidContinueError);
    expect(await rejection(store.list("/tok/", { continue: "garbage!" }))).toBeInstanceOf(InvalidContinueError);
    expect(await rejection(store.list("/tok/", { continue: btoa("{}") }))).toBeInstanceOf(InvalidContinueError);
  });
}
