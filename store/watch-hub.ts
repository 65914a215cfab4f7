// In-process fan-out of committed events to watchers. The writer publishes each commit once
// it is durable, in the same step that makes its revision visible to readers, so a watcher
// registered between two publications sees every later event live and nothing earlier:
// that is what makes replay→live gap-free.
import type { WatchEvent } from "./types.ts";

/** What the hub delivers to. */
export interface HubSubscriber {
  readonly prefix: string;
  push(event: WatchEvent): void;
}

/** Watchers grouped by prefix, so an event is matched once per distinct prefix. */
export class WatchHub<S extends HubSubscriber = HubSubscriber> {
  private readonly byPrefix = new Map<string, Set<S>>();
  private count = 0;

  /** Number of registered subscribers. */
  get size(): number {
    return this.count;
  }

  subscribe(subscriber: S): void {
    let set = this.byPrefix.get(subscriber.prefix);
    if (!set) {
      set = new Set();
      this.byPrefix.set(subscriber.prefix, set);
    }
    if (!set.has(subscriber)) {
      set.add(subscriber);
      this.count++;
    }
  }

  unsubscribe(subscriber: S): void {
    const set = this.byPrefix.get(subscriber.prefix);
    if (!set?.delete(subscriber)) return;
    this.count--;
    if (set.size === 0) this.byPrefix.delete(subscriber.prefix);
  }

  /** Delivers `events` (in revision order) to every subscriber whose prefix matches. */
  publish(events: readonly WatchEvent[]): void {
    if (this.count === 0) return;
    for (const [prefix, subscribers] of this.byPrefix) {
      for (const event of events) {
        if (!event.kv.key.startsWith(prefix)) continue;
        // A subscriber may unsubscribe itself (overflow) here; Set iteration tolerates that.
        for (const subscriber of subscribers) subscriber.push(event);
      }
    }
  }

  /** Every current subscriber. */
  subscribers(): S[] {
    const all: S[] = [];
    for (const set of this.byPrefix.values()) all.push(...set);
    return all;
  }
}
