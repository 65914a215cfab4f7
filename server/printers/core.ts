// Printers for the simpler core/v1 kinds: namespaces, config maps, secrets, service accounts,
// pod templates, replication controllers, component statuses and resource quotas.
import { ageColumn, column, containerColumns, nameColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import {
  countItems,
  countKeys,
  formatLabels,
  layoutContainerCells,
  objectAge,
  objectName,
  quantityString,
} from "./format.ts";
import type { TablePrinter } from "./types.ts";

function namespaceCells(ns: any, now: Date): unknown[] {
  return [objectName(ns), ns.status?.phase ?? "", objectAge(ns, now)];
}

function configMapCells(cm: any, now: Date): unknown[] {
  return [objectName(cm), countKeys(cm.data) + countKeys(cm.binaryData), objectAge(cm, now)];
}

function secretCells(secret: any, now: Date): unknown[] {
  return [objectName(secret), secret.type ?? "", countKeys(secret.data), objectAge(secret, now)];
}

function serviceAccountCells(sa: any, now: Date): unknown[] {
  return [objectName(sa), countItems(sa.secrets), objectAge(sa, now)];
}

function podTemplateCells(pt: any): unknown[] {
  const [names, images] = layoutContainerCells(pt.template?.spec?.containers);
  return [objectName(pt), names, images, formatLabels(pt.template?.metadata?.labels)];
}

function replicationControllerCells(rc: any, now: Date): unknown[] {
  const [names, images] = layoutContainerCells(rc.spec?.template?.spec?.containers);
  return [
    objectName(rc),
    rc.spec?.replicas ?? 1,
    rc.status?.replicas ?? 0,
    rc.status?.readyReplicas ?? 0,
    objectAge(rc, now),
    names,
    images,
    formatLabels(rc.spec?.selector),
  ];
}

function componentStatusCells(cs: any): unknown[] {
  const healthy = (cs.conditions ?? []).find((c: any) => c?.type === "Healthy");
  if (!healthy) return [objectName(cs), "Unknown", "", ""];
  const status = healthy.status === "True" ? "Healthy" : "Unhealthy";
  return [objectName(cs), status, healthy.message ?? "", healthy.error ?? ""];
}

function resourceQuotaCells(quota: any, now: Date): unknown[] {
  const hard: Record<string, unknown> = quota.status?.hard ?? {};
  const used: Record<string, unknown> = quota.status?.used ?? {};
  const requests: string[] = [];
  const limits: string[] = [];
  for (const resource of Object.keys(hard).sort()) {
    const pieces = resource.split(".");
    const target = pieces.length > 1 && pieces[0] === "limits" ? limits : requests;
    target.push(`${resource}: ${quantityString(used[resource])}/${quantityString(hard[resource])}`);
  }
  return [objectName(quota), requests.join(", "), limits.join(", "), objectAge(quota, now)];
}

/** core/v1 namespaces. */
export const namespacePrinter: TablePrinter = {
  columns: [nameColumn(), column("Status", "string", "The status of the namespace"), ageColumn()],
  cells: namespaceCells,
};

/** core/v1 configmaps: DATA counts data and binaryData keys. */
export const configMapPrinter: TablePrinter = {
  columns: [nameColumn(), column("Data", "string", docs["ConfigMap.data"]), ageColumn()],
  cells: configMapCells,
};

/** core/v1 secrets. */
export const secretPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Type", "string", docs["Secret.type"]),
    column("Data", "string", docs["Secret.data"]),
    ageColumn(),
  ],
  cells: secretCells,
};

/** core/v1 serviceaccounts (1.33 still prints SECRETS). */
export const serviceAccountPrinter: TablePrinter = {
  columns: [nameColumn(), column("Secrets", "string", docs["ServiceAccount.secrets"]), ageColumn()],
  cells: serviceAccountCells,
};

/** core/v1 podtemplates. */
export const podTemplatePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Containers", "string", "Names of each container in the template."),
    column("Images", "string", "Images referenced by each container in the template."),
    column("Pod Labels", "string", "The labels for the pod template."),
  ],
  cells: podTemplateCells,
};

/** core/v1 replicationcontrollers. */
export const replicationControllerPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Desired", "integer", docs["ReplicationControllerSpec.replicas"]),
    column("Current", "integer", docs["ReplicationControllerStatus.replicas"]),
    column("Ready", "integer", docs["ReplicationControllerStatus.readyReplicas"]),
    ageColumn(),
    ...containerColumns(),
    wide("Selector", docs["ReplicationControllerSpec.selector"]),
  ],
  cells: replicationControllerCells,
};

/** core/v1 componentstatuses. */
export const componentStatusPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Status", "string", "Status of the component conditions"),
    column("Message", "string", "Message of the component conditions"),
    column("Error", "string", "Error of the component conditions"),
  ],
  cells: componentStatusCells,
};

/** core/v1 resourcequotas. */
export const resourceQuotaPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
    column(
      "Limit",
      "string",
      "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
    ),
    ageColumn(),
  ],
  cells: resourceQuotaCells,
};
