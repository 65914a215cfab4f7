// Waiting for deleted objects to disappear, with the requests kubectl's `delete --wait` makes:
// a GET; if the object is still there, a LIST by metadata.name at resourceVersion=0, then a
// WATCH from the list's resourceVersion until a DELETED event (re-listing if the watch ends).

import { responseError } from "./errors.ts";
import type { RestClient } from "./transport.ts";

type Obj = Record<string, unknown>;

/** One object to wait for. */
export interface DeletedObject {
  /** The collection path (`/api/v1/namespaces/ns/configmaps`). */
  collectionPath: string;
  name: string;
  /** The UID the DELETE answered with; a new object under the same name does not count. */
  uid?: string;
  /** `configmaps/x`, `deployments.apps/x` for the timeout message. */
  display: string;
}

/** Resolves when every object is gone; throws kubectl's timeout error otherwise. */
export async function waitForDeletion(client: RestClient, objects: DeletedObject[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const o of objects) await waitOne(client, o, deadline);
}

async function waitOne(client: RestClient, o: DeletedObject, deadline: number): Promise<void> {
  const current = await client.request({ path: `${o.collectionPath}/${encodeURIComponent(o.name)}`, accept: "application/json" });
  const body = await current.text();
  if (current.status === 404) return;
  if (!current.ok) throw responseError(current.status, body, current.headers.get("content-type"), { verb: "GET", resource: o.display.split("/")[0], name: o.name });
  if (!sameObject(parse(body), o.uid)) return;
  const fieldSelector = `metadata.name=${o.name}`;
  const timedOut = () => new Error(`timed out waiting for the condition on ${o.display}`);
  for (;;) {
    if (Date.now() >= deadline) throw timedOut();
    const list = await client.requestJson<{ metadata?: { resourceVersion?: string }; items?: Obj[] }>({
      path: o.collectionPath,
      query: { fieldSelector, limit: 500, resourceVersion: "0" },
      accept: "application/json",
    });
    if (!(list.items ?? []).some((item) => sameObject(item, o.uid))) return;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), deadline - Date.now());
    try {
      const gone = await watchUntilDeleted(client, o, fieldSelector, list.metadata?.resourceVersion ?? "", abort.signal);
      if (gone) return;
    } catch (err) {
      if (abort.signal.aborted) throw timedOut();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }
}

// True on a DELETED event for the object; false when the server ended the watch.
async function watchUntilDeleted(client: RestClient, o: DeletedObject, fieldSelector: string, resourceVersion: string, signal: AbortSignal): Promise<boolean> {
  const res = await client.request({
    path: o.collectionPath,
    query: {
      allowWatchBookmarks: "true",
      fieldSelector,
      resourceVersion,
      timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      watch: "true",
    },
    accept: "application/json",
    signal,
  });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    return false;
  }
  let buffer = "";
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return false;
      buffer += value;
      let nl: number;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl).trim();
        buffer = buffer.slice(nl + 1);
        if (!line) continue;
        const event = parse(line) as { type?: string; object?: Obj } | undefined;
        if (event?.type === "DELETED" && sameObject(event.object, o.uid)) return true;
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

function sameObject(obj: unknown, uid: string | undefined): boolean {
  if (!obj || typeof obj !== "object") return false;
  if (!uid) return true;
  return ((obj as Obj).metadata as Obj | undefined)?.uid === uid;
}

function parse(text: string): Obj | undefined {
  try {
    return JSON.parse(text) as Obj;
  } catch {
    return undefined;
  }
}
