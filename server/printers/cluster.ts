// Printers for assorted cluster kinds: leases, priority and runtime classes, admission webhook
// configurations, certificate signing requests, disruption budgets and API services.
import { ageColumn, column, nameColumn } from "./columns.ts";
import { docs } from "./docs.ts";
import { humanDuration } from "./duration.ts";
import { countItems, intOrString, objectAge, objectName } from "./format.ts";
import type { TablePrinter } from "./types.ts";

function leaseCells(lease: any, now: Date): unknown[] {
  return [objectName(lease), lease.spec?.holderIdentity ?? "", objectAge(lease, now)];
}

function priorityClassCells(pc: any, now: Date): unknown[] {
  return [objectName(pc), pc.value ?? 0, pc.globalDefault ?? false, objectAge(pc, now), pc.preemptionPolicy ?? ""];
}

function runtimeClassCells(rc: any, now: Date): unknown[] {
  return [objectName(rc), rc.handler ?? "", objectAge(rc, now)];
}

function webhookCells(config: any, now: Date): unknown[] {
  return [objectName(config), countItems(config.webhooks), objectAge(config, now)];
}

/** The CONDITION cell: Approved/Denied/Pending, then ",Failed" and ",Issued" when they apply. */
export function csrCondition(csr: any): string {
  const types = new Set((csr.status?.conditions ?? []).map((c: any) => c?.type));
  let status = types.has("Denied") ? "Denied" : types.has("Approved") ? "Approved" : "Pending";
  if (types.has("Failed")) status += ",Failed";
  if (csr.status?.certificate) status += ",Issued";
  return status;
}

function csrCells(csr: any, now: Date): unknown[] {
  const seconds = csr.spec?.expirationSeconds;
  return [
    objectName(csr),
    objectAge(csr, now),
    csr.spec?.signerName || "<none>",
    csr.spec?.username ?? "",
    typeof seconds === "number" ? humanDuration(seconds * 1000) : "<none>",
    csrCondition(csr),
  ];
}

function pdbCells(pdb: any, now: Date): unknown[] {
  const min = pdb.spec?.minAvailable;
  const max = pdb.spec?.maxUnavailable;
  return [
    objectName(pdb),
    min === undefined || min === null ? "N/A" : intOrString(min),
    max === undefined || max === null ? "N/A" : intOrString(max),
    pdb.status?.disruptionsAllowed ?? 0,
    objectAge(pdb, now),
  ];
}

function apiServiceCells(svc: any, now: Date): unknown[] {
  const ref = svc.spec?.service;
  const service = ref ? `${ref.namespace ?? ""}/${ref.name ?? ""}` : "Local";
  let available = "Unknown";
  const cond = (svc.status?.conditions ?? []).find((c: any) => c?.type === "Available");
  if (cond) available = cond.status !== "True" && cond.reason ? `${cond.status} (${cond.reason})` : (cond.status ?? "");
  return [objectName(svc), service, available, objectAge(svc, now)];
}

/** coordination.k8s.io/v1 leases. */
export const leasePrinter: TablePrinter = {
  columns: [nameColumn(), column("Holder", "string", docs["LeaseSpec.holderIdentity"]), ageColumn()],
  cells: leaseCells,
};

/** scheduling.k8s.io/v1 priorityclasses. */
export const priorityClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Value", "integer", docs["PriorityClass.value"]),
    column("Global-Default", "boolean", docs["PriorityClass.globalDefault"]),
    ageColumn(),
    column("PreemptionPolicy", "string", docs["PriorityClass.preemptionPolicy"]),
  ],
  cells: priorityClassCells,
};

/** node.k8s.io/v1 runtimeclasses (upstream looks the Handler description up on ObjectMeta, so it is empty). */
export const runtimeClassPrinter: TablePrinter = {
  columns: [nameColumn(), column("Handler", "string", ""), ageColumn()],
  cells: runtimeClassCells,
};

/** admissionregistration.k8s.io/v1 mutating and validating webhook configurations. */
export const webhookConfigurationPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Webhooks", "integer", "Webhooks indicates the number of webhooks registered in this configuration"),
    ageColumn(),
  ],
  cells: webhookCells,
};

/** certificates.k8s.io/v1 certificatesigningrequests. */
export const certificateSigningRequestPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    ageColumn(),
    column("SignerName", "string", docs["CertificateSigningRequestSpec.signerName"]),
    column("Requestor", "string", docs["CertificateSigningRequestSpec.request"]),
    column("RequestedDuration", "string", docs["CertificateSigningRequestSpec.expirationSeconds"]),
    column("Condition", "string", docs["CertificateSigningRequestStatus.conditions"]),
  ],
  cells: csrCells,
};

/** policy/v1 poddisruptionbudgets. */
export const podDisruptionBudgetPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Min Available", "string", "The minimum number of pods that must be available."),
    column("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
    column("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
    ageColumn(),
  ],
  cells: pdbCells,
};

/** apiregistration.k8s.io/v1 apiservices (kube-aggregator's own convertor). */
export const apiServicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Service", "string", "The reference to the service that hosts this API endpoint."),
    column("Available", "string", "Whether this service is available."),
    ageColumn(),
  ],
  cells: apiServiceCells,
};
