// Typed storage errors. The API server maps them to Status reasons:
// NotFound → 404, AlreadyExists → 409, Conflict → 409, Compacted → 410 Gone,
// FutureRevision → 504 "Too large resource version", InvalidContinue → 400,
// WatcherOverflow → the watch is closed and the client re-lists.

/** Base class of every error the store throws on purpose. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The key does not exist (or is deleted). */
export class NotFoundError extends StoreError {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}

/** `create` of a key that exists. */
export class AlreadyExistsError extends StoreError {
  constructor(readonly key: string) {
    super(`key already exists: ${key}`);
  }
}

/** A compare-and-swap precondition failed: the key changed since `expectedRevision`. */
export class ConflictError extends StoreError {
  constructor(
    readonly key: string,
    readonly expectedRevision: number,
    readonly actualRevision: number,
  ) {
    super(`conflict on ${key}: expected revision ${expectedRevision}, current is ${actualRevision}`);
  }
}

/** The requested revision is older than the compacted revision: its history is gone. */
export class CompactedError extends StoreError {
  /** For a compacted continue token: a token resuming after the same key at the current revision. */
  freshContinue?: string;

  constructor(
    readonly requestedRevision: number,
    readonly compactedRevision: number,
  ) {
    super(`revision ${requestedRevision} has been compacted (oldest available is ${compactedRevision})`);
  }
}

/** The requested revision has not been written yet. */
export class FutureRevisionError extends StoreError {
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number,
  ) {
    super(`revision ${requestedRevision} is in the future (current is ${currentRevision})`);
  }
}

/** A continue token that this store did not issue, or issued for another prefix. */
export class InvalidContinueError extends StoreError {
  constructor(reason: string) {
    super(`invalid continue token: ${reason}`);
  }
}

/** A watcher whose consumer fell more than `bufferSize` events behind; it has been stopped. */
export class WatcherOverflowError extends StoreError {
  constructor(readonly bufferSize: number) {
    super(`watcher terminated: more than ${bufferSize} undelivered events`);
  }
}

/** The store has been closed. */
export class StoreClosedError extends StoreError {
  constructor() {
    super("store is closed");
  }
}
