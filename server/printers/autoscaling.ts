// The HorizontalPodAutoscaler printer. autoscaling/v1 objects are read through the same
// metric view upstream gets after converting them to the internal (v2-shaped) type.
import { ageColumn, column, nameColumn } from "./columns.ts";
import { objectAge, objectName } from "./format.ts";
import type { TablePrinter } from "./types.ts";

const targetsDescription =
  "metrics contains the specifications for which to use to calculate the desired replica count (the maximum replica count across all metrics will be used).  The desired replica count is calculated multiplying the ratio between the target value and the current value by the current number of pods.  Ergo, metrics used must decrease as the pod count is increased, and vice-versa.  See the individual metric source types for more information about how each type of metric must respond.";

function quantity(value: unknown): string {
  return value === undefined || value === null ? "<nil>" : String(value);
}

function v2Metrics(hpa: any): { specs: any[]; statuses: any[] } {
  if (hpa.spec?.metrics || hpa.spec?.targetCPUUtilizationPercentage === undefined) {
    return { specs: hpa.spec?.metrics ?? [], statuses: hpa.status?.currentMetrics ?? [] };
  }
  const specs = [{ type: "Resource", resource: { name: "cpu", target: { averageUtilization: hpa.spec.targetCPUUtilizationPercentage } } }];
  const current = hpa.status?.currentCPUUtilizationPercentage;
  const statuses = current === undefined ? [] : [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: current } } }];
  return { specs, statuses };
}

function valueMetric(target: any, current: any): string {
  if (target?.averageValue != null) {
    const cur = current?.averageValue != null ? quantity(current.averageValue) : "<unknown>";
    return `${cur}/${quantity(target.averageValue)} (avg)`;
  }
  const cur = current ? quantity(current.value) : "<unknown>";
  return `${cur}/${quantity(target?.value)}`;
}

function resourceMetric(source: any, status: any): string {
  const name = source?.name ?? "";
  if (source?.target?.averageValue != null) {
    const cur = status ? quantity(status.current?.averageValue) : "<unknown>";
    return `${name}: ${cur}/${quantity(source.target.averageValue)}`;
  }
  const util = status?.current?.averageUtilization;
  const cur = util != null ? `${util}%` : "<unknown>";
  const target = source?.target?.averageUtilization != null ? `${source.target.averageUtilization}%` : "<auto>";
  return `${name}: ${cur}/${target}`;
}

function metricString(spec: any, status: any): string {
  switch (spec?.type) {
    case "External":
      return valueMetric(spec.external?.target, status?.external?.current);
    case "Pods":
      return `${status?.pods ? quantity(status.pods.current?.averageValue) : "<unknown>"}/${quantity(spec.pods?.target?.averageValue)}`;
    case "Object":
      return valueMetric(spec.object?.target, status?.object?.current);
    case "Resource":
      return resourceMetric(spec.resource, status?.resource);
    case "ContainerResource":
      return resourceMetric(spec.containerResource, status?.containerResource);
  }
  return "<unknown type>";
}

/** TARGETS: at most two metrics as "current/target", then " + N more...". */
export function formatHPAMetrics(hpa: any): string {
  const { specs, statuses } = v2Metrics(hpa);
  if (specs.length === 0) return "<none>";
  const max = 2;
  const list = specs.map((spec, i) => metricString(spec, statuses[i]));
  if (list.length <= max) return list.join(", ");
  return `${list.slice(0, max).join(", ")} + ${list.length - max} more...`;
}

function hpaCells(hpa: any, now: Date): unknown[] {
  const ref = hpa.spec?.scaleTargetRef ?? {};
  const min = hpa.spec?.minReplicas;
  return [
    objectName(hpa),
    `${ref.kind ?? ""}/${ref.name ?? ""}`,
    formatHPAMetrics(hpa),
    min === undefined || min === null ? "<unset>" : String(min),
    hpa.spec?.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    objectAge(hpa, now),
  ];
}

/** autoscaling/v1 and v2 horizontalpodautoscalers. */
export const horizontalPodAutoscalerPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column(
      "Reference",
      "string",
      "scaleTargetRef points to the target resource to scale, and is used to the pods for which metrics should be collected, as well as to actually change the replica count.",
    ),
    column("Targets", "string", targetsDescription),
    column(
      "MinPods",
      "string",
      "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down.  It defaults to 1 pod.  minReplicas is allowed to be 0 if the alpha feature gate HPAScaleToZero is enabled and at least one Object or External metric is configured.  Scaling is active as long as at least one metric value is available.",
    ),
    column(
      "MaxPods",
      "string",
      "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up. It cannot be less that minReplicas.",
    ),
    column("Replicas", "string", "currentReplicas is current number of replicas of pods managed by this autoscaler, as last seen by the autoscaler."),
    ageColumn(),
  ],
  cells: hpaCells,
};
