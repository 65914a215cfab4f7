// Opening the SQLite file: pragmas, tables, and the persisted counters.
//
// history: append-only, one row per write, the revision is the rowid. A delete is a
//   tombstone row (deleted = 1, value NULL); its prev_rev points at the row holding the
//   value it removed, so watch replay can report DELETED with the previous value.
//   UNIQUE(key, prev_rev) is the compare-and-swap guard: two writes based on the same
//   previous revision of a key cannot both commit, whichever connection makes them.
// latest: the newest history row per key (tombstones included until compacted), so gets,
//   lists and counts never scan history with GROUP BY MAX(rev).
// meta: the revision floor (kept across compactions that remove the newest tombstone),
//   the compacted revision and compaction progress.
import { Database } from "bun:sqlite";

/** How commits are made durable; see {@link SqliteStoreOptions.synchronous}. */
export type SynchronousMode = "full" | "normal";

/** Counters read back when a store opens. */
export interface PersistedState {
  revision: number;
  compactedRevision: number;
  /** Rows up to this revision have been compacted; below `compactedRevision` means unfinished. */
  compactCursor: number;
}

const schemaVersion = 1;

const schema = `
CREATE TABLE IF NOT EXISTS history (
  rev INTEGER PRIMARY KEY,
  key TEXT NOT NULL,
  create_rev INTEGER NOT NULL,
  prev_rev INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  value TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS history_key_prev ON history (key, prev_rev);
-- Older stores also had a (key, rev) index for reads at a past revision. history_key_prev
-- serves them now (sqlite-statements.ts says how), and keeping the other one up to date cost
-- ~10 of ~42 µs of SQLite work per create.
DROP INDEX IF EXISTS history_key_rev;
CREATE TABLE IF NOT EXISTS latest (
  key TEXT PRIMARY KEY,
  rev INTEGER NOT NULL,
  deleted INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Connection settings, see {@link SqliteStoreOptions}. */
export interface ConnectionSettings {
  busyTimeoutMs: number;
  exclusive: boolean;
}

/** Opens (creating if needed) a store database with kapi's pragmas and schema. */
export function openDatabase(path: string, settings: ConnectionSettings): Database {
  const db = new Database(path, { create: true, readwrite: true, strict: true });
  try {
    db.run(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(settings.busyTimeoutMs))}`);
    // Held from the first write on: a second process opening the file fails instead of
    // writing behind this one's back (revisions and watch events live in this process).
    if (settings.exclusive) db.run("PRAGMA locking_mode = EXCLUSIVE");
    // Only takes effect before the first table exists, which is why it comes first.
    db.run("PRAGMA auto_vacuum = INCREMENTAL");
    db.run("PRAGMA journal_mode = WAL");
    // NORMAL keeps SQLite's syncs around checkpoints; in "full" mode each commit's WAL sync
    // is made by the writer off the event loop (wal-sync.ts) before the commit is acknowledged.
    db.run("PRAGMA synchronous = NORMAL");
    // 8 MiB of pages: ample for the indexes and the WAL's pages (the file itself is read through
    // the mapping below). A 32 MiB cache filled up during 10k creates and held ~25 MiB more RSS.
    db.run("PRAGMA cache_size = -8192");
    db.run("PRAGMA temp_store = MEMORY");
    // Reading through a mapping saves one pread per page: lists of large objects got ~2x faster.
    db.run("PRAGMA mmap_size = 268435456");
    const version = (db.query("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (version > schemaVersion) {
      throw new Error(`${path}: schema version ${version} is newer than this kapi (${schemaVersion})`);
    }
    db.transaction(() => {
      db.run(schema);
      db.run(
        "INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 1), ('compacted', 0), ('compact_cursor', 0)",
      );
      db.run(`PRAGMA user_version = ${schemaVersion}`);
    }).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Reads the revision counters; the revision is never below the newest history row. */
export function readPersistedState(db: Database): PersistedState {
  const meta = new Map<string, number>();
  for (const row of db.query("SELECT name, value FROM meta").all() as { name: string; value: number }[]) {
    meta.set(row.name, row.value);
  }
  const newest = db.query("SELECT max(rev) AS rev FROM history").get() as { rev: number | null };
  const compactedRevision = meta.get("compacted") ?? 0;
  return {
    revision: Math.max(meta.get("revision") ?? 1, newest.rev ?? 0, compactedRevision),
    compactedRevision,
    compactCursor: meta.get("compact_cursor") ?? 0,
  };
}
