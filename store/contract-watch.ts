// Contract cases for watch: replay, live delivery, ordering, filtering, termination.
import { expect, test } from "bun:test";
import { collectUntil, expectStrictlyIncreasing, nextTurn, rejection, take } from "./contract-helpers.ts";
import { WatcherOverflowError } from "./errors.ts";
import type { KeyValue, Store, WatchEvent } from "./types.ts";

function revisions(events: WatchEvent[]): number[] {
  return events.map((e) => e.kv.modRevision);
}

// Ways of letting time pass between submitting writes and starting a watch.
const pauses: Array<() => Promise<void>> = [
  async () => {},
  () => Promise.resolve(),
  () => nextTurn(),
  async () => {
    await nextTurn();
    await nextTurn();
  },
  () => new Promise((resolve) => setTimeout(resolve, 1)),
];

/** Registers the watch cases. */
export function runWatchContract(open: () => Promise<Store>): void {
  test("watch replays history after fromRevision, then delivers live events", async () => {
    const store = await open();
    const start = await store.currentRevision();
    const a = await store.create("/w/a", "a1");
    const a2 = await store.update("/w/a", "a2", a.modRevision);
    const b = await store.create("/w/b", "b1");
    const watcher = store.watch("/w/", { fromRevision: a.modRevision });
    expect(watcher.startRevision).toBe(a.modRevision);
    const live = await store.delete("/w/a");
    const c = await store.create("/w/c", "c1");
    const events = await collectUntil(watcher, c.modRevision);
    watcher.close();
    expect(events.map((e) => e.type)).toEqual(["MODIFIED", "ADDED", "DELETED", "ADDED"]);
    expect(revisions(events)).toEqual([a2.modRevision, b.modRevision, live.revision, c.modRevision]);
    expect(events[0]!.kv).toEqual(a2);
    expect(events[0]!.prevKv).toEqual(a);
    expect(events[1]!.kv).toEqual(b);
    expect(events[1]!.prevKv).toBeUndefined();
    const full = store.watch("/w/", { fromRevision: start });
    const all = await collectUntil(full, c.modRevision);
    full.close();
    expect(revisions(all)).toEqual([a.modRevision, ...revisions(events)]);
  });

  test("DELETED carries the previous value, at the delete's revision, replayed or live", async () => {
    const store = await open();
    const v1 = await store.create("/d/k", "v1");
    const v2 = await store.update("/d/k", "v2", v1.modRevision);
    const liveWatcher = store.watch("/d/");
    const deleted = await store.delete("/d/k");
    const replayWatcher = store.watch("/d/", { fromRevision: v2.modRevision });
    for (const watcher of [liveWatcher, replayWatcher]) {
      const [event] = await take(watcher, 1);
      watcher.close();
      expect(event).toEqual({
        type: "DELETED",
        kv: { key: "/d/k", value: "v2", createRevision: v1.modRevision, modRevision: deleted.revision },
        prevKv: v2,
      });
    }
  });

  test("no gaps and no duplicates when writes race the start of a watch", async () => {
    const store = await open();
    for (const [round, pause] of pauses.entries()) {
      const base = await store.currentRevision();
      const early = Array.from({ length: 20 }, (_, i) => store.create(`/race${round}/e${i}`, "v"));
      await pause();
      const replaying = store.watch(`/race${round}/`, { fromRevision: base });
      const fromNow = store.watch(`/race${round}/`);
      const late = Array.from({ length: 20 }, (_, i) => store.create(`/race${round}/l${i}`, "v"));
      const written = (await Promise.all([...early, ...late])).map((kv) => kv.modRevision);
      const last = Math.max(...written);
      const replayed = await collectUntil(replaying, last);
      const live = await collectUntil(fromNow, last);
      replaying.close();
      fromNow.close();
      expectStrictlyIncreasing(replayed);
      expect(revisions(replayed)).toEqual([...written].sort((x, y) => x - y));
      expect(fromNow.startRevision).toBeGreaterThanOrEqual(base);
      expect(revisions(live)).toEqual(written.filter((r) => r > fromNow.startRevision).sort((x, y) => x - y));
    }
  });

  test("watch only sees keys under its literal prefix", async () => {
    const store = await open();
    const watcher = store.watch("/f/a/");
    const other = store.watch("/f/a");
    await store.create("/f/ab/x", "no");
    await store.create("/f/b/x", "no");
    const hit = await store.create("/f/a/x", "yes");
    await store.create("/f/a", "parent key");
    const last = await store.create("/f/a/y", "yes");
    const events = await collectUntil(watcher, last.modRevision);
    const wide = await collectUntil(other, last.modRevision);
    watcher.close();
    other.close();
    expect(events.map((e) => e.kv.key)).toEqual(["/f/a/x", "/f/a/y"]);
    expect(events[0]!.kv).toEqual(hit);
    expect(wide.map((e) => e.kv.key)).toEqual(["/f/ab/x", "/f/a/x", "/f/a", "/f/a/y"]);
  });

  test("fromRevision in the future waits for that revision", async () => {
    const store = await open();
    const current = await store.currentRevision();
    const watcher = store.watch("/fut/", { fromRevision: current + 2 });
    const writes: KeyValue[] = [];
    for (let i = 0; i < 4; i++) writes.push(await store.create(`/fut/${i}`, "v"));
    const events = await collectUntil(watcher, writes[3]!.modRevision);
    watcher.close();
    expect(revisions(events)).toEqual(writes.slice(2).map((kv) => kv.modRevision));
  });

  test("close ends iteration, also for a consumer waiting on next()", async () => {
    const store = await open();
    const watcher = store.watch("/close/");
    const pending = watcher.next();
    watcher.close();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(await watcher.next()).toEqual({ value: undefined, done: true });
    watcher.close();
    const looped = store.watch("/close/");
    const write = store.create("/close/a", "v");
    let seen = 0;
    for await (const _ of looped) {
      seen++;
      break;
    }
    expect(seen).toBe(1);
    await write;
    expect(await looped.next()).toEqual({ value: undefined, done: true });
  });

  test("an overflowing watcher is terminated without affecting writers or other watchers", async () => {
    const store = await open();
    const slow = store.watch("/o/", { bufferSize: 5 });
    const healthy = store.watch("/o/", { bufferSize: 5 });
    const healthyEvents = (async () => {
      const events: WatchEvent[] = [];
      for await (const event of healthy) {
        events.push(event);
        if (event.kv.key === "/o/after") break;
      }
      return events;
    })();
    const writes: KeyValue[] = [];
    for (let i = 0; i < 30; i++) writes.push(await store.create(`/o/${i}`, "v"));
    expect(await rejection(slow.next())).toBeInstanceOf(WatcherOverflowError);
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    // The healthy watcher keeps going after the slow one died.
    const after = await store.create("/o/after", "v");
    const received = await healthyEvents;
    expect(revisions(received)).toEqual([...writes, after].map((kv) => kv.modRevision));
  });

  test("many watchers on one prefix each receive every event once", async () => {
    const store = await open();
    const watchers = Array.from({ length: 50 }, () => store.watch("/many/"));
    const results = watchers.map((w) => take(w, 10));
    const writes = await Promise.all(Array.from({ length: 10 }, (_, i) => store.create(`/many/${i}`, "v")));
    const expected = writes.map((kv) => kv.modRevision).sort((x, y) => x - y);
    for (const result of results) expect(revisions(await result)).toEqual(expected);
    for (const w of watchers) w.close();
  });

  test("progressRevision tells how far a watcher has delivered, for bookmarks", async () => {
    const store = await open();
    const quiet = store.watch("/prog/quiet/");
    const busy = store.watch("/prog/busy/");
    const first = await store.create("/prog/busy/a", "v");
    const elsewhere = await store.create("/prog/other", "v");
    expect(quiet.progressRevision()).toBe(elsewhere.modRevision);
    // busy still holds an undelivered event: its progress stays before it.
    expect(busy.progressRevision()).toBe(busy.startRevision);
    expect((await take(busy, 1))[0]!.kv.modRevision).toBe(first.modRevision);
    expect(busy.progressRevision()).toBe(elsewhere.modRevision);
    const replaying = store.watch("/prog/busy/", { fromRevision: first.modRevision - 1 });
    expect(replaying.progressRevision()).toBe(replaying.startRevision);
    await take(replaying, 1);
    expect(replaying.progressRevision()).toBe(elsewhere.modRevision);
    for (const w of [quiet, busy, replaying]) w.close();
  });
}
