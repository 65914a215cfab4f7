// Watch: newline-delimited JSON events over a chunked response, fed by the store's watch hub.
// Handles resourceVersion semantics, initial events, selectors (objects leaving a selector are
// DELETED), bookmarks, timeouts, 410 Expired as an ERROR event, and slow clients.
import type { Store, Watcher, WatchEvent } from "../../store/index.ts";
import { CompactedError } from "../../store/index.ts";
import { badRequest, resourceExpired, StatusError } from "../../api/status.ts";
import { decodeObject, listPrefix, matchesSelectors, ObjectReader, parseResourceVersion, type ListParams } from "../registry/object-store.ts";
import { apiVersionOf, type KubeObject, type ResourceType } from "../registry/resource-type.ts";
import { negotiateOutput, type Output } from "../http/negotiation.ts";
import { contentTypeFor } from "../http/respond.ts";
import { toTable, type IncludeObject } from "../table.ts";
import { includeObjectParam, intParam, listParams } from "./params.ts";

/** Tunables (tests shorten them). */
export interface WatchSettings {
  bookmarkIntervalMs: number;
  /** A client that lets this many events queue up unread is disconnected. */
  maxQueuedEvents: number;
  /** Default timeout range in seconds when the client sends no timeoutSeconds. */
  defaultTimeoutSeconds: [number, number];
}

const defaults: WatchSettings = { bookmarkIntervalMs: 60_000, maxQueuedEvents: 10_000, defaultTimeoutSeconds: [1800, 3600] };

type Line = { type: string; object: unknown };

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
    const sendInitial = query.get("sendInitialEvents");
    const bookmarks = query.get("allowWatchBookmarks") === "true";
    const timeout = intParam(query, "timeoutSeconds") ?? randomBetween(this.settings.defaultTimeoutSeconds);
    const rv = params.resourceVersion ?? "";
    if (sendInitial !== null && params.resourceVersionMatch !== "NotOlderThan") {
      throw badRequest("sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is set to NotOlderThan");
    }
    if (params.resourceVersionMatch && sendInitial === null) {
      throw badRequest("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
    }
    if (sendInitial === "true" && !bookmarks) {
      throw badRequest("allowWatchBookmarks: Required value: allowWatchBookmarks must be set to true when sendInitialEvents is true");
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
    const watcher = this.store.watch(listPrefix(t, namespace), { fromRevision, bufferSize: this.settings.maxQueuedEvents });
    const render = renderer(t, output, includeObject);
    const stream = this.stream(t, watcher, params, initial, render, { bookmarks, timeout, fromRevision, rv });
    return new Response(stream, {
      status: 200,
      headers: { "content-type": output.kind === "table" ? contentTypeFor(output) : "application/json", "cache-control": "no-cache, private" },
    });
  }

  private stream(
    t: ResourceType,
    watcher: Watcher,
    params: ListParams,
    initial: Line[],
    render: (line: Line) => string,
    opts: { bookmarks: boolean; timeout: number; fromRevision: number; rv: string },
  ): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    const settings = this.settings;
    const active = this.active;
    let lastRevision = opts.fromRevision;
    let stop = () => {};
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          let open = true;
          const timers: ReturnType<typeof setTimeout>[] = [];
          stop = () => {
            if (!open) return;
            open = false;
            for (const timer of timers) clearTimeout(timer);
            watcher.close();
            active.delete(stop);
            try {
              controller.close();
            } catch {
              // already closed by the consumer
            }
          };
          active.add(stop);
          const write = (line: Line) => {
            if (!open) return;
            controller.enqueue(encoder.encode(render(line) + "\n"));
            // A client this far behind is dropped rather than buffered without bound.
            if ((controller.desiredSize ?? 0) < -settings.maxQueuedEvents) stop();
          };
          for (const line of initial) write(line);
          if (opts.bookmarks) {
            const tick = setInterval(() => {
              lastRevision = Math.max(lastRevision, watcher.progressRevision());
              write({ type: "BOOKMARK", object: bookmarkObject(t, String(lastRevision), false) });
            }, settings.bookmarkIntervalMs);
            timers.push(tick as unknown as ReturnType<typeof setTimeout>);
          }
          if (opts.timeout > 0) timers.push(setTimeout(stop, opts.timeout * 1000));
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
        cancel: () => stop(),
      },
      new CountQueuingStrategy({ highWaterMark: 1 }),
    );
  }
}

/** Maps a store event to the event this watcher sees given its selectors. */
function transition(t: ResourceType, event: WatchEvent, params: ListParams): Line | null {
  const filtering = Boolean(params.labelSelector || params.fieldSelector);
  const current = decodeObject(t, event.kv);
  if (!filtering) return { type: event.type, object: current };
  const nowMatches = event.type !== "DELETED" && matchesSelectors(t, current, params);
  const before = event.prevKv ? decodeObject(t, event.prevKv) : undefined;
  const matchedBefore = before ? matchesSelectors(t, before, params) : false;
  if (event.type === "DELETED") return matchedBefore || matchesSelectors(t, current, params) ? { type: "DELETED", object: current } : null;
  if (nowMatches && matchedBefore) return { type: "MODIFIED", object: current };
  if (nowMatches) return { type: "ADDED", object: current };
  if (matchedBefore && before) {
    before.metadata.resourceVersion = String(event.kv.modRevision);
    return { type: "DELETED", object: before };
  }
  return null;
}

function bookmarkObject(t: ResourceType, resourceVersion: string, initialEventsEnd: boolean): KubeObject {
  const metadata: Record<string, unknown> = { resourceVersion };
  if (initialEventsEnd) metadata.annotations = { "k8s.io/initial-events-end": "true" };
  return { kind: t.kind, apiVersion: apiVersionOf(t), metadata };
}

function renderer(t: ResourceType, output: Output, includeObject: IncludeObject): (line: Line) => string {
  if (output.kind !== "table") return (line) => JSON.stringify(line);
  // As upstream, only the first Table event carries the column definitions.
  let first = true;
  return (line) => {
    if (line.type === "ERROR" || line.type === "BOOKMARK") return JSON.stringify(line);
    const obj = line.object as KubeObject;
    const table = toTable(t, [obj], { resourceVersion: obj.metadata.resourceVersion }, { version: output.version, includeObject, noHeaders: !first });
    first = false;
    return JSON.stringify({ type: line.type, object: table });
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
