// Every SQL statement the SQLite backend runs, prepared once per connection.
import type { Database, Statement } from "bun:sqlite";

/** A key's newest row (possibly a tombstone), as the writer reads it. */
export interface LatestRow {
  rev: number;
  deleted: number;
  create_rev: number;
  value: string | null;
}

/** A key's row as of some revision. */
export interface StateRow {
  key: string;
  rev: number;
  create_rev: number;
  deleted: number;
  value: string | null;
}

/** A history row joined with the row it replaced, for watch replay. */
export interface ChangeRow extends StateRow {
  prev_rev: number;
  prev_value: string | null;
  prev_create_rev: number | null;
  prev_deleted: number | null;
}

type Key = string;
type Rev = number;
// Upper bounds of key ranges: a string, or a one-byte BLOB meaning "no bound" (see listAt).
type KeyBound = string | Uint8Array;

/** The prepared statements of one connection. */
export interface Statements {
  latest: Statement<LatestRow, [Key]>;
  insertHistory: Statement<unknown, [Rev, Key, Rev, Rev, number, string | null]>;
  upsertLatest: Statement<unknown, [Key, Rev, number]>;
  getAt: Statement<StateRow, [Key, Rev]>;
  listAt: Statement<StateRow, [Key, KeyBound, Rev, number]>;
  countAt: Statement<{ n: number }, [Key, KeyBound, Rev]>;
  countLive: Statement<{ n: number }, [Key, KeyBound]>;
  changes: Statement<ChangeRow, [Rev, Rev, Key, KeyBound, number]>;
  setMeta: Statement<unknown, [string, number]>;
  compactPredecessors: Statement<unknown, [Rev, Rev]>;
  compactTombstoneKeys: Statement<unknown, [Rev, Rev]>;
  compactTombstones: Statement<unknown, [Rev, Rev]>;
  nextRevAfter: Statement<{ rev: number }, [Rev, Rev, number]>;
}

/**
 * A BLOB sorts after every TEXT value in SQLite, so binding it as the upper bound of a key
 * range means "no upper bound" while keeping the range usable by the index.
 */
export const noUpperBound = new Uint8Array([0xff]);

// A key's rows form a chain: each row's prev_rev is the rev of the row it replaced (0 for the
// first, and for the first after compaction removed a deleted key), so among one key's rows
// prev_rev rises with rev. The (key, prev_rev) index, there to refuse two writers replacing the
// same row, therefore also finds a key's newest row at or below a revision N: walk down from
// prev_rev < N and take the first row with rev <= N (only the row that straddles N is skipped).
const newestAtOrBelow = (keyCondition: string, revision: string) =>
  `${keyCondition} AND x.prev_rev < ${revision} AND x.rev <= ${revision} ORDER BY x.prev_rev DESC LIMIT 1`;

// The state at revision ?3 of each key in [?1, ?2): the latest row when it is not newer
// than ?3, else the key's newest row at or below ?3.
const stateAtRevision = `
FROM latest l
JOIN history h ON h.rev = CASE WHEN l.rev <= ?3 THEN l.rev
  ELSE (SELECT x.rev FROM history x WHERE ${newestAtOrBelow("x.key = l.key", "?3")}) END
WHERE l.key >= ?1 AND l.key < ?2 AND h.deleted = 0`;

/** Prepares all statements on `db`. */
export function prepareStatements(db: Database): Statements {
  return {
    // Subqueries rather than a join: the same two index lookups, but ~1 µs instead of ~5 µs
    // per call here (two calls per create: the namespace, then the key itself).
    latest: db.prepare(
      `SELECT l.rev AS rev, l.deleted AS deleted,
         (SELECT h.create_rev FROM history h WHERE h.rev = l.rev) AS create_rev,
         (SELECT h.value FROM history h WHERE h.rev = l.rev) AS value
       FROM latest l WHERE l.key = ?1`,
    ),
    insertHistory: db.prepare(
      "INSERT INTO history (rev, key, create_rev, prev_rev, deleted, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    ),
    upsertLatest: db.prepare(
      `INSERT INTO latest (key, rev, deleted) VALUES (?1, ?2, ?3)
       ON CONFLICT (key) DO UPDATE SET rev = excluded.rev, deleted = excluded.deleted`,
    ),
    getAt: db.prepare(
      `SELECT key, rev, create_rev, deleted, value FROM history x WHERE ${newestAtOrBelow("x.key = ?1", "?2")}`,
    ),
    listAt: db.prepare(
      `SELECT h.key AS key, h.rev AS rev, h.create_rev AS create_rev, h.deleted AS deleted, h.value AS value
       ${stateAtRevision} ORDER BY l.key LIMIT ?4`,
    ),
    // Counts the same keys as stateAtRevision without reading a history row for keys unchanged since ?3.
    countAt: db.prepare(
      `SELECT count(*) AS n FROM latest l WHERE l.key >= ?1 AND l.key < ?2 AND CASE WHEN l.rev <= ?3 THEN l.deleted = 0
       ELSE coalesce((SELECT x.deleted = 0 FROM history x WHERE ${newestAtOrBelow("x.key = l.key", "?3")}), 0) END`,
    ),
    countLive: db.prepare("SELECT count(*) AS n FROM latest WHERE key >= ?1 AND key < ?2 AND deleted = 0"),
    changes: db.prepare(
      `SELECT h.rev AS rev, h.key AS key, h.create_rev AS create_rev, h.deleted AS deleted, h.value AS value,
         h.prev_rev AS prev_rev, p.value AS prev_value, p.create_rev AS prev_create_rev, p.deleted AS prev_deleted
       FROM history h LEFT JOIN history p ON p.rev = h.prev_rev
       WHERE h.rev > ?1 AND h.rev <= ?2 AND h.key >= ?3 AND h.key < ?4
       ORDER BY h.rev LIMIT ?5`,
    ),
    setMeta: db.prepare("UPDATE meta SET value = ?2 WHERE name = ?1"),
    // Compaction of the revision range (?1, ?2]: every row there supersedes its predecessor,
    // and tombstones there are no longer needed at all (nor their latest entries).
    compactPredecessors: db.prepare(
      "DELETE FROM history WHERE rev IN (SELECT prev_rev FROM history WHERE rev > ?1 AND rev <= ?2 AND prev_rev > 0)",
    ),
    compactTombstoneKeys: db.prepare(
      `DELETE FROM latest WHERE deleted = 1 AND rev > ?1 AND rev <= ?2
       AND key IN (SELECT key FROM history WHERE rev > ?1 AND rev <= ?2 AND deleted = 1)`,
    ),
    compactTombstones: db.prepare("DELETE FROM history WHERE rev > ?1 AND rev <= ?2 AND deleted = 1"),
    nextRevAfter: db.prepare(
      "SELECT rev FROM history WHERE rev > ?1 AND rev <= ?2 ORDER BY rev LIMIT 1 OFFSET ?3",
    ),
  };
}

/** Finalizes all statements; a connection with live statements would stay open (and locked). */
export function finalizeStatements(statements: Statements): void {
  for (const statement of Object.values(statements) as Statement[]) statement.finalize();
}
