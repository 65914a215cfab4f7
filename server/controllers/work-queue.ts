// A deduplicating work queue as controllers use it: a key queued many times is synced once,
// never twice at the same time, and a failed sync is retried later with a growing delay.

/** A running queue. */
export interface WorkQueue {
  add(key: string): void;
  /** Queues the key after `ms` (the earliest request wins). */
  addAfter(key: string, ms: number): void;
  /** Drops queued work and pending retries; running syncs finish. */
  stop(): void;
}

/** Options of a queue. */
export interface WorkQueueOptions {
  /** Name used in error messages. */
  name: string;
  /** How many keys may sync at once. */
  concurrency?: number;
  /** First retry delay after a failure; doubles per consecutive failure up to 30 s. */
  retryMs?: number;
}

const maxRetryMs = 30_000;

/** Creates a queue that calls `sync` for each key. */
export function createWorkQueue(sync: (key: string) => Promise<void>, options: WorkQueueOptions): WorkQueue {
  const concurrency = options.concurrency ?? 1;
  const retryMs = options.retryMs ?? 200;
  const queued = new Set<string>();
  const running = new Set<string>();
  const again = new Set<string>();
  const failures = new Map<string, number>();
  const timers = new Map<string, { at: number; timer: ReturnType<typeof setTimeout> }>();
  let stopped = false;

  function add(key: string): void {
    if (stopped) return;
    if (running.has(key)) {
      again.add(key);
      return;
    }
    queued.add(key);
    pump();
  }

  function addAfter(key: string, ms: number): void {
    if (stopped) return;
    if (ms <= 0) return add(key);
    const at = Date.now() + ms;
    const existing = timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      timers.delete(key);
      add(key);
    }, ms);
    timers.set(key, { at, timer });
  }

  function pump(): void {
    while (!stopped && running.size < concurrency && queued.size) {
      const key = queued.values().next().value as string;
      queued.delete(key);
      running.add(key);
      void run(key);
    }
  }

  async function run(key: string): Promise<void> {
    try {
      await sync(key);
      failures.delete(key);
    } catch (err) {
      const code = (err as { code?: number }).code;
      const count = (failures.get(key) ?? 0) + 1;
      failures.set(key, count);
      if (code !== 409 && code !== 404 && !stopped) console.error(`${options.name}: ${key}:`, (err as Error).message);
      if (code !== 404) addAfter(key, code === 409 ? Math.min(5 * count, 1000) : Math.min(retryMs * 2 ** (count - 1), maxRetryMs));
    } finally {
      running.delete(key);
      if (again.delete(key)) queued.add(key);
      pump();
    }
  }

  return {
    add,
    addAfter,
    stop() {
      stopped = true;
      for (const { timer } of timers.values()) clearTimeout(timer);
      timers.clear();
      queued.clear();
    },
  };
}
