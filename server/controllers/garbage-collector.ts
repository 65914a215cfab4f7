// The garbage collector: deletes objects whose owners (metadata.ownerReferences) are gone,
// deletes dependents first for owners in foreground deletion, and orphans dependents of
// owners deleted with propagationPolicy=Orphan, then releases the owner's finalizer.
import type { KeyValue, Store } from "../../store/index.ts";
import type { Catalog } from "../registry/catalog.ts";
import { typePrefix } from "../registry/object-store.ts";
import { decodeMetadata } from "../registry/stored-form.ts";
import type { ObjectWriter } from "../registry/object-writer.ts";
import type { KubeObject, ResourceType } from "../registry/resource-type.ts";
import type { Controller } from "./namespace.ts";
import { CONTROLLER_WATCH_BUFFER } from "./informer.ts";

interface Node {
  t: ResourceType;
  namespace: string;
  name: string;
  owners: string[];
  deleting: boolean;
  finalizers: string[];
}

const initialIndexPage = 500;
/** Objects indexed at start-up past which the start-up garbage is worth a full collection. */
const collectAfterIndexing = 2_000;

/** Starts the garbage collector over a watch of every stored object. */
export function startGarbageCollector(store: Store, catalog: Catalog, writer: ObjectWriter): Controller {
  const types = catalog.types.filter((t) => !t.storageResource).map((t) => ({ t, prefix: typePrefix(t) }));
  const nodes = new Map<string, Node>();
  const dependents = new Map<string, Set<string>>();
  const queue = new Set<string>();
  let running = false;
  let stopped = false;

  const typeOf = (key: string) => types.find((entry) => key.startsWith(entry.prefix))?.t;

  function index(kv: KeyValue, deleted: boolean): string | undefined {
    const t = typeOf(kv.key);
    if (!t) return undefined;
    // Only metadata matters here (owners, finalizers, deletion), so only it is parsed.
    const metadata = decodeMetadata(t, kv);
    const uid = metadata.uid as string;
    const previous = nodes.get(uid);
    for (const owner of previous?.owners ?? []) dependents.get(owner)?.delete(uid);
    if (deleted) {
      nodes.delete(uid);
      for (const dep of dependents.get(uid) ?? []) queue.add(dep);
      return uid;
    }
    const node: Node = {
      t,
      namespace: metadata.namespace ?? "",
      name: metadata.name,
      owners: ((metadata.ownerReferences ?? []) as { uid: string }[]).map((r) => r.uid),
      deleting: Boolean(metadata.deletionTimestamp),
      finalizers: metadata.finalizers ?? [],
    };
    nodes.set(uid, node);
    for (const owner of node.owners) {
      if (!dependents.has(owner)) dependents.set(owner, new Set());
      dependents.get(owner)!.add(uid);
      if (!nodes.has(owner) || nodes.get(owner)!.deleting) queue.add(uid);
    }
    if (node.deleting && (node.finalizers.includes("foregroundDeletion") || node.finalizers.includes("orphan"))) queue.add(uid);
    return uid;
  }

  async function process(uid: string): Promise<void> {
    const node = nodes.get(uid);
    if (!node) return;
    if (node.deleting && node.finalizers.includes("orphan")) return orphanDependents(uid, node);
    if (node.deleting && node.finalizers.includes("foregroundDeletion")) return deleteDependentsFirst(uid, node);
    if (!node.owners.length) return;
    const liveOwners = node.owners.filter((o) => nodes.has(o));
    const foregroundOwner = liveOwners.some((o) => nodes.get(o)!.deleting && nodes.get(o)!.finalizers.includes("foregroundDeletion"));
    if (liveOwners.length === 0 || foregroundOwner) {
      await writer.delete(node.t, node.namespace, node.name, { propagationPolicy: "Background" }).catch(ignoreNotFound);
    }
  }

  async function orphanDependents(uid: string, node: Node): Promise<void> {
    for (const dep of [...(dependents.get(uid) ?? [])]) {
      const d = nodes.get(dep);
      if (!d) continue;
      await mutate(d, (obj) => {
        obj.metadata.ownerReferences = (obj.metadata.ownerReferences ?? []).filter((r: { uid: string }) => r.uid !== uid);
        if (!obj.metadata.ownerReferences.length) delete obj.metadata.ownerReferences;
      });
    }
    await mutate(node, (obj) => {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f: string) => f !== "orphan");
    });
  }

  async function deleteDependentsFirst(uid: string, node: Node): Promise<void> {
    const remaining = [...(dependents.get(uid) ?? [])].filter((d) => nodes.has(d));
    for (const dep of remaining) {
      const d = nodes.get(dep)!;
      if (!d.deleting) await writer.delete(d.t, d.namespace, d.name, { propagationPolicy: "Foreground" }).catch(ignoreNotFound);
    }
    if (remaining.length) return;
    await mutate(node, (obj) => {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f: string) => f !== "foregroundDeletion");
    });
  }

  async function mutate(node: Node, change: (obj: KubeObject) => void): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const current = await writer.reader.get(node.t, node.namespace, node.name);
        change(current);
        await writer.update(node.t, node.namespace, node.name, current);
        return;
      } catch (err) {
        const code = (err as { code?: number }).code;
        if (code === 404) return;
        if (code !== 409) throw err;
      }
    }
  }

  async function drain(): Promise<void> {
    if (running) return;
    running = true;
    try {
      while (queue.size && !stopped) {
        const [uid] = queue;
        queue.delete(uid);
        await process(uid).catch((err) => console.error("garbage collector:", (err as Error).message));
      }
    } finally {
      running = false;
    }
  }

  const watcher = store.watch("/registry/", { fromRevision: 0, bufferSize: CONTROLLER_WATCH_BUFFER });
  (async () => {
    // The initial index parses every object: do it after start-up, a page at a time, yielding
    // between pages. With many objects that leaves ~10x their stored size in garbage (strings,
    // decoded objects), which is collected at once rather than whenever the heap next grows.
    let indexed = 0;
    for (const { prefix } of types) {
      let token: string | undefined;
      do {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (stopped) return;
        const page = await store.list(prefix, { limit: initialIndexPage, continue: token });
        for (const kv of page.items) index(kv, false);
        indexed += page.items.length;
        token = page.continue;
      } while (token);
    }
    if (indexed >= collectAfterIndexing) Bun.gc(true);
    void drain();
    try {
      for await (const event of watcher) {
        const uid = index(event.kv, event.type === "DELETED");
        // An owner in foreground deletion finishes when its last dependent goes.
        if (event.type === "DELETED" && uid) {
          for (const [owner, deps] of dependents) if (deps.size === 0 && nodes.get(owner)?.deleting) queue.add(owner);
          for (const owner of nodes.get(uid)?.owners ?? []) queue.add(owner);
        }
        void drain();
      }
    } catch (err) {
      if (!stopped) console.error("garbage collector watch ended:", (err as Error).message);
    }
  })();

  return {
    stop() {
      stopped = true;
      watcher.close();
    },
  };
}

function ignoreNotFound(err: unknown): void {
  if ((err as { code?: number }).code !== 404) throw err;
}
