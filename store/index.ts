// Public surface of the storage layer.
export type {
  DeleteOptions,
  DeleteResult,
  GetOptions,
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  WatchEvent,
  WatchEventType,
  WatchOptions,
  Watcher,
} from "./types.ts";
export {
  AlreadyExistsError,
  CompactedError,
  ConflictError,
  FutureRevisionError,
  InvalidContinueError,
  NotFoundError,
  StoreClosedError,
  StoreError,
  WatcherOverflowError,
} from "./errors.ts";
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from "./sqlite-store.ts";
export type { CompactionOptions } from "./sqlite-compactor.ts";
export type { SynchronousMode } from "./sqlite-schema.ts";
