// The storage contract every kapi backend implements (SQLite today, etcd later).
//
// Model: etcd's. One global revision counter that only grows; every write gets the next
// revision, which the API server exposes as `metadata.resourceVersion`. History is kept
// for a window so that reads at a past revision, paginated lists and watches can resume.

/** One key's state at a revision. `modRevision` is the revision of the write that produced it. */
export interface KeyValue {
  key: string;
  /** The stored value (JSON text of an object for kapi). */
  value: string;
  /** Revision at which the key was (last) created. */
  createRevision: number;
  /** Revision of the last write to the key. */
  modRevision: number;
}

/** Options for {@link Store.get}. */
export interface GetOptions {
  /** Read the key as it was at this revision (must not be compacted nor in the future). */
  revision?: number;
}

/**
 * Options for {@link Store.list}.
 * With `continue`, the token's snapshot revision wins and `revision` is ignored.
 */
export interface ListOptions {
  /** Maximum number of items; 0 or undefined means no limit. */
  limit?: number;
  /** Opaque token from a previous page of the same prefix. */
  continue?: string;
  /** List the state at this revision instead of the current one. */
  revision?: number;
  /** False leaves out `remainingItemCount` (a count of the rest of the range) when the caller reads every page anyway. */
  countRemaining?: boolean;
}

/** A page of a list. */
export interface ListResult {
  items: KeyValue[];
  /** The snapshot revision every page of this list reads at. */
  revision: number;
  /** Set when more items follow; pass it back as `ListOptions.continue`. */
  continue?: string;
  /** Number of items after this page, set together with `continue`. */
  remainingItemCount?: number;
}

/** Options for {@link Store.delete}. */
export interface DeleteOptions {
  /** Only delete when the key's current `modRevision` equals this. */
  expectedRevision?: number;
}

/** What {@link Store.delete} returns. */
export interface DeleteResult {
  /** The key's last state before the delete (value, createRevision, modRevision). */
  prevKv: KeyValue;
  /** The revision of the delete itself. */
  revision: number;
}

/** Kind of change a watch event reports. */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

/**
 * One change. `kv.modRevision` is the event's revision. For DELETED, `kv.value` is the
 * value the key had before the delete and `kv.modRevision` the delete's revision.
 * `prevKv` is the state before the change (absent for ADDED).
 * Events are shared between watchers: do not mutate them.
 */
export interface WatchEvent {
  type: WatchEventType;
  kv: KeyValue;
  prevKv?: KeyValue;
}

/** Options for {@link Store.watch}. */
export interface WatchOptions {
  /**
   * Deliver every change with a revision strictly greater than this one (history first,
   * then live changes). 0 or undefined means "changes after the current revision".
   */
  fromRevision?: number;
  /** Maximum number of undelivered events before the watcher is terminated. */
  bufferSize?: number;
  /**
   * A consumer waiting for the next event gets a live one at the end of the event-loop turn
   * (setImmediate) instead of at once, so the callers of the writes that made it resume first.
   * For watches served to clients, whose fan-out would otherwise delay those writes' responses;
   * not for in-process caches that a write's caller must find up to date.
   */
  wakeAfterTurn?: boolean;
}

/**
 * A running watch. Consume it with `for await (const event of watcher)`; the loop ends
 * when `close()` is called and throws a `CompactedError` (history is gone) or a
 * `WatcherOverflowError` (the consumer fell behind) when the watch is terminated.
 */
export interface Watcher extends AsyncIterableIterator<WatchEvent> {
  /** Events have revisions strictly greater than this one. */
  readonly startRevision: number;
  /**
   * Every change under the prefix up to this revision has been returned by `next()`: the
   * revision to put in a BOOKMARK. It advances with writes elsewhere too, once this
   * watcher has nothing left to deliver.
   */
  progressRevision(): number;
  /** Stops the watch; a pending or later `next()` resolves `{ done: true }`. Idempotent. */
  close(): void;
}

/**
 * A revisioned key-value store with the semantics a Kubernetes API server needs.
 *
 * Prefixes are literal: `list("/registry/pods/default")` also matches
 * `/registry/pods/default-2/x`. Callers pass a trailing slash (`/registry/pods/default/`)
 * to select one directory.
 */
export interface Store {
  /** The key's current value, or its value at `revision`; `null` when absent (or deleted). */
  get(key: string, options?: GetOptions): Promise<KeyValue | null>;
  /** Keys starting with `prefix`, sorted by key, at one snapshot revision. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Number of live keys starting with `prefix`. */
  count(prefix: string): Promise<number>;
  /** Creates the key; `AlreadyExistsError` if it exists. */
  create(key: string, value: string): Promise<KeyValue>;
  /**
   * Replaces the value when the key's current `modRevision` is `expectedRevision`;
   * `ConflictError` otherwise, `NotFoundError` if the key is absent.
   */
  update(key: string, value: string, expectedRevision: number): Promise<KeyValue>;
  /** Deletes the key; `NotFoundError` if absent, `ConflictError` if the precondition fails. */
  delete(key: string, options?: DeleteOptions): Promise<DeleteResult>;
  /** Watches keys starting with `prefix`; see {@link Watcher}. */
  watch(prefix: string, options?: WatchOptions): Watcher;
  /**
   * Calls `listener` with each committed event under `prefix`, in revision order, as the
   * commit is published: before the write's caller or any watcher hears of it. For in-process
   * caches that must never be behind what a caller can have seen. Returns a function that stops it.
   */
  observe(prefix: string, listener: (event: WatchEvent) => void): () => void;
  /** The revision of the last committed write. */
  currentRevision(): Promise<number>;
  /** The oldest revision still readable; reads and watches below it fail with `CompactedError`. */
  compactedRevision(): Promise<number>;
  /**
   * Discards history older than `revision` (state at `revision` stays readable).
   * Resolves with the compacted revision once done.
   */
  compact(revision: number): Promise<number>;
  /** Finishes pending writes, ends all watchers, releases resources. */
  close(): Promise<void>;
}
