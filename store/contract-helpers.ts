// Helpers shared by the contract test files.
import { expect } from "bun:test";
import type { Store, WatchEvent, Watcher } from "./types.ts";

/** How the contract suite obtains stores of one backend. */
export interface StoreFactory {
  /** Opens a new, empty store. */
  open(): Promise<Store>;
  /** For persistent backends: closes `store` and opens the same data again. */
  reopen?(store: Store): Promise<Store>;
}

/** Reads events until one at or beyond `revision` arrives (or the watcher ends). */
export async function collectUntil(watcher: Watcher, revision: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  if (revision <= watcher.startRevision) return events;
  for await (const event of watcher) {
    events.push(event);
    if (event.kv.modRevision >= revision) break;
  }
  return events;
}

/** Reads exactly `count` events. */
export async function take(watcher: Watcher, count: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  while (events.length < count) {
    const result = await watcher.next();
    if (result.done) break;
    events.push(result.value);
  }
  return events;
}

/** Resolves with the error `promise` rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** Asserts events are strictly increasing in revision (no duplicates, no reordering). */
export function expectStrictlyIncreasing(events: WatchEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    expect(events[i]!.kv.modRevision).toBeGreaterThan(events[i - 1]!.kv.modRevision);
  }
}

/** Waits for the next event-loop turn. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A JSON value of roughly `size` bytes, for tests that care about row size. */
export function payload(name: string, size = 64): string {
  return JSON.stringify({ name, data: "x".repeat(Math.max(0, size - name.length - 22)) });
}
