// Watch: newline-delimited JSON events over a chunked response, fed by the store's watch hub.
// Handles resourceVersion semantics, initial events, selectors (objects leaving a selector are
// DELETED), bookmarks, timeouts, 410 Expired as an ERROR event, and slow clients.
import type { Store, Watcher, WatchEvent } from "../../store/index.ts";
import { CompactedError } from "../../store/index.ts";
import { badRequest, resourceExpired, StatusError } from "../../api/status.ts";
import { listPrefix, matchesSelectors, ObjectReader, parseResourceVersion, type ListParams } from "../registry/object-store.ts";
import { decodeObject } from "../registry/stored-form.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "../registry/resource-type.ts";
import { negotiateOutput, type Output } from "../http/negotiation.ts";
import { contentTypeFor } from "../http/respond.ts";
import { pushResponse, type PushBody, type PushSink } from "../http/direct-body.ts";
import { toTable, type IncludeObject } from "../table.ts";
import { includeObjectParam, intParam, invalidOptions, listParams } from "./params.ts";
import { queryBool } from "../request-info.ts";

/** Tunables (tests shorten them). */
export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** A client that lets this many events queue up unread is disconnected. */
  maxQueuedEvents: number;
  /** Default timeout range in seconds when the client sends no timeoutSeconds. */
  defaultTimeoutSeconds: [number, number];
}

const defaults: WatchSettings = { bookmarkIntervalMs: 60_000, maxQueuedEvents: 10_000, defaultTimeoutSeconds: [1800, 3600] };

type Line = { type: string; object: unknown; shared?: boolean };

// Store events are shared by every watcher of a prefix: decode and render each one once
// per type and representation instead of once per watcher.
const decodedEvents = new WeakMap<object, Map<ResourceType, KubeObject>>();
const renderedLines = new WeakMap<object, Map<string, Uint8Array>>();

function decodeShared(t: ResourceType, kv: WatchEvent["kv"]): KubeObject {
  let byType = decodedEvents.get(kv);
  if (!byType) decodedEvents.set(kv, (byType = new Map()));
  let obj = byType.get(t);
  if (!obj) byType.set(t, (obj = decodeObject(t, kv)));
  return obj;
}

const encoder = new TextEncoder();

/** Serves watch requests and ends them all on shutdown. */
export class WatchHub {
  private readonly active = new Set<() => void>();
  private readonly reader: ObjectReader;
  readonly settings: WatchSettings;

  constructor(private readonly store: Store, settings: Partial<WatchSettings> = {}) {
    this.reader = new ObjectReader(store);
    this.settings = { ...defaults, ...settings };
  }

  /** Number of open watch streams. */
  get size(): number {
    return this.active.size;
  }

  /** Ends every open watch stream (server shutdown). */
  closeAll(): void {
    for (const stop of [...this.active]) stop();
  }

