// The Node printer: STATUS from the Ready condition plus SchedulingDisabled, ROLES from labels.
import { ageColumn, column, nameColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import { objectAge, objectName, sortedUnique } from "./format.ts";
import type { TablePrinter } from "./types.ts";

const roleLabelPrefix = "node-role.kubernetes.io/";
const legacyRoleLabel = "kubernetes.io/role";

/** Roles from `node-role.kubernetes.io/<role>` keys and the legacy `kubernetes.io/role=<role>` label. */
export function nodeRoles(node: any): string[] {
  const roles: string[] = [];
  for (const [key, value] of Object.entries<string>(node.metadata?.labels ?? {})) {
    if (key.startsWith(roleLabelPrefix)) {
      const role = key.slice(roleLabelPrefix.length);
      if (role) roles.push(role);
    } else if (key === legacyRoleLabel && value !== "") {
      roles.push(value);
    }
  }
  return sortedUnique(roles);
}

function nodeStatus(node: any): string {
  // Only the Ready condition is reported; the last entry of a type wins, as in upstream's map.
  let readyStatus: string | undefined;
  for (const cond of node.status?.conditions ?? []) {
    if (cond?.type === "Ready") readyStatus = cond.status;
  }
  const status: string[] = [];
  if (readyStatus !== undefined) status.push(readyStatus === "True" ? "Ready" : "NotReady");
  if (status.length === 0) status.push("Unknown");
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

function nodeAddress(node: any, type: string): string {
  const found = (node.status?.addresses ?? []).find((a: any) => a?.type === type);
  return found ? (found.address ?? "") : "<none>";
}

function nodeCells(node: any, now: Date): unknown[] {
  const info = node.status?.nodeInfo ?? {};
  return [
    objectName(node),
    nodeStatus(node),
    nodeRoles(node).join(",") || "<none>",
    objectAge(node, now),
    info.kubeletVersion ?? "",
    nodeAddress(node, "InternalIP"),
    nodeAddress(node, "ExternalIP"),
    info.osImage || "<unknown>",
    info.kernelVersion || "<unknown>",
    info.containerRuntimeVersion || "<unknown>",
  ];
}

/** core/v1 nodes. */
export const nodePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Status", "string", "The status of the node"),
    column("Roles", "string", "The roles of the node"),
    ageColumn(),
    column("Version", "string", docs["NodeSystemInfo.kubeletVersion"]),
    wide("Internal-IP", docs["NodeStatus.addresses"]),
    wide("External-IP", docs["NodeStatus.addresses"]),
    wide("OS-Image", docs["NodeSystemInfo.osImage"]),
    wide("Kernel-Version", docs["NodeSystemInfo.kernelVersion"]),
    wide("Container-Runtime", docs["NodeSystemInfo.containerRuntimeVersion"]),
  ],
  cells: nodeCells,
};
