// Smaller groups: coordination.k8s.io leases and events.k8s.io events.
import type { ResourceType } from "../resource-type.ts";
import { eventFromCore, eventToCore } from "../strategies/event-conversion.ts";

/** coordination.k8s.io and events.k8s.io types. */
export const miscTypes: ResourceType[] = [
  {
    group: "coordination.k8s.io",
    version: "v1",
    kind: "Lease",
    listKind: "LeaseList",
    resource: "leases",
    singular: "lease",
    namespaced: true,
    subresources: [],
  },
  {
    group: "events.k8s.io",
    version: "v1",
    kind: "Event",
    listKind: "EventList",
    resource: "events",
    singular: "event",
    namespaced: true,
    shortNames: ["ev"],
    subresources: [],
    storageResource: "events",
    allowCreateOnUpdate: true,
    fromStorage: eventFromCore,
    toStorage: eventToCore,
  },
];