  /** Starts a watch and returns the streaming response. */
  async serve(t: ResourceType, namespace: string, request: Request, query: URLSearchParams): Promise<Response> {
    const output = negotiateOutput(request.headers.get("accept"), { allowTable: true });
    const params = listParams(t, query);
    const includeObject = includeObjectParam(query);
    const sendInitialRaw = query.get("sendInitialEvents");
    const sendInitial = sendInitialRaw === null ? null : queryBool(query, "sendInitialEvents") ? "true" : "false";
    const bookmarks = queryBool(query, "allowWatchBookmarks");
    const timeout = intParam(query, "timeoutSeconds") ?? randomBetween(this.settings.defaultTimeoutSeconds);
    const rv = params.resourceVersion ?? "";
    const forbid = (field: string, detail: string) => invalidOptions("ListOptions", { type: "FieldValueForbidden", field, detail });
    if (sendInitial !== null && params.resourceVersionMatch !== "NotOlderThan") {
      throw forbid("resourceVersionMatch", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan");
    }
    if (params.resourceVersionMatch && sendInitial === null) {
      throw forbid("resourceVersionMatch", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
    }
    if (sendInitial === "true" && !bookmarks) {
      throw forbid("allowWatchBookmarks", "allowWatchBookmarks required when sendInitialEvents is true");
    }
    const initial: Line[] = [];
    let fromRevision: number;
    const wantsInitial = sendInitial === "true" || (sendInitial === null && (rv === "" || rv === "0"));
    if (wantsInitial) {
      const selection: ListParams = { labelSelector: params.labelSelector, fieldSelector: params.fieldSelector };
      const list = await this.reader.list(t, namespace, selection);
      for (const obj of list.items) initial.push({ type: "ADDED", object: obj });
      fromRevision = Number(list.resourceVersion);
      if (sendInitial === "true") {
        initial.push({ type: "BOOKMARK", object: bookmarkObject(t, String(fromRevision), true) });
      }
    } else {
      fromRevision = rv === "" || rv === "0" ? await this.store.currentRevision() : parseResourceVersion(rv);
    }
    // Woken at the end of the turn: a write's response goes out before its fan-out to every
    // watcher, which with 1,000 of them took ~25 ms on the bench machine.
    const watcher = this.store.watch(listPrefix(t, namespace), { fromRevision, bufferSize: this.settings.maxQueuedEvents, wakeAfterTurn: true });
    const render = renderer(t, output, includeObject);
    const body = this.events(t, watcher, params, initial, render, { bookmarks, timeout, fromRevision, rv });
    return pushResponse(body, {
      status: 200,
      headers: { "content-type": output.kind === "table" ? contentTypeFor(output) : "application/json", "cache-control": "no-cache, private" },
    });
  }

  /** The watch's event stream; it is registered (and closable) at once and produces once attached. */
  private events(
    t: ResourceType,
    watcher: Watcher,
    params: ListParams,
    initial: Line[],
    render: Renderer,
    opts: { bookmarks: boolean; timeout: number; fromRevision: number; rv: string },
  ): PushBody {
    const settings = this.settings;
    const active = this.active;
    let lastRevision = opts.fromRevision;
    let open = true;
    let sink: PushSink | undefined;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const stop = (clientBehind = false) => {
      if (!open) return;
      open = false;
      for (const timer of timers) clearTimeout(timer);
      watcher.close();
      active.delete(stop);
      if (clientBehind) sink?.drop();
      else sink?.end();
    };
    active.add(stop);
    const write = (line: Line) => {
      if (!open || !sink) return;
      sink.write(encodeLine(line, render));
      // A client this far behind is dropped rather than buffered without bound.
      if (sink.backlog() > settings.maxQueuedEvents) stop(true);
    };
    return {
      cancel: () => stop(),
      attach(attached) {
        if (sink || !open) return attached.end();
        sink = attached;
        for (const line of initial) write(line);
        if (opts.bookmarks) {
          const tick = setInterval(() => {
            lastRevision = Math.max(lastRevision, watcher.progressRevision());
            write({ type: "BOOKMARK", object: bookmarkObject(t, String(lastRevision), false) });
          }, settings.bookmarkIntervalMs);
          timers.push(tick as unknown as ReturnType<typeof setTimeout>);
        }
        if (opts.timeout > 0) timers.push(setTimeout(() => stop(), opts.timeout * 1000));
        (async () => {
          try {
            for await (const event of watcher) {
              if (!open) break;
              lastRevision = event.kv.modRevision;
              const line = transition(t, event, params);
              if (line) write(line);
            }
          } catch (err) {
            write({ type: "ERROR", object: watchError(err, opts.rv).status });
          }
          stop();
        })();
      },
    };
  }
}

/** Maps a store event to the event this watcher sees given its selectors. */
function transition(t: ResourceType, event: WatchEvent, params: ListParams): Line | null {
  const filtering = Boolean(params.labelSelector || params.fieldSelector);
  const current = decodeShared(t, event.kv);
  if (!filtering) return { type: event.type, object: current, shared: true };
  const nowMatches = event.type !== "DELETED" && matchesSelectors(t, current, params);
  const before = event.prevKv ? decodeShared(t, event.prevKv) : undefined;
  const matchedBefore = before ? matchesSelectors(t, before, params) : false;
  if (event.type === "DELETED") return matchedBefore || matchesSelectors(t, current, params) ? { type: "DELETED", object: current, shared: true } : null;
  if (nowMatches && matchedBefore) return { type: "MODIFIED", object: current, shared: true };
  if (nowMatches) return { type: "ADDED", object: current, shared: true };
  if (matchedBefore && before) {
    // The previous state, stamped with the revision at which it stopped matching.
    const leaving = { ...before, metadata: { ...before.metadata, resourceVersion: String(event.kv.modRevision) } };
    return { type: "DELETED", object: leaving };
  }
  return null;
}

/** One line of output; lines about shared store objects are encoded once for all watchers. */
function encodeLine(line: Line, renderer: Renderer): Uint8Array {
  const key = line.shared ? renderer.key(line) : undefined;
  if (!key) return encoder.encode(renderer.render(line) + "\n");
  let byKey = renderedLines.get(line.object as object);
  if (!byKey) renderedLines.set(line.object as object, (byKey = new Map()));
  let bytes = byKey.get(key);
  if (bytes) renderer.skip(line);
  else {
    bytes = encoder.encode(renderer.render(line) + "\n");
    byKey.set(key, bytes);
  }
  return bytes;
}

/** Renders lines for one watcher; `key` names the representation so lines can be shared. */
interface Renderer {
  render(line: Line): string;
  key(line: Line): string;
  /** Advances per-watcher state when a cached rendering is used instead of render(). */
  skip(line: Line): void;
}

function bookmarkObject(t: ResourceType, resourceVersion: string, initialEventsEnd: boolean): KubeObject {
  const metadata: Record<string, unknown> = { resourceVersion };
  if (initialEventsEnd) metadata.annotations = { "k8s.io/initial-events-end": "true" };
  return { kind: t.kind, apiVersion: apiVersionOf(t), metadata };
}

function renderer(t: ResourceType, output: Output, includeObject: IncludeObject): Renderer {
  if (output.kind !== "table") {
    return { render: (line) => JSON.stringify({ type: line.type, object: line.object }), key: (line) => `${line.type}|json`, skip: () => {} };
  }
  // As upstream, only the first Table event carries the column definitions.
  let first = true;
  const isObjectLine = (line: Line) => line.type !== "ERROR" && line.type !== "BOOKMARK";
  return {
    render(line) {
      if (!isObjectLine(line)) return JSON.stringify(line);
      const obj = line.object as KubeObject;
      const table = toTable(t, [obj], { resourceVersion: obj.metadata.resourceVersion }, { version: output.version, includeObject, noHeaders: !first });
      first = false;
      return JSON.stringify({ type: line.type, object: table });
    },
    key: (line) => `${line.type}|table|${output.version}|${includeObject}|${first}`,
    skip(line) {
      if (isObjectLine(line)) first = false;
    },
  };
}

function watchError(err: unknown, rv: string): StatusError {
  if (err instanceof CompactedError) return resourceExpired(`too old resource version: ${rv || err.requestedRevision} (${err.compactedRevision})`);
  if (err instanceof StatusError) return err;
  return new StatusError(410, "Expired", "watch closed: the client fell too far behind; list again");
}

function randomBetween([min, max]: [number, number]): number {
  return Math.floor(min + Math.random() * (max - min));
}
