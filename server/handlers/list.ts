// Lists without a limit, as JSON or Table: read from the store a page at a time, every page at
// the first one's revision, and sent as they are read when there is more than one page. The
// client gets the first items while the rest are read, and however large the list the server
// holds one page of it at a time (a 10k-pod list is ~50 MB of JSON). The revision stays
// readable for the store's compaction window (5 minutes); a client still reading after that
// has its connection cut, as it would a failed read, never a shortened list.
import type { KeyValue } from "../../store/index.ts";
import { matchesSelectors, type ListParams, type ObjectReader } from "../registry/object-store.ts";
import { decodeWithoutManagedFields, pushListItem } from "../registry/stored-form.ts";
import { apiVersionOf, type ResourceType } from "../registry/resource-type.ts";
import type { Output } from "../http/negotiation.ts";
import { contentTypeFor } from "../http/respond.ts";
import { completeResponse, pulledResponse } from "../http/direct-body.ts";
import { tableJsonHead, tableRowJson } from "../table.ts";
import { includeObjectParam } from "./params.ts";

/** Entries read per store query. */
const pageSize = 256;

/** Appends the JSON of a page's entries (those passing the selectors) to `parts`, comma-separated across pages. */
type PageRenderer = (page: KeyValue[], parts: string[]) => void;

/** The response to an unlimited JSON or Table list, or undefined for other lists. */
export async function unlimitedListResponse(reader: ObjectReader, t: ResourceType, namespace: string, params: ListParams, output: Output, query: URLSearchParams): Promise<Response | undefined> {
  if (params.limit || params.continue || (output.kind !== "json" && output.kind !== "table")) return undefined;
  const pages = await reader.kvPages(t, namespace, params, pageSize);
  const meta = { resourceVersion: pages.resourceVersion };
  let head: string;
  let render: PageRenderer;
  if (output.kind === "table") {
    const opts = { version: output.version, includeObject: includeObjectParam(query) };
    head = tableJsonHead(t, opts, meta);
    render = tableRenderer(t, params, tableRowJson(t, opts));
  } else {
    head = listJsonHead(t, meta);
    render = jsonRenderer(t, params);
  }
  const init = { status: 200, headers: { "content-type": output.kind === "table" ? contentTypeFor(output) : "application/json" } };
  const first = [head];
  render(pages.first, first);
  const next = pages.next;
  if (!next) {
    first.push("]}");
    return completeResponse(first, init);
  }
  let sentFirst = false;
  let done = false;
  return pulledResponse(
    {
      async next() {
        if (!sentFirst) {
          sentFirst = true;
          return first;
        }
        // Pages whose entries all fail the selectors give no parts; an empty write could end the body.
        while (!done) {
          const page = await next();
          if (page === null) {
            done = true;
            return ["]}"];
          }
          const parts: string[] = [];
          render(page, parts);
          if (parts.length > 0) return parts;
        }
        return null;
      },
      cancel() {
        done = true;
      },
    },
    init,
  );
}

/** A list's JSON up to the opening bracket of its items; the items and `]}` follow. */
export function listJsonHead(t: ResourceType, meta: Record<string, unknown>): string {
  return `{"kind":${JSON.stringify(t.listKind)},"apiVersion":${JSON.stringify(apiVersionOf(t))},"metadata":${JSON.stringify(meta)},"items":[`;
}

function jsonRenderer(t: ResourceType, params: ListParams): PageRenderer {
  const filtering = Boolean(params.labelSelector || params.fieldSelector);
  let count = 0;
  return (page, parts) => {
    for (const kv of page) {
      // Selectors read labels and fields, never managedFields; the item itself is spliced from the stored text.
      if (filtering && !matchesSelectors(t, decodeWithoutManagedFields(t, kv), params)) continue;
      if (count++ > 0) parts.push(",");
      pushListItem(t, kv, parts);
    }
  };
}

function tableRenderer(t: ResourceType, params: ListParams, toRow: ReturnType<typeof tableRowJson>): PageRenderer {
  const filtering = Boolean(params.labelSelector || params.fieldSelector);
  let count = 0;
  return (page, parts) => {
    for (const kv of page) {
      // Unfiltered rows decode their object only when their cells are not kept (see table-cells.ts).
      const obj = filtering ? decodeWithoutManagedFields(t, kv) : undefined;
      if (obj && !matchesSelectors(t, obj, params)) continue;
      if (count++ > 0) parts.push(",");
      toRow(obj, kv, parts);
    }
  };
}
