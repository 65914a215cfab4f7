// The single writer with group commit. Writes submitted during one event-loop turn are
// applied in one transaction (one fsync) at the next turn; each caller still gets its own
// result or error. Promises resolve only after COMMIT returned, so an acknowledged write
// is on disk. Events are published to the hub after the commit, before callers resume.
import type { Database } from "bun:sqlite";
import { AlreadyExistsError, ConflictError, NotFoundError, StoreClosedError, StoreError } from "./errors.ts";
import type { LatestRow, Statements } from "./sqlite-statements.ts";
import type { DeleteResult, KeyValue, WatchEvent } from "./types.ts";

/** One write request. */
export type WriteOp =
  | { kind: "create"; key: string; value: string }
  | { kind: "update"; key: string; value: string; expectedRevision: number }
  | { kind: "delete"; key: string; expectedRevision?: number };

/** Revision counters shared by the writer, the readers and the compactor. */
export interface RevisionState {
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

/** Serialises all writes of one SQLite connection into group commits. */
export class GroupCommitWriter {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;

  constructor(
    private readonly db: Database,
    private readonly sql: Statements,
    private readonly state: RevisionState,
    private readonly publish: (events: WatchEvent[]) => void,
    private readonly maxBatch: number,
  ) {}

  /** Queues a write; resolves once it is committed. */
  submit(op: WriteOp): Promise<WriteResult> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate (not a microtask) so that callers resuming from the previous batch
        // within the same turn can still join this one.
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits everything queued now, then refuses new writes. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Commits everything queued, in batches of at most `maxBatch` writes. */
  flush(): void {
    this.scheduled = false;
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.commitBatch(batch);
    }
  }

  private commitBatch(batch: Pending[]): void {
    let outcomes: Outcome[];
    try {
      outcomes = this.runTransaction(batch);
    } catch (error) {
      // Something unexpected (I/O error, disk full): retry alone so that only the
      // write(s) that really fail are rejected.
      if (batch.length > 1) {
        for (const pending of batch) this.commitBatch([pending]);
      } else {
        batch[0]!.reject(error);
      }
      return;
    }
    const events: WatchEvent[] = [];
    for (const outcome of outcomes) if ("event" in outcome) events.push(outcome.event);
    if (events.length > 0) this.publish(events);
    outcomes.forEach((outcome, i) => {
      if ("error" in outcome) batch[i]!.reject(outcome.error);
      else batch[i]!.resolve(outcome.result);
    });
  }

  private runTransaction(batch: Pending[]): Outcome[] {
    const outcomes: Outcome[] = [];
    let revision = this.state.revision;
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
    this.state.revision = revision;
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
