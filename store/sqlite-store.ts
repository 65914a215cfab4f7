// The SQLite backend: one connection, used for reads, the group-commit writer and
// compaction. bun:sqlite is synchronous, so a read never sees half of a transaction.
//
// Revisions: an empty store is at revision 1 (as etcd), the first write gets revision 2.
import type { Database } from "bun:sqlite";
import { decodeContinue, encodeContinue } from "./continue-token.ts";
import { CompactedError, FutureRevisionError, StoreClosedError } from "./errors.ts";
import { keySuccessor, prefixEnd } from "./key-range.ts";
import { Compactor, type CompactionOptions } from "./sqlite-compactor.ts";
import { openDatabase, readPersistedState, type SynchronousMode } from "./sqlite-schema.ts";
import {
  finalizeStatements,
  noUpperBound,
  prepareStatements,
  type ChangeRow,
  type StateRow,
  type Statements,
} from "./sqlite-statements.ts";
import { GroupCommitWriter, type RevisionState, type WriteOp } from "./sqlite-writer.ts";
import type {
  DeleteOptions,
  DeleteResult,
  GetOptions,
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  WatchEvent,
  WatchOptions,
  Watcher,
} from "./types.ts";
import { WalFileSync, type CommitSync } from "./wal-sync.ts";
import { WatchHub } from "./watch-hub.ts";
import { QueueWatcher, type ChangeSource } from "./watcher.ts";

/** Options of {@link openSqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * "full" (default): every commit is synced to disk (off the event loop) before it is
   * acknowledged, published or visible to readers; acknowledged writes survive power loss.
   * "normal": the WAL is fsynced only at checkpoints; acknowledged writes survive a
   * crash or `kill -9` of the process, the last ones may be lost on power loss.
   */
  synchronous?: SynchronousMode;
  /** How long to wait for a lock held by another connection. Default 5000 ms. */
  busyTimeoutMs?: number;
  /** Hold an exclusive lock on the file while open. Default true. */
  exclusive?: boolean;
  /** Default bound of undelivered events per watcher. Default 1000. */
  watchBufferSize?: number;
  /** Most writes committed in one transaction. Default 1000. */
  maxBatchSize?: number;
  /** Automatic compaction; `false` disables the timer (explicit `compact()` still works). */
  compaction?: CompactionOptions | false;
}

/** The SQLite implementation of {@link Store}. Create it with {@link openSqliteStore}. */
export class SqliteStore implements Store, ChangeSource {
  private readonly sql: Statements;
  private readonly state: RevisionState;
  private readonly hub = new WatchHub<QueueWatcher>();
  private readonly observers = new Set<{ prefix: string; listener: (event: WatchEvent) => void }>();
  private readonly writer: GroupCommitWriter;
  private readonly compactor: Compactor;
  private readonly watchBufferSize: number;
  private closed = false;

  constructor(
    private readonly db: Database,
    options: SqliteStoreOptions,
    /** Makes each commit durable before it is acknowledged; none for ":memory:" and in "normal" mode. */
    sync?: CommitSync,
  ) {
    this.sql = prepareStatements(db);
    const persisted = readPersistedState(db);
    this.state = { revision: persisted.revision, compactedRevision: persisted.compactedRevision };
    this.watchBufferSize = Math.max(1, options.watchBufferSize ?? 1000);
    const publish = (events: WatchEvent[]) => {
      for (const observer of this.observers) {
        for (const event of events) {
          if (!event.kv.key.startsWith(observer.prefix)) continue;
          // The commit's callers are answered after this: a listener that throws must not stop that.
          try {
            observer.listener(event);
          } catch (error) {
            console.error("store observer failed:", error);
          }
        }
      }
      this.hub.publish(events);
    };
    const maxBatch = Math.max(1, options.maxBatchSize ?? 1000);
    this.writer = new GroupCommitWriter(db, this.sql, this.state, publish, maxBatch, sync);
    const compaction = options.compaction === false ? { intervalMs: 0 } : (options.compaction ?? {});
    this.compactor = new Compactor(db, this.sql, this.state, persisted.compactCursor, compaction);
    this.compactor.start();
  }

