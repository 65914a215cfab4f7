// One watcher: replays history from its source page by page, then hands out the live
// events the hub pushed meanwhile. Live events wait in a bounded queue; when the consumer
// falls `bufferSize` events behind, the watcher is terminated instead of growing.
import { WatcherOverflowError } from "./errors.ts";
import type { WatchEvent, Watcher } from "./types.ts";

/** Where a watcher reads history from. */
export interface ChangeSource {
  /**
   * Changes under `prefix` with revisions in (afterRevision, untilRevision], oldest first,
   * at most `limit`. Throws `CompactedError` when `afterRevision` has been compacted.
   */
  readChanges(prefix: string, afterRevision: number, untilRevision: number, limit: number): WatchEvent[];
  /** The revision of the last commit already published to the hub. */
  publishedRevision(): number;
}

const replayPageSize = 256;
const done: IteratorResult<WatchEvent> = { value: undefined, done: true };

// Watchers whose waiting consumer is woken at the end of the event-loop turn (see
// WatchOptions.wakeAfterTurn), in the order their events arrived.
let toWake: QueueWatcher[] | undefined;

function scheduleWake(watcher: QueueWatcher): void {
  if (!toWake) {
    toWake = [];
    setImmediate(wakeAll);
  }
  toWake.push(watcher);
}

function wakeAll(): void {
  const watchers = toWake ?? [];
  toWake = undefined;
  for (const watcher of watchers) watcher.wake();
}

interface Waiter {
  resolve(result: IteratorResult<WatchEvent>): void;
}

/** A {@link Watcher} fed by a hub (live) and a {@link ChangeSource} (history). */
export class QueueWatcher implements Watcher {
  private replay: WatchEvent[] = [];
  private replayIndex = 0;
  private replayCursor: number;
  private queue: WatchEvent[] = [];
  private queueHead = 0;
  private waiter: Waiter | null = null;
  private error: Error | null = null;
  private closed = false;
  private handedOut: number;
  private wakeScheduled = false;

  /**
   * @param replayUntil history up to this revision is replayed; newer events come live
   * @param onClose called once when the watcher stops, to unsubscribe it
   * @param wakesAfterTurn a waiting consumer gets live events at the end of the event-loop turn
   *   instead of at once (see {@link WatchOptions.wakeAfterTurn})
   */
  constructor(
    readonly prefix: string,
    readonly startRevision: number,
    private readonly replayUntil: number,
    private readonly bufferSize: number,
    private readonly source: ChangeSource,
    private readonly onClose: (watcher: QueueWatcher) => void,
    private readonly wakesAfterTurn = false,
  ) {
    this.replayCursor = startRevision;
    this.handedOut = startRevision;
  }

  /** Called by the hub, in revision order, for every committed event under `prefix`. */
  push(event: WatchEvent): void {
    if (this.closed || this.error || event.kv.modRevision <= this.replayUntil) return;
    if (this.waiter && !this.wakesAfterTurn) return this.handOut(this.waiter, event);
    if (this.queue.length - this.queueHead >= this.bufferSize) {
      this.fail(new WatcherOverflowError(this.bufferSize));
      return;
    }
    this.queue.push(event);
    if (this.waiter && !this.wakeScheduled) {
      this.wakeScheduled = true;
      scheduleWake(this);
    }
  }

  /** Hands the next queued event to a consumer still waiting for one (end of turn). */
  wake(): void {
    this.wakeScheduled = false;
    if (!this.waiter || this.closed || this.error) return;
    const event = this.take();
    if (event) this.handOut(this.waiter, event);
  }

  /** Gives `event` to the consumer waiting in `next()`. */
  private handOut(waiter: Waiter, event: WatchEvent): void {
    this.waiter = null;
    this.handedOut = event.kv.modRevision;
    waiter.resolve({ value: event, done: false });
  }

  /** Terminates the watcher: the consumer's next `next()` rejects with `error`. */
  fail(error: Error): void {
    if (this.closed || this.error) return;
    this.error = error;
    this.dropBuffers();
    this.onClose(this);
  }

  async next(): Promise<IteratorResult<WatchEvent>> {
    if (this.closed) return done;
    if (this.error) {
      this.closed = true;
      throw this.error;
    }
    let event: WatchEvent | undefined;
    try {
      event = this.take();
    } catch (error) {
      this.fail(error as Error);
      this.closed = true;
      throw error;
    }
    if (event) {
      this.handedOut = event.kv.modRevision;
      return { value: event, done: false };
    }
    return new Promise((resolve) => {
      this.waiter = { resolve };
    });
  }

  async return(): Promise<IteratorResult<WatchEvent>> {
    this.close();
    return done;
  }

  close(): void {
    if (this.closed) return;
    const wasFailed = this.error !== null;
    this.closed = true;
    this.dropBuffers();
    if (!wasFailed) this.onClose(this);
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.resolve(done);
  }

  progressRevision(): number {
    const idle =
      !this.closed &&
      !this.error &&
      this.replayIndex >= this.replay.length &&
      this.replayCursor >= this.replayUntil &&
      this.queueHead >= this.queue.length;
    return idle ? Math.max(this.handedOut, this.source.publishedRevision()) : this.handedOut;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private take(): WatchEvent | undefined {
    if (this.replayIndex < this.replay.length) return this.replay[this.replayIndex++];
    while (this.replayCursor < this.replayUntil) {
      const page = this.source.readChanges(this.prefix, this.replayCursor, this.replayUntil, replayPageSize);
      this.replayCursor =
        page.length < replayPageSize ? this.replayUntil : page[page.length - 1]!.kv.modRevision;
      if (page.length > 0) {
        this.replay = page;
        this.replayIndex = 1;
        return page[0];
      }
    }
    this.replay = [];
    if (this.queueHead < this.queue.length) {
      const event = this.queue[this.queueHead++]!;
      if (this.queueHead === this.queue.length) {
        this.queue = [];
        this.queueHead = 0;
      } else if (this.queueHead >= 1024) {
        this.queue = this.queue.slice(this.queueHead);
        this.queueHead = 0;
      }
      return event;
    }
    return undefined;
  }

  private dropBuffers(): void {
    this.replay = [];
    this.replayIndex = 0;
    this.replayCursor = this.replayUntil;
    this.queue = [];
    this.queueHead = 0;
  }
}
