// The namespace controller: once a namespace is Terminating, delete everything in it, then
// remove the `kubernetes` finalizer so the namespace itself goes away.
import type { Store } from "../../store/index.ts";
import type { Catalog } from "../registry/catalog.ts";
import { listPrefix, typePrefix } from "../registry/object-store.ts";
import { decodeObject } from "../registry/stored-form.ts";
import type { ObjectWriter } from "../registry/object-writer.ts";
import { CONTROLLER_WATCH_BUFFER } from "./informer.ts";

/** A running controller. */
export interface Controller {
  stop(): void;
}

/** Starts the namespace controller over the store's watch of namespaces. */
export function startNamespaceController(store: Store, catalog: Catalog, writer: ObjectWriter, retryMs = 500): Controller {
  const namespaces = catalog.lookup("", "v1", "namespaces")!;
  const contentTypes = catalog.types.filter((t) => t.namespaced && !t.storageResource);
  const busy = new Set<string>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  let stopped = false;

  async function finalize(name: string): Promise<void> {
    if (busy.has(name) || stopped) return;
    busy.add(name);
    let remaining = 0;
    try {
      const kv = await store.get(`${typePrefix(namespaces)}${name}`);
      if (!kv) return;
      const ns = decodeObject(namespaces, kv);
      if (!ns.metadata.deletionTimestamp || !(ns.spec?.finalizers ?? []).includes("kubernetes")) return;
      for (const t of contentTypes) {
        const page = await store.list(listPrefix(t, name));
        for (const item of page.items) {
          remaining++;
          const obj = decodeObject(t, item);
          if (obj.metadata.deletionTimestamp && obj.metadata.deletionGracePeriodSeconds === 0) continue;
          await writer.delete(t, name, obj.metadata.name, { propagationPolicy: "Background" }).catch(() => {});
        }
      }
      if (remaining === 0) {
        const finalizers = (ns.spec.finalizers as string[]).filter((f) => f !== "kubernetes");
        await writer.update(namespaces, "", name, { ...ns, spec: { ...ns.spec, finalizers } }, { subresource: "finalize" });
      }
    } catch (err) {
      remaining = 1;
      if ((err as { code?: number }).code !== 404) console.error(`namespace controller: ${name}:`, (err as Error).message);
    } finally {
      busy.delete(name);
    }
    if (remaining > 0 && !stopped) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        void finalize(name);
      }, retryMs);
      timers.add(timer);
    }
  }

  const watcher = store.watch(typePrefix(namespaces), { fromRevision: 0, bufferSize: CONTROLLER_WATCH_BUFFER });
  (async () => {
    const existing = await store.list(typePrefix(namespaces));
    for (const kv of existing.items) void finalize(decodeObject(namespaces, kv).metadata.name);
    try {
      for await (const event of watcher) {
        if (event.type === "DELETED") continue;
        void finalize(decodeObject(namespaces, event.kv).metadata.name);
      }
    } catch (err) {
      if (!stopped) console.error("namespace controller watch ended:", (err as Error).message);
    }
  })();

  return {
    stop() {
      stopped = true;
      watcher.close();
      for (const timer of timers) clearTimeout(timer);
    },
  };
}
