// core/v1 Event <-> events.k8s.io/v1 Event. Both APIs share one stored object, as upstream.
import type { KubeObject } from "../resource-type.ts";

const renames: [core: string, events: string][] = [
  ["involvedObject", "regarding"],
  ["message", "note"],
  ["source", "deprecatedSource"],
  ["firstTimestamp", "deprecatedFirstTimestamp"],
  ["lastTimestamp", "deprecatedLastTimestamp"],
  ["count", "deprecatedCount"],
  ["reportingComponent", "reportingController"],
];
const shared = ["metadata", "eventTime", "series", "action", "reason", "type", "related", "reportingInstance"];

/** Stored (core) shape to events.k8s.io/v1. */
export function eventFromCore(core: KubeObject): KubeObject {
  const out: KubeObject = { kind: "Event", apiVersion: "events.k8s.io/v1", metadata: core.metadata };
  for (const key of shared) if (core[key] !== undefined) out[key] = core[key];
  for (const [from, to] of renames) if (core[from] !== undefined && core[from] !== null) out[to] = core[from];
  if (out.eventTime === undefined) out.eventTime = null;
  return out;
}

/** events.k8s.io/v1 shape to the stored (core) shape. */
export function eventToCore(event: KubeObject): KubeObject {
  const out: KubeObject = { kind: "Event", apiVersion: "v1", metadata: event.metadata };
  for (const key of shared) if (event[key] !== undefined) out[key] = event[key];
  for (const [to, from] of renames) if (event[from] !== undefined && event[from] !== null) out[to] = event[from];
  return out;
}
