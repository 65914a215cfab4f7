// Server-side Table printers: the columns and cells kube-apiserver returns for
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. The server wraps them in the Table.
import { controllerRevisionPrinter, daemonSetPrinter, deploymentPrinter, replicaSetPrinter, statefulSetPrinter } from "./apps.ts";
import { horizontalPodAutoscalerPrinter } from "./autoscaling.ts";
import { cronJobPrinter, jobPrinter } from "./batch.ts";
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  leasePrinter,
  podDisruptionBudgetPrinter,
  priorityClassPrinter,
  runtimeClassPrinter,
  webhookConfigurationPrinter,
} from "./cluster.ts";
import {
  componentStatusPrinter,
  configMapPrinter,
  namespacePrinter,
  podTemplatePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from "./core.ts";
import { defaultPrinter } from "./default.ts";
import { eventPrinter } from "./event.ts";
import { ingressClassPrinter, ingressPrinter, networkPolicyPrinter } from "./networking.ts";
import { nodePrinter } from "./node.ts";
import { podPrinter } from "./pod.ts";
import { clusterRoleBindingPrinter, roleBindingPrinter } from "./rbac.ts";
import { endpointSlicePrinter, endpointsPrinter, servicePrinter } from "./service.ts";
import { persistentVolumeClaimPrinter, persistentVolumePrinter, storageClassPrinter } from "./storage.ts";
import type { TablePrinter } from "./types.ts";

export type { TableColumnDefinition, TablePrinter, TableRowCondition } from "./types.ts";
export { humanDuration, translateTimestampSince } from "./duration.ts";
export { defaultPrinter } from "./default.ts";

const printers = new Map<string, TablePrinter>([
  ["pods", podPrinter],
  ["podtemplates", podTemplatePrinter],
  ["replicationcontrollers", replicationControllerPrinter],
  ["services", servicePrinter],
  ["endpoints", endpointsPrinter],
  ["nodes", nodePrinter],
  ["events", eventPrinter],
  ["namespaces", namespacePrinter],
  ["secrets", secretPrinter],
  ["serviceaccounts", serviceAccountPrinter],
  ["persistentvolumes", persistentVolumePrinter],
  ["persistentvolumeclaims", persistentVolumeClaimPrinter],
  ["componentstatuses", componentStatusPrinter],
  ["configmaps", configMapPrinter],
  ["resourcequotas", resourceQuotaPrinter],
  ["apps/deployments", deploymentPrinter],
  ["apps/replicasets", replicaSetPrinter],
  ["apps/statefulsets", statefulSetPrinter],
  ["apps/daemonsets", daemonSetPrinter],
  ["apps/controllerrevisions", controllerRevisionPrinter],
  ["batch/jobs", jobPrinter],
  ["batch/cronjobs", cronJobPrinter],
  ["autoscaling/horizontalpodautoscalers", horizontalPodAutoscalerPrinter],
  ["events.k8s.io/events", eventPrinter],
  ["coordination.k8s.io/leases", leasePrinter],
  ["rbac.authorization.k8s.io/rolebindings", roleBindingPrinter],
  ["rbac.authorization.k8s.io/clusterrolebindings", clusterRoleBindingPrinter],
  ["discovery.k8s.io/endpointslices", endpointSlicePrinter],
  ["networking.k8s.io/ingresses", ingressPrinter],
  ["networking.k8s.io/ingressclasses", ingressClassPrinter],
  ["networking.k8s.io/networkpolicies", networkPolicyPrinter],
  ["storage.k8s.io/storageclasses", storageClassPrinter],
  ["scheduling.k8s.io/priorityclasses", priorityClassPrinter],
  ["node.k8s.io/runtimeclasses", runtimeClassPrinter],
  ["admissionregistration.k8s.io/mutatingwebhookconfigurations", webhookConfigurationPrinter],
  ["admissionregistration.k8s.io/validatingwebhookconfigurations", webhookConfigurationPrinter],
  ["certificates.k8s.io/certificatesigningrequests", certificateSigningRequestPrinter],
  ["policy/poddisruptionbudgets", podDisruptionBudgetPrinter],
  ["apiregistration.k8s.io/apiservices", apiServicePrinter],
]);

/**
 * The printer for a resource: group "" for core, resource is the plural ("apps", "deployments").
 * Returns the default printer (NAME, CREATED AT) when none is registered.
 */
export function printerFor(group: string, resource: string): TablePrinter {
  return printers.get(group ? `${group}/${resource}` : resource) ?? defaultPrinter;
}
