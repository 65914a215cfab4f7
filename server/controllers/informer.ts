// List-then-watch caches, as client-go's shared informers keep. One cache per (store, type)
// is shared by every controller that watches the type, so each change is decoded and held
// once; each controller gets its own handler, filter and index over it. The cache is updated
// before handlers run; when the watch breaks (compaction, a slow consumer) the cache lists
// again and reports the difference, so handlers never miss a final state.
import type { Store, Watcher } from "../../store/index.ts";
import { typePrefix } from "../registry/object-store.ts";
import { decodeWithoutManagedFields } from "../registry/stored-form.ts";
import type { KubeObject, ResourceType } from "../registry/resource-type.ts";

/**
 * How far an in-process controller's watch may fall behind before the store drops it. Far
 * above the store's default, which is meant for remote clients: a burst of writes must not
 * end a controller's watch.
 */
export const CONTROLLER_WATCH_BUFFER = 1_000_000;

/** The kind of change a handler is told about. */
export type InformerEvent = "ADDED" | "MODIFIED" | "DELETED";

/** Called after the cache has taken the change; must not block (enqueue work instead). */
export type InformerHandler = (event: InformerEvent, obj: KubeObject, old?: KubeObject) => void;

/** Options of one controller's view. */
export interface InformerOptions {
  /** Keys of a secondary index (e.g. the controller owner's uid); look up with `byIndex`. */
  index?: (obj: KubeObject) => string[];
  /** Only objects this returns true for reach the handler (an object leaving it is DELETED). */
  filter?: (obj: KubeObject) => boolean;
}

/** One controller's view of a shared cache. */
export interface Informer {
  get(namespace: string, name: string): KubeObject | undefined;
  /** Every cached object, or those of one namespace. */
  list(namespace?: string): KubeObject[];
  /** Objects whose index function returned `key`. */
  byIndex(key: string): KubeObject[];
  /** Resolves after the first list has reached the handler. */
  synced: Promise<void>;
  stop(): void;
}

interface View {
  deliver(event: InformerEvent, key: string, obj: KubeObject, old?: KubeObject): void;
}

interface Shared {
  cache: Map<string, KubeObject>;
  views: Set<View>;
  synced: boolean;
  onSynced: Set<() => void>;
  stop(): void;
}

const relistDelayMs = 200;
const shared = new WeakMap<Store, Map<string, Shared>>();
const keyOf = (obj: KubeObject) => `${obj.metadata.namespace ?? ""}/${obj.metadata.name}`;

/**
 * Starts (or joins) the shared cache of `t` with a handler of its own. Joining a cache that
 * has already listed replays its objects as ADDED before this returns.
 */
export function startInformer(store: Store, t: ResourceType, handler: InformerHandler, options: InformerOptions = {}): Informer {
  const core = sharedCache(store, t);
  const passed = new Set<string>();
  const indexed = new Map<string, Map<string, KubeObject>>();
  const reindex = (key: string, obj: KubeObject | undefined, old: KubeObject | undefined) => {
    if (!options.index) return;
    for (const k of old ? options.index(old) : []) indexed.get(k)?.delete(key);
    for (const k of obj ? options.index(obj) : []) {
      let bucket = indexed.get(k);
      if (!bucket) indexed.set(k, (bucket = new Map()));
      bucket.set(key, obj!);
    }
  };
  const view: View = {
    deliver(event, key, obj, old) {
      const keep = event !== "DELETED" && (!options.filter || options.filter(obj));
      const had = passed.has(key);
      reindex(key, keep ? obj : undefined, had ? old : undefined);
      if (keep) {
        passed.add(key);
        handler(had ? "MODIFIED" : "ADDED", obj, had ? old : undefined);
      } else if (had) {
        passed.delete(key);
        handler("DELETED", obj, old);
      }
    },
  };
  core.views.add(view);
  for (const [key, obj] of core.cache) view.deliver("ADDED", key, obj);
  const synced = core.synced ? Promise.resolve() : new Promise<void>((resolve) => core.onSynced.add(resolve));
  const visible = (obj: KubeObject) => !options.filter || options.filter(obj);
  return {
    get(namespace, name) {
      const obj = core.cache.get(`${namespace}/${name}`);
      return obj && visible(obj) ? obj : undefined;
    },
    list(namespace) {
      const all = [...core.cache.values()].filter(visible);
      return namespace === undefined ? all : all.filter((o) => (o.metadata.namespace ?? "") === namespace);
    },
    byIndex: (key) => [...(indexed.get(key)?.values() ?? [])],
    synced,
    stop() {
      core.views.delete(view);
      if (!core.views.size) core.stop();
    },
  };
}

function sharedCache(store: Store, t: ResourceType): Shared {
  let byPrefix = shared.get(store);
  if (!byPrefix) shared.set(store, (byPrefix = new Map()));
  const prefix = typePrefix(t);
  const existing = byPrefix.get(prefix);
  if (existing) return existing;
  let watcher: Watcher | undefined;
  let stopped = false;
  const core: Shared = {
    cache: new Map(),
    views: new Set(),
    synced: false,
    onSynced: new Set(),
    stop() {
      stopped = true;
      watcher?.close();
      byPrefix!.delete(prefix);
      for (const resolve of core.onSynced) resolve();
    },
  };
  byPrefix.set(prefix, core);

  function apply(event: InformerEvent, obj: KubeObject): void {
    const key = keyOf(obj);
    const old = core.cache.get(key);
    if (event === "DELETED") core.cache.delete(key);
    else core.cache.set(key, obj);
    if (event === "DELETED" && !old) return;
    for (const view of [...core.views]) view.deliver(event === "DELETED" ? "DELETED" : old ? "MODIFIED" : "ADDED", key, obj, old);
  }

  async function listAndWatch(): Promise<void> {
    while (!stopped) {
      try {
        const page = await store.list(prefix);
        const seen = new Set<string>();
        for (const kv of page.items) {
          const obj = decodeWithoutManagedFields(t, kv);
          seen.add(keyOf(obj));
          apply("MODIFIED", obj);
        }
        for (const [key, obj] of [...core.cache]) if (!seen.has(key)) apply("DELETED", obj);
        core.synced = true;
        for (const resolve of core.onSynced) resolve();
        core.onSynced.clear();
        watcher = store.watch(prefix, { fromRevision: page.revision, bufferSize: CONTROLLER_WATCH_BUFFER });
        if (stopped) watcher.close();
        for await (const event of watcher) apply(event.type, decodeWithoutManagedFields(t, event.kv));
      } catch (err) {
        if (stopped || (err as Error).name === "StoreClosedError") return;
        console.error(`informer ${t.resource}: watch ended, listing again:`, (err as Error).message);
      }
      if (!stopped) await new Promise((resolve) => setTimeout(resolve, relistDelayMs));
    }
  }
  void listAndWatch();
  return core;
}

/** The uid of an object's controller owner, as an index key (empty list when none). */
export function controllerUidIndex(obj: KubeObject): string[] {
  const ref = (obj.metadata.ownerReferences ?? []).find((r: { controller?: boolean }) => r.controller);
  return ref ? [ref.uid] : [];
}
