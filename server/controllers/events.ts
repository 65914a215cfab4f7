// core/v1 Events for what the built-in components do. A recorder aggregates repeats of the
// same event (same source, object, type, reason and message) into one Event whose count and
// lastTimestamp grow, as client-go's event logger does. Events expire an hour after their
// last update, as kube-apiserver's --event-ttl does.
import type { Catalog } from "../registry/catalog.ts";
import { nowTimestamp } from "../registry/object-meta.ts";
import { typePrefix } from "../registry/object-store.ts";
import { decodeObject } from "../registry/stored-form.ts";
import type { ObjectWriter } from "../registry/object-writer.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import type { Store } from "../../store/index.ts";
import type { Controller } from "./namespace.ts";

/** Who reports an event (source.component, source.host). */
export interface EventSource {
  component: string;
  host?: string;
}

/** Normal or Warning. */
export type EventType = "Normal" | "Warning";

/** Details of one event. */
export interface RecordOptions {
  /** The part of the object concerned, e.g. `spec.containers{web}`. */
  fieldPath?: string;
  /** When it happened (ms since the epoch; default now), e.g. captured before a write. */
  time?: number;
}

/** Records Events about objects; writes happen in the background. */
export interface EventRecorder {
  /** Records an event about `obj`. */
  record(obj: KubeObject, type: EventType, reason: string, message: string, options?: RecordOptions): void;
  /** Resolves once every event recorded so far is written (or failed). */
  flush(): Promise<void>;
}

interface Seen {
  namespace: string;
  name: string;
  count: number;
}

const cacheSize = 4096;
const maxConcurrentWrites = 16;
let sequence = 0;

/** A recorder for one component. */
export function createEventRecorder(catalog: Catalog, writer: ObjectWriter, source: EventSource): EventRecorder {
  const events = catalog.lookup("", "v1", "events")!;
  const seen = new Map<string, Seen>();
  const chains = new Map<string, Promise<void>>();
  const waiting: (() => void)[] = [];
  let writing = 0;

  async function slot(): Promise<void> {
    if (writing < maxConcurrentWrites) {
      writing++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else writing--;
  }

  async function write(key: string, event: KubeObject): Promise<void> {
    await slot();
    try {
      const previous = seen.get(key);
      if (previous) {
        try {
          const stored = await writer.reader.get(events, previous.namespace, previous.name);
          previous.count = (stored.count ?? previous.count) + 1;
          stored.count = previous.count;
          stored.lastTimestamp = event.lastTimestamp;
          await writer.update(events, previous.namespace, previous.name, stored);
          return;
        } catch (err) {
          if ((err as { code?: number }).code !== 404) throw err;
        }
      }
      const created = await writer.create(events, event.metadata.namespace, event);
      remember(key, { namespace: created.metadata.namespace, name: created.metadata.name, count: 1 });
    } catch (err) {
      // Namespaces being deleted refuse new events; anything else is worth a line in the log.
      const code = (err as { code?: number }).code;
      if (code !== 403 && code !== 404) console.error(`event ${event.reason} for ${event.involvedObject.name}:`, (err as Error).message);
    } finally {
      release();
    }
  }

  function remember(key: string, entry: Seen): void {
    seen.delete(key);
    seen.set(key, entry);
    if (seen.size > cacheSize) seen.delete(seen.keys().next().value as string);
  }

  return {
    record(obj, type, reason, message, options = {}) {
      const event = buildEvent(obj, source, type, reason, message, options);
      const ref = event.involvedObject;
      const key = [source.component, source.host, ref.kind, ref.namespace, ref.name, ref.uid, ref.fieldPath, type, reason, message].join("\u0000");
      const next = (chains.get(key) ?? Promise.resolve()).then(() => write(key, event));
      chains.set(key, next);
      void next.finally(() => {
        if (chains.get(key) === next) chains.delete(key);
      });
    },
    async flush() {
      while (chains.size) await Promise.all([...chains.values()]);
    },
  };
}

/** A new core/v1 Event about `obj`. */
export function buildEvent(obj: KubeObject, source: EventSource, type: EventType, reason: string, message: string, options: RecordOptions = {}): KubeObject {
  const { fieldPath, time = Date.now() } = options;
  const meta = obj.metadata;
  const now = nowTimestamp(new Date(time));
  const involvedObject: Record<string, string> = { kind: obj.kind ?? "", name: meta.name, uid: meta.uid, apiVersion: obj.apiVersion ?? "" };
  if (meta.namespace) involvedObject.namespace = meta.namespace;
  if (meta.resourceVersion) involvedObject.resourceVersion = meta.resourceVersion;
  if (fieldPath) involvedObject.fieldPath = fieldPath;
  // Upstream names events <object>.<unix nanoseconds in hex>; the sequence keeps them unique.
  const stamp = (BigInt(time) * 1_000_000n + BigInt(sequence++ % 1_000_000)).toString(16);
  return {
    metadata: { name: `${meta.name}.${stamp}`, namespace: meta.namespace || "default" },
    involvedObject,
    reason,
    message,
    source: source.host ? { component: source.component, host: source.host } : { component: source.component },
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
    type,
    eventTime: null,
    reportingComponent: source.component,
    reportingInstance: source.host ?? "",
  };
}

/** Options of the event TTL controller. */
export interface EventTtlOptions {
  ttlMs?: number;
  intervalMs?: number;
}

/** Deletes events whose last update is older than the TTL (1 h by default). */
export function startEventTtlController(store: Store, catalog: Catalog, writer: ObjectWriter, options: EventTtlOptions = {}): Controller {
  const events = catalog.lookup("", "v1", "events")!;
  const ttlMs = options.ttlMs ?? 3_600_000;
  let running = false;

  async function sweep(): Promise<void> {
    if (running) return;
    running = true;
    try {
      const cutoff = Date.now() - ttlMs;
      for (const kv of (await store.list(typePrefix(events))).items) {
        const event = decodeObject(events, kv);
        if (lastUpdate(event) >= cutoff) continue;
        await writer.delete(events, event.metadata.namespace, event.metadata.name).catch(() => {});
      }
    } catch (err) {
      if ((err as Error).name !== "StoreClosedError") console.error("event ttl:", (err as Error).message);
    } finally {
      running = false;
    }
  }

  const timer = setInterval(() => void sweep(), options.intervalMs ?? 60_000);
  return { stop: () => clearInterval(timer) };
}

function lastUpdate(event: KubeObject): number {
  const times = [event.lastTimestamp, event.series?.lastObservedTime, event.eventTime, event.metadata.creationTimestamp];
  return Math.max(...times.map((t) => (t ? Date.parse(t) : 0)).filter((t) => !Number.isNaN(t)));
}
