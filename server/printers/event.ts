// The Event printer, shared by core/v1 and events.k8s.io events: upstream converts both to
// the internal core Event before printing, so events.k8s.io objects are mapped back first.
import { column, nameColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import { parseTimestamp, translateTimestampSince } from "./duration.ts";
import { objectName } from "./format.ts";
import type { TablePrinter } from "./types.ts";

/** Maps an events.k8s.io Event onto core/v1 field names; core events pass through unchanged. */
export function toCoreEvent(event: any): any {
  const apiVersion: string = event.apiVersion ?? "";
  const isEventsGroup =
    apiVersion.startsWith("events.k8s.io/") || (event.involvedObject === undefined && "regarding" in event);
  if (!isEventsGroup) return event;
  return {
    metadata: event.metadata,
    involvedObject: event.regarding ?? {},
    message: event.note,
    source: event.deprecatedSource ?? {},
    firstTimestamp: event.deprecatedFirstTimestamp,
    lastTimestamp: event.deprecatedLastTimestamp,
    count: event.deprecatedCount,
    eventTime: event.eventTime,
    series: event.series,
    reportingComponent: event.reportingController,
    reportingInstance: event.reportingInstance,
    type: event.type,
    reason: event.reason,
  };
}

function firstNonEmpty(...values: (string | undefined)[]): string {
  return values.find((v) => v) ?? "";
}

/** SOURCE: "component, host", falling back to the reporting controller and instance. */
export function formatEventSource(event: any): string {
  const component = firstNonEmpty(event.source?.component, event.reportingComponent);
  const instance = firstNonEmpty(event.source?.host, event.reportingInstance);
  return instance ? `${component}, ${instance}` : component;
}

function eventCells(obj: any, now: Date): unknown[] {
  const event = toCoreEvent(obj);
  let first = translateTimestampSince(event.firstTimestamp, now);
  if (parseTimestamp(event.firstTimestamp) === undefined) first = translateTimestampSince(event.eventTime, now);
  let last = translateTimestampSince(event.lastTimestamp, now);
  if (parseTimestamp(event.lastTimestamp) === undefined) last = first;

  let count: number = event.count ?? 0;
  if (event.series) {
    last = translateTimestampSince(event.series.lastObservedTime, now);
    count = event.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events of the new API carry no count.
    count = 1;
  }

  const kind = String(event.involvedObject?.kind ?? "").toLowerCase();
  const target = event.involvedObject?.name ? `${kind}/${event.involvedObject.name}` : kind;
  return [
    last,
    event.type ?? "",
    event.reason ?? "",
    target,
    event.involvedObject?.fieldPath ?? "",
    formatEventSource(event),
    String(event.message ?? "").trim(),
    first,
    count,
    objectName(event),
  ];
}

/** core/v1 and events.k8s.io events; note NAME is the last, wide column. */
export const eventPrinter: TablePrinter = {
  columns: [
    column("Last Seen", "string", docs["Event.lastTimestamp"]),
    column("Type", "string", docs["Event.type"]),
    column("Reason", "string", docs["Event.reason"]),
    column("Object", "string", docs["Event.involvedObject"]),
    wide("Subobject", docs["ObjectReference.fieldPath"]),
    wide("Source", docs["Event.source"]),
    column("Message", "string", docs["Event.message"]),
    wide("First Seen", docs["Event.firstTimestamp"]),
    wide("Count", docs["Event.count"]),
    { ...nameColumn(), priority: 1 },
  ],
  cells: eventCells,
};
