// Compaction: drop history older than a window, in bounded batches, then give the freed
// pages back to the file system.
//
// Compacting to revision C keeps, for every key, the newest row at or below C (unless it is
// a tombstone) and every row above C, so reads at revision >= C and watches from C on work.
// Only rows in (previous C, C] need looking at: each of them supersedes its predecessor
// (prev_rev), and tombstones among them are no longer needed at all.
import type { Database } from "bun:sqlite";
import { FutureRevisionError } from "./errors.ts";
import type { Statements } from "./sqlite-statements.ts";
import type { RevisionState } from "./sqlite-writer.ts";

/** When and how much history the SQLite store discards. */
export interface CompactionOptions {
  /** How often to compact automatically, in ms; 0 disables the timer. Default 60 000. */
  intervalMs?: number;
  /** Always keep at least this many recent revisions. Default 1000. */
  keepRevisions?: number;
  /** Always keep the revisions of the last this many ms. Default 300 000 (5 minutes). */
  keepMs?: number;
  /** History rows handled per transaction. Default 1000. */
  batchSize?: number;
  /** Receives errors of automatic compaction runs. Default: `console.error`. */
  onError?: (error: unknown) => void;
}

interface Sample {
  time: number;
  revision: number;
}

const vacuumPagesPerStep = 2048;

/** Runs compactions one at a time, in batches that yield to the event loop. */
export class Compactor {
  private readonly intervalMs: number;
  private readonly keepRevisions: number;
  private readonly keepMs: number;
  private readonly batchSize: number;
  private readonly onError: (error: unknown) => void;
  private samples: Sample[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly sql: Statements,
    private readonly state: RevisionState,
    private cursor: number,
    options: CompactionOptions,
  ) {
    this.intervalMs = options.intervalMs ?? 60_000;
    this.keepRevisions = options.keepRevisions ?? 1000;
    this.keepMs = options.keepMs ?? 300_000;
    this.batchSize = Math.max(1, options.batchSize ?? 1000);
    this.onError = options.onError ?? ((error) => console.error("kapi store: compaction failed:", error));
  }

  /** Starts the timer, and finishes a compaction a crash interrupted. */
  start(): void {
    this.samples.push({ time: Date.now(), revision: this.state.revision });
    if (this.cursor < this.state.compactedRevision) this.background(this.state.compactedRevision);
    if (this.intervalMs > 0) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref?.();
    }
  }

  /** Compacts to `revision` (no-op if already compacted further). */
  compact(revision: number): Promise<number> {
    if (revision > this.state.revision) {
      return Promise.reject(new FutureRevisionError(revision, this.state.revision));
    }
    const run = this.running.then(() => this.run(revision));
    this.running = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and waits for a running compaction to reach a batch boundary. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** The revision the window allows compacting to now. */
  windowTarget(now: number): number {
    const cutoff = now - this.keepMs;
    let inUse = -1;
    this.samples.forEach((sample, i) => {
      if (sample.time <= cutoff) inUse = i;
    });
    const byTime = inUse >= 0 ? this.samples[inUse]!.revision : 0;
    // Samples older than the one in use will never be needed again.
    if (inUse > 0) this.samples = this.samples.slice(inUse);
    return Math.min(this.state.revision - this.keepRevisions, byTime);
  }

  private tick(): void {
    const now = Date.now();
    this.samples.push({ time: now, revision: this.state.revision });
    const target = this.windowTarget(now);
    if (target > this.state.compactedRevision) this.background(target);
  }

  private background(revision: number): void {
    this.compact(revision).catch(this.onError);
  }

  private async run(revision: number): Promise<number> {
    if (this.stopped) return this.state.compactedRevision;
    if (revision > this.state.compactedRevision) {
      // Published before any row goes, so readers never look for what is being removed.
      this.db.transaction(() => {
        this.sql.setMeta.run("compacted", revision);
        this.sql.setMeta.run("revision", this.state.revision);
      }).immediate();
      this.state.compactedRevision = revision;
    }
    const target = this.state.compactedRevision;
    if (this.cursor >= target) return target;
    while (this.cursor < target) {
      if (this.stopped) return target;
      const boundary = this.sql.nextRevAfter.get(this.cursor, target, this.batchSize - 1);
      const high = boundary?.rev ?? target;
      const low = this.cursor;
      this.db.transaction(() => {
        this.sql.compactPredecessors.run(low, high);
        this.sql.compactTombstoneKeys.run(low, high);
        this.sql.compactTombstones.run(low, high);
        this.sql.setMeta.run("compact_cursor", high);
      }).immediate();
      this.cursor = high;
      await nextTurn();
    }
    await this.releaseFreePages();
    return target;
  }

  private async releaseFreePages(): Promise<void> {
    while (!this.stopped && freePages(this.db) > 0) {
      this.db.run(`PRAGMA incremental_vacuum(${vacuumPagesPerStep})`);
      await nextTurn();
    }
    if (!this.stopped) this.db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  }
}

function freePages(db: Database): number {
  return (db.query("PRAGMA freelist_count").get() as { freelist_count: number }).freelist_count;
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
