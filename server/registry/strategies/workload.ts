// Deployments and ReplicaSets: defaults, selector/template validation, scale.
import type { FieldError } from "../../../api/status.ts";
import type { KubeObject } from "../resource-type.ts";
import { ensureObject, immutable, required, setDefault } from "./common.ts";
import { defaultPodSpec, validatePodSpec } from "./pod.ts";
import { labelSelectorFromObject, matchLabels } from "../../../api/label-selector.ts";

/** Defaults shared by Deployments and ReplicaSets (replicas and the pod template). */
export function defaultWorkload(obj: KubeObject): void {
  const spec = ensureObject(obj, "spec");
  setDefault(spec, "replicas", 1);
  const template = ensureObject(spec, "template");
  defaultPodSpec(ensureObject(template, "spec"));
}

/** A new workload starts with an empty status. */
export function clearStatus(obj: KubeObject): void {
  obj.status = {};
}

/** Deployment-only defaults: strategy, history limit, progress deadline. */
export function defaultDeployment(obj: KubeObject): void {
  defaultWorkload(obj);
  const spec = obj.spec;
  setDefault(spec, "revisionHistoryLimit", 10);
  setDefault(spec, "progressDeadlineSeconds", 600);
  const strategy = ensureObject(spec, "strategy");
  setDefault(strategy, "type", "RollingUpdate");
  if (strategy.type === "RollingUpdate") {
    const rolling = ensureObject(strategy, "rollingUpdate");
    setDefault(rolling, "maxUnavailable", "25%");
    setDefault(rolling, "maxSurge", "25%");
  }
}

/** Selector must be present, non-empty and match the template's labels. */
export function validateWorkload(obj: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = obj.spec ?? {};
  if (typeof spec.replicas === "number" && spec.replicas < 0) {
    errors.push({ type: "FieldValueInvalid", field: "spec.replicas", value: spec.replicas, detail: "must be greater than or equal to 0" });
  }
  const selector = spec.selector;
  const hasSelector = selector && (Object.keys(selector.matchLabels ?? {}).length || (selector.matchExpressions ?? []).length);
  if (!selector) errors.push(required("spec.selector"));
  else if (!hasSelector) {
    errors.push({ type: "FieldValueInvalid", field: "spec.selector", value: selector, detail: "empty selector is invalid for deployment" });
  } else {
    const labels = spec.template?.metadata?.labels ?? {};
    if (!matchLabels(labelSelectorFromObject(selector), labels)) {
      errors.push({
        type: "FieldValueInvalid",
        field: "spec.template.metadata.labels",
        value: labels,
        detail: "`selector` does not match template `labels`",
      });
    }
  }
  errors.push(...validatePodSpec(spec.template?.spec, "spec.template.spec"));
  return errors;
}

/** In apps/v1 the selector is immutable. */
export function validateWorkloadUpdate(obj: KubeObject, old: KubeObject): FieldError[] {
  return [...validateWorkload(obj), ...immutable("spec.selector", obj.spec?.selector, old.spec?.selector)];
}