  async get(key: string, options: GetOptions = {}): Promise<KeyValue | null> {
    this.assertOpen();
    if (options.revision !== undefined && options.revision > 0) {
      this.assertReadable(options.revision);
      const row = this.sql.getAt.get(key, options.revision);
      return row && row.deleted === 0 ? toKeyValue(row) : null;
    }
    const row = this.sql.latest.get(key);
    // A write committed but not yet durable is not visible: the revision readers see ends before it.
    if (row && row.rev > this.state.revision) return this.get(key, { revision: this.state.revision });
    if (!row || row.deleted === 1) return null;
    return { key, value: row.value ?? "", createRevision: row.create_rev, modRevision: row.rev };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    this.assertOpen();
    let revision = this.state.revision;
    let start = prefix;
    if (options.continue) {
      const position = decodeContinue(options.continue, prefix);
      revision = position.revision;
      start = keySuccessor(position.lastKey);
      if (revision < this.state.compactedRevision) {
        // As etcd3's storage does, offer a way on: the same key at the current revision.
        const err = new CompactedError(revision, this.state.compactedRevision);
        err.freshContinue = encodeContinue({ revision: this.state.revision, lastKey: position.lastKey });
        throw err;
      }
      this.assertReadable(revision);
    } else if (options.revision !== undefined && options.revision > 0) {
      revision = options.revision;
      this.assertReadable(revision);
    }
    const end = prefixEnd(prefix) ?? noUpperBound;
    const limit = options.limit !== undefined && options.limit > 0 ? Math.floor(options.limit) : 0;
    const rows = this.sql.listAt.all(start, end, revision, limit > 0 ? limit + 1 : -1);
    if (limit === 0 || rows.length <= limit) return { items: rows.map(toKeyValue), revision };
    rows.length = limit;
    const items = rows.map(toKeyValue);
    const lastKey = items[items.length - 1]!.key;
    const token = encodeContinue({ revision, lastKey });
    if (options.countRemaining === false) return { items, revision, continue: token };
    const after = keySuccessor(lastKey);
    const remaining =
      revision === this.writer.committed
        ? this.sql.countLive.get(after, end)!.n
        : this.sql.countAt.get(after, end, revision)!.n;
    return { items, revision, continue: token, remainingItemCount: remaining };
  }

  async count(prefix: string): Promise<number> {
    this.assertOpen();
    return this.sql.countLive.get(prefix, prefixEnd(prefix) ?? noUpperBound)!.n;
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return (await this.submit({ kind: "create", key: checkKey(key), value: checkValue(value) })) as KeyValue;
  }

  async update(key: string, value: string, expectedRevision: number): Promise<KeyValue> {
    const op: WriteOp = { kind: "update", key: checkKey(key), value: checkValue(value), expectedRevision };
    return (await this.submit(op)) as KeyValue;
  }

  async delete(key: string, options: DeleteOptions = {}): Promise<DeleteResult> {
    const op: WriteOp = { kind: "delete", key: checkKey(key), expectedRevision: options.expectedRevision };
    return (await this.submit(op)) as DeleteResult;
  }

  watch(prefix: string, options: WatchOptions = {}): Watcher {
    const from = options.fromRevision ?? 0;
    const current = this.state.revision;
    const start = from > 0 ? from : current;
    const bufferSize = Math.max(1, options.bufferSize ?? this.watchBufferSize);
    const unsubscribe = (w: QueueWatcher) => this.hub.unsubscribe(w);
    const replayUntil = Math.max(start, current);
    const watcher = new QueueWatcher(prefix, start, replayUntil, bufferSize, this, unsubscribe, options.wakeAfterTurn);
    const compacted = this.state.compactedRevision;
    if (this.closed) watcher.fail(new StoreClosedError());
    else if (start < compacted) watcher.fail(new CompactedError(start, compacted));
    else this.hub.subscribe(watcher);
    return watcher;
  }

