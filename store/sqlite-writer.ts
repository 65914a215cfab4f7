// The single writer with group commit. Writes submitted during one event-loop turn are
// applied in one transaction at the next turn; each caller still gets its own result or
// error. With a CommitSync, a committed batch is made durable off the event loop while the
// next requests are being prepared, and writes submitted meanwhile wait for it to finish
// and then go into one transaction together. Promises resolve only once a write is on
// disk, and only then do readers see its revision and watchers its event.
import type { Database } from "bun:sqlite";
import { AlreadyExistsError, ConflictError, NotFoundError, StoreClosedError, StoreError } from "./errors.ts";
import type { LatestRow, Statements } from "./sqlite-statements.ts";
import type { DeleteResult, KeyValue, WatchEvent } from "./types.ts";
import type { CommitSync } from "./wal-sync.ts";

/** One write request. */
export type WriteOp =
  | { kind: "create"; key: string; value: string }
  | { kind: "update"; key: string; value: string; expectedRevision: number }
  | { kind: "delete"; key: string; expectedRevision?: number };

/** Revision counters shared by the writer, the readers and the compactor. */
export interface RevisionState {
  /** The newest revision readers see: committed, durable and published to watchers. */
  revision: number;
  compactedRevision: number;
}

type WriteResult = KeyValue | DeleteResult;

interface Pending {
  op: WriteOp;
  resolve(result: WriteResult): void;
  reject(error: unknown): void;
}

type Outcome = { result: WriteResult; event: WatchEvent } | { error: StoreError };

interface Committed {
  pending: Pending;
  outcome: Outcome;
}

/** Serialises all writes of one SQLite connection into group commits. */
export class GroupCommitWriter {
  private pending: Pending[] = [];
  private scheduled = false;
  private syncing = false;
  private closed = false;
  private committedRevision: number;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly db: Database,
    private readonly sql: Statements,
    private readonly state: RevisionState,
    private readonly publish: (events: WatchEvent[]) => void,
    private readonly maxBatch: number,
    /** Without one, a commit is acknowledged as soon as COMMIT returns. */
    private readonly sync?: CommitSync,
  ) {
    this.committedRevision = state.revision;
  }

  /** The newest committed revision: ahead of `state.revision` while its sync runs. */
  get committed(): number {
    return this.committedRevision;
  }

  /** Queues a write; resolves once it is committed and durable. */
  submit(op: WriteOp): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.scheduled && !this.syncing) {
        this.scheduled = true;
        // setImmediate (not a microtask) so that callers resuming from the previous batch
        // within the same turn can still join this one.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Refuses new writes, commits everything queued and resolves once all of it is acknowledged. */
  async close(): Promise<void> {
    this.closed = true;
    this.flush();
    while (this.syncing || this.pending.length > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    this.sync?.close();
  }

  /** Commits everything queued, in batches of at most `maxBatch` writes, unless a sync is running. */
  flush(): void {
    this.scheduled = false;
    if (this.syncing) return;
    const committed: Committed[] = [];
    while (this.pending.length > 0) this.commitBatch(this.pending.splice(0, this.maxBatch), committed);
    if (!this.sync || committed.length === 0) {
      this.acknowledge(committed);
      this.wakeIdle();
      return;
    }
    this.syncing = true;
    this.sync.afterCommit((error) => {
      this.syncing = false;
      this.acknowledge(committed, error);
      if (this.pending.length > 0) this.flush();
      else this.wakeIdle();
    });
  }

  private commitBatch(batch: Pending[], committed: Committed[]): void {
    let outcomes: Outcome[];
    try {
      outcomes = this.runTransaction(batch);
    } catch (error) {
      // Something unexpected (I/O error, disk full): retry alone so that only the
      // write(s) that really fail are rejected.
      if (batch.length > 1) {
        for (const pending of batch) this.commitBatch([pending], committed);
      } else {
        batch[0]!.reject(error);
      }
      return;
    }
    batch.forEach((pending, i) => committed.push({ pending, outcome: outcomes[i]! }));
  }

  /**
   * Publishes and answers committed writes. A failed sync still leaves them committed (later
   * reads see them), but their callers are told that they may not be durable.
   */
  private acknowledge(committed: Committed[], syncError?: Error): void {
    this.state.revision = this.committedRevision;
    const events: WatchEvent[] = [];
    for (const { outcome } of committed) if ("event" in outcome) events.push(outcome.event);
    if (events.length > 0) this.publish(events);
    for (const { pending, outcome } of committed) {
      if ("error" in outcome) pending.reject(outcome.error);
      else if (syncError) pending.reject(syncError);
      else pending.resolve(outcome.result);
    }
  }

  private wakeIdle(): void {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const wake of waiters) wake();
  }

  private runTransaction(batch: Pending[]): Outcome[] {
    const outcomes: Outcome[] = [];
    let revision = this.committedRevision;
    this.db.run("BEGIN IMMEDIATE");
    try {
      for (const { op } of batch) {
        try {
          outcomes.push(this.apply(op, revision + 1));
          revision++;
        } catch (error) {
          if (!(error instanceof StoreError)) throw error;
          outcomes.push({ error });
        }
      }
      this.db.run("COMMIT");
    } catch (error) {
      if (this.db.inTransaction) this.db.run("ROLLBACK");
      throw error;
    }
    this.committedRevision = revision;
    return outcomes;
  }

  private apply(op: WriteOp, revision: number): { result: WriteResult; event: WatchEvent } {
    const latest = this.sql.latest.get(op.key);
    const live = latest && latest.deleted === 0 ? latest : null;
    if (op.kind === "create") {
      if (live) throw new AlreadyExistsError(op.key);
      this.write(op.key, revision, revision, latest?.rev ?? 0, op.value);
      const kv: KeyValue = { key: op.key, value: op.value, createRevision: revision, modRevision: revision };
      return { result: { ...kv }, event: { type: "ADDED", kv } };
    }
    if (!live) throw new NotFoundError(op.key);
    const expected = op.expectedRevision;
    if (expected !== undefined && expected !== live.rev) throw new ConflictError(op.key, expected, live.rev);
    const prevKv = toKeyValue(op.key, live);
    if (op.kind === "update") {
      this.write(op.key, revision, live.create_rev, live.rev, op.value);
      const kv: KeyValue = { key: op.key, value: op.value, createRevision: live.create_rev, modRevision: revision };
      return { result: { ...kv }, event: { type: "MODIFIED", kv, prevKv } };
    }
    this.write(op.key, revision, live.create_rev, live.rev, null);
    const kv: KeyValue = { ...prevKv, modRevision: revision };
    return { result: { prevKv: { ...prevKv }, revision }, event: { type: "DELETED", kv, prevKv } };
  }

  private write(key: string, revision: number, createRevision: number, prevRevision: number, value: string | null) {
    try {
      this.sql.insertHistory.run(revision, key, createRevision, prevRevision, value === null ? 1 : 0, value);
    } catch (error) {
      // The CAS guard: another writer already replaced prevRevision of this key.
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") {
        throw new ConflictError(key, prevRevision, this.sql.latest.get(key)?.rev ?? 0);
      }
      throw error;
    }
    this.sql.upsertLatest.run(key, revision, value === null ? 1 : 0);
  }
}

function toKeyValue(key: string, row: LatestRow): KeyValue {
  return { key, value: row.value ?? "", createRevision: row.create_rev, modRevision: row.rev };
}
