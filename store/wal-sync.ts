// Makes commits durable by syncing the WAL file on a thread-pool thread instead of inside
// COMMIT on the event loop. The connection runs with synchronous = NORMAL, which keeps
// SQLite's own syncs around checkpoints (the WAL before it is copied into the database,
// the database before the WAL is reused) and leaves each commit's to us.
import { closeSync, fdatasync, openSync } from "node:fs";

/** Calls back once everything committed so far is on disk. */
export interface CommitSync {
  /** `done` gets the error that kept the commits from being made durable, if any. */
  afterCommit(done: (error?: Error) => void): void;
  close(): void;
}

/** Syncs `walPath` (the database file's "-wal" companion) once per call. */
export class WalFileSync implements CommitSync {
  private fd: number | undefined;

  constructor(private readonly walPath: string) {}

  afterCommit(done: (error?: Error) => void): void {
    try {
      // Opened on first use: the WAL exists once something was committed. SQLite keeps the
      // file (truncating, never unlinking it) while its connection is open.
      this.fd ??= openSync(this.walPath, "r");
    } catch (error) {
      queueMicrotask(() => done(error as Error));
      return;
    }
    fdatasync(this.fd, (error) => done(error ?? undefined));
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
