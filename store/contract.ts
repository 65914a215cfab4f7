// The contract every Store backend must pass. Apply it with `runStoreContract(name, factory)`
// from a test file of the backend. Watch and compaction/restart cases live in sibling files.
import { afterEach, describe, expect, test } from "bun:test";
import { runCompactionContract } from "./contract-compaction.ts";
import { payload, rejection, type StoreFactory } from "./contract-helpers.ts";
import { runListContract } from "./contract-list.ts";
import { runWatchContract } from "./contract-watch.ts";
import { AlreadyExistsError, ConflictError, FutureRevisionError, NotFoundError } from "./errors.ts";
import type { Store } from "./types.ts";

export type { StoreFactory } from "./contract-helpers.ts";

/** Registers the whole contract suite for one backend. */
export function runStoreContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    const opened: Store[] = [];
    async function open(): Promise<Store> {
      const store = await factory.open();
      opened.push(store);
      return store;
    }
    async function reopen(store: Store): Promise<Store> {
      const again = await factory.reopen!(store);
      opened.push(again);
      return again;
    }
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
    });

    runWriteContract(open);
    runListContract(open);
    runWatchContract(open);
    runCompactionContract(open, factory.reopen ? reopen : undefined);
  });
}

function runWriteContract(open: () => Promise<Store>): void {
  test("revisions start positive and strictly increase with every write", async () => {
    const store = await open();
    const initial = await store.currentRevision();
    expect(initial).toBeGreaterThanOrEqual(1);
    const a = await store.create("/r/a", payload("a"));
    expect(a.modRevision).toBeGreaterThan(initial);
    expect(a.createRevision).toBe(a.modRevision);
    const b = await store.update("/r/a", payload("b"), a.modRevision);
    expect(b.modRevision).toBeGreaterThan(a.modRevision);
    expect(b.createRevision).toBe(a.modRevision);
    const d = await store.delete("/r/a");
    expect(d.revision).toBeGreaterThan(b.modRevision);
    expect(await store.currentRevision()).toBe(d.revision);
  });

  test("concurrent writes each get their own distinct revision", async () => {
    const store = await open();
    const before = await store.currentRevision();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.create(`/c/${i}`, payload(`v${i}`))));
    const revisions = results.map((kv) => kv.modRevision);
    expect(new Set(revisions).size).toBe(50);
    expect(Math.min(...revisions)).toBeGreaterThan(before);
    expect(await store.currentRevision()).toBe(Math.max(...revisions));
    for (const [i, kv] of results.entries()) {
      expect(await store.get(`/c/${i}`)).toEqual(kv);
    }
  });

  test("create is create-if-absent", async () => {
    const store = await open();
    const first = await store.create("/x/k", "one");
    const error = await rejection(store.create("/x/k", "two"));
    expect(error).toBeInstanceOf(AlreadyExistsError);
    expect((error as AlreadyExistsError).key).toBe("/x/k");
    expect(await store.get("/x/k")).toEqual(first);
    await store.delete("/x/k");
    const again = await store.create("/x/k", "three");
    expect(again.createRevision).toBeGreaterThan(first.createRevision);
    expect(again.value).toBe("three");
  });

  test("a failed write in a burst does not affect the others", async () => {
    const store = await open();
    await store.create("/burst/taken", "x");
    const outcomes = await Promise.allSettled([
      store.create("/burst/a", "a"),
      store.create("/burst/taken", "again"),
      store.update("/burst/taken", "y", 1),
      store.create("/burst/b", "b"),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "rejected", "fulfilled"]);
    const a = (outcomes[0] as PromiseFulfilledResult<{ modRevision: number }>).value;
    const b = (outcomes[3] as PromiseFulfilledResult<{ modRevision: number }>).value;
    expect(b.modRevision).toBeGreaterThan(a.modRevision);
    expect((await store.get("/burst/taken"))?.value).toBe("x");
  });

  test("update is a compare-and-swap on the key's mod revision", async () => {
    const store = await open();
    const v1 = await store.create("/cas/k", "v1");
    const v2 = await store.update("/cas/k", "v2", v1.modRevision);
    const stale = await rejection(store.update("/cas/k", "v3", v1.modRevision));
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as ConflictError).actualRevision).toBe(v2.modRevision);
    expect((await store.get("/cas/k"))?.value).toBe("v2");
    expect(await rejection(store.update("/cas/missing", "x", 1))).toBeInstanceOf(NotFoundError);
    await store.delete("/cas/k");
    expect(await rejection(store.update("/cas/k", "v4", v2.modRevision))).toBeInstanceOf(NotFoundError);
  });

  test("of concurrent updates from the same revision exactly one wins", async () => {
    const store = await open();
    const base = await store.create("/race/k", "base");
    const outcomes = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.update("/race/k", `w${i}`, base.modRevision)),
    );
    const winners = outcomes.filter((o) => o.status === "fulfilled");
    expect(winners.length).toBe(1);
    for (const o of outcomes) if (o.status === "rejected") expect(o.reason).toBeInstanceOf(ConflictError);
    const winner = (winners[0] as PromiseFulfilledResult<{ value: string }>).value;
    expect((await store.get("/race/k"))?.value).toBe(winner.value);
  });

  test("delete honours its precondition and returns the deleted value", async () => {
    const store = await open();
    expect(await rejection(store.delete("/del/missing"))).toBeInstanceOf(NotFoundError);
    const v1 = await store.create("/del/k", "v1");
    const v2 = await store.update("/del/k", "v2", v1.modRevision);
    const conflict = await rejection(store.delete("/del/k", { expectedRevision: v1.modRevision }));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(await store.get("/del/k")).toEqual(v2);
    const deleted = await store.delete("/del/k", { expectedRevision: v2.modRevision });
    expect(deleted.prevKv).toEqual(v2);
    expect(deleted.revision).toBe(await store.currentRevision());
    expect(await store.get("/del/k")).toBeNull();
    expect(await rejection(store.delete("/del/k"))).toBeInstanceOf(NotFoundError);
  });

  test("get reads a key as of a past revision", async () => {
    const store = await open();
    const before = await store.currentRevision();
    const v1 = await store.create("/hist/k", "v1");
    await store.create("/hist/other", "o");
    const v2 = await store.update("/hist/k", "v2", v1.modRevision);
    const deleted = await store.delete("/hist/k");
    expect(await store.get("/hist/k", { revision: before })).toBeNull();
    expect(await store.get("/hist/k", { revision: v1.modRevision })).toEqual(v1);
    expect(await store.get("/hist/k", { revision: v2.modRevision - 1 })).toEqual(v1);
    expect(await store.get("/hist/k", { revision: v2.modRevision })).toEqual(v2);
    expect(await store.get("/hist/k", { revision: deleted.revision })).toBeNull();
    expect(await store.get("/hist/k")).toBeNull();
    const future = await rejection(store.get("/hist/k", { revision: deleted.revision + 10 }));
    expect(future).toBeInstanceOf(FutureRevisionError);
  });

  test("keys and values round-trip arbitrary text", async () => {
    const store = await open();
    const key = "/unicode/ns/ünï-€-😀";
    const value = JSON.stringify({ text: "quote \" backslash \\ newline \n emoji 😀", big: "y".repeat(100_000) });
    await store.create(key, value);
    expect((await store.get(key))?.value).toBe(value);
    expect((await store.list("/unicode/ns/")).items.map((kv) => kv.key)).toEqual([key]);
    await store.create("/unicode/ns/", "empty name");
    expect(await store.count("/unicode/")).toBe(2);
  });
}