  observe(prefix: string, listener: (event: WatchEvent) => void): () => void {
    const observer = { prefix, listener };
    this.observers.add(observer);
    return () => void this.observers.delete(observer);
  }

  /** History for watch replay; see {@link ChangeSource.readChanges}. */
  readChanges(prefix: string, afterRevision: number, untilRevision: number, limit: number): WatchEvent[] {
    if (this.closed) throw new StoreClosedError();
    if (afterRevision < this.state.compactedRevision) {
      throw new CompactedError(afterRevision, this.state.compactedRevision);
    }
    const end = prefixEnd(prefix) ?? noUpperBound;
    return this.sql.changes.all(afterRevision, untilRevision, prefix, end, limit).map(toWatchEvent);
  }

  /** See {@link ChangeSource.publishedRevision}: a commit is published as soon as it is durable, together with its revision becoming visible. */
  publishedRevision(): number {
    return this.state.revision;
  }

  async currentRevision(): Promise<number> {
    return this.state.revision;
  }

  async compactedRevision(): Promise<number> {
    return this.state.compactedRevision;
  }

  compact(revision: number): Promise<number> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return this.compactor.compact(revision);
  }

  /** Number of running watchers (for metrics and tests). */
  get watcherCount(): number {
    return this.hub.size;
  }

  /** The underlying connection, for diagnostics (page counts, integrity checks). */
  get database(): Database {
    return this.db;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.writer.close();
    for (const watcher of this.hub.subscribers()) watcher.close();
    await this.compactor.stop();
    finalizeStatements(this.sql);
    this.db.close(true);
  }

  private submit(op: WriteOp) {
    if (this.closed) return Promise.reject(new StoreClosedError());
    return this.writer.submit(op);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private assertReadable(revision: number): void {
    if (revision < this.state.compactedRevision) throw new CompactedError(revision, this.state.compactedRevision);
    if (revision > this.state.revision) throw new FutureRevisionError(revision, this.state.revision);
  }
}

/** Opens a SQLite-backed store on `path` (a file, created if needed, or ":memory:"). */
export function openSqliteStore(path: string, options: SqliteStoreOptions = {}): SqliteStore {
  const synchronous = options.synchronous ?? "full";
  const db = openDatabase(path, {
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    exclusive: options.exclusive ?? true,
  });
  try {
    const inMemory = path === ":memory:" || path === "";
    return new SqliteStore(db, options, synchronous === "full" && !inMemory ? new WalFileSync(`${path}-wal`) : undefined);
  } catch (error) {
    db.close();
    throw error;
  }
}

function checkKey(key: string): string {
  if (typeof key !== "string" || key.length === 0) throw new TypeError("store key must be a non-empty string");
  return key;
}

function checkValue(value: string): string {
  if (typeof value !== "string") throw new TypeError("store value must be a string");
  return value;
}

function toKeyValue(row: StateRow): KeyValue {
  return { key: row.key, value: row.value ?? "", createRevision: row.create_rev, modRevision: row.rev };
}

function toWatchEvent(row: ChangeRow): WatchEvent {
  const prevKv: KeyValue | undefined =
    row.prev_rev > 0 && row.prev_deleted === 0
      ? { key: row.key, value: row.prev_value ?? "", createRevision: row.prev_create_rev!, modRevision: row.prev_rev }
      : undefined;
  if (row.deleted === 1) {
    const kv = { key: row.key, value: prevKv?.value ?? "", createRevision: row.create_rev, modRevision: row.rev };
    return { type: "DELETED", kv, prevKv };
  }
  const kv = toKeyValue(row);
  return row.create_rev === row.rev ? { type: "ADDED", kv } : { type: "MODIFIED", kv, prevKv };
}
