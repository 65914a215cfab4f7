// Printers for apps/v1: deployments, replica sets, stateful sets, daemon sets and
// controller revisions.
import { ageColumn, column, containerColumns, nameColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import {
  formatLabelSelector,
  formatLabels,
  labelSelectorString,
  layoutContainerCells,
  objectAge,
  objectName,
} from "./format.ts";
import type { TablePrinter } from "./types.ts";

function templateContainers(obj: any): [string, string] {
  return layoutContainerCells(obj.spec?.template?.spec?.containers);
}

function deploymentCells(d: any, now: Date): unknown[] {
  const [names, images] = templateContainers(d);
  const selector = labelSelectorString(d.spec?.selector);
  return [
    objectName(d),
    `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 1}`,
    d.status?.updatedReplicas ?? 0,
    d.status?.availableReplicas ?? 0,
    objectAge(d, now),
    names,
    images,
    selector ?? "<invalid>",
  ];
}

function replicaSetCells(rs: any, now: Date): unknown[] {
  const [names, images] = templateContainers(rs);
  return [
    objectName(rs),
    rs.spec?.replicas ?? 1,
    rs.status?.replicas ?? 0,
    rs.status?.readyReplicas ?? 0,
    objectAge(rs, now),
    names,
    images,
    formatLabelSelector(rs.spec?.selector),
  ];
}

function statefulSetCells(sts: any, now: Date): unknown[] {
  const [names, images] = templateContainers(sts);
  return [objectName(sts), `${sts.status?.readyReplicas ?? 0}/${sts.spec?.replicas ?? 1}`, objectAge(sts, now), names, images];
}

function daemonSetCells(ds: any, now: Date): unknown[] {
  const [names, images] = templateContainers(ds);
  const status = ds.status ?? {};
  return [
    objectName(ds),
    status.desiredNumberScheduled ?? 0,
    status.currentNumberScheduled ?? 0,
    status.numberReady ?? 0,
    status.updatedNumberScheduled ?? 0,
    status.numberAvailable ?? 0,
    formatLabels(ds.spec?.template?.spec?.nodeSelector),
    objectAge(ds, now),
    names,
    images,
    formatLabelSelector(ds.spec?.selector),
  ];
}

// "kind.group/name" of the controlling owner, lower-cased, as formatResourceName writes it.
function controllerName(obj: any): string {
  const ref = (obj.metadata?.ownerReferences ?? []).find((r: any) => r?.controller === true);
  if (!ref) return "<none>";
  const apiVersion: string = ref.apiVersion ?? "";
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const kind: string = ref.kind ?? "";
  if (!kind && !group) return ref.name ?? "";
  return `${(group ? `${kind}.${group}` : kind).toLowerCase()}/${ref.name ?? ""}`;
}

function controllerRevisionCells(cr: any, now: Date): unknown[] {
  return [objectName(cr), controllerName(cr), cr.revision ?? 0, objectAge(cr, now)];
}

/** apps/v1 deployments. */
export const deploymentPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Ready", "string", "Number of the pod with ready state"),
    column("Up-to-date", "string", docs["DeploymentStatus.updatedReplicas"]),
    column("Available", "string", docs["DeploymentStatus.availableReplicas"]),
    ageColumn(),
    ...containerColumns(),
    wide("Selector", docs["DeploymentSpec.selector"]),
  ],
  cells: deploymentCells,
};

/** apps/v1 replicasets. */
export const replicaSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Desired", "integer", docs["ReplicaSetSpec.replicas"]),
    column("Current", "integer", docs["ReplicaSetStatus.replicas"]),
    column("Ready", "integer", docs["ReplicaSetStatus.readyReplicas"]),
    ageColumn(),
    ...containerColumns(),
    wide("Selector", docs["ReplicaSetSpec.selector"]),
  ],
  cells: replicaSetCells,
};

/** apps/v1 statefulsets. */
export const statefulSetPrinter: TablePrinter = {
  columns: [nameColumn(), column("Ready", "string", "Number of the pod with ready state"), ageColumn(), ...containerColumns()],
  cells: statefulSetCells,
};

/** apps/v1 daemonsets. */
export const daemonSetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Desired", "integer", docs["DaemonSetStatus.desiredNumberScheduled"]),
    column("Current", "integer", docs["DaemonSetStatus.currentNumberScheduled"]),
    column("Ready", "integer", docs["DaemonSetStatus.numberReady"]),
    column("Up-to-date", "integer", docs["DaemonSetStatus.updatedNumberScheduled"]),
    column("Available", "integer", docs["DaemonSetStatus.numberAvailable"]),
    column("Node Selector", "string", docs["PodSpec.nodeSelector"]),
    ageColumn(),
    ...containerColumns(),
    wide("Selector", docs["DaemonSetSpec.selector"]),
  ],
  cells: daemonSetCells,
};

/** apps/v1 controllerrevisions. */
export const controllerRevisionPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Controller", "string", "Controller of the object"),
    column("Revision", "string", docs["ControllerRevision.revision"]),
    ageColumn(),
  ],
  cells: controllerRevisionCells,
};
