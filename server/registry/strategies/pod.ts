// Pod defaulting and validation, following kube-apiserver's pod strategy and defaults.
import type { FieldError } from "../../../api/status.ts";
import { validateDnsLabel } from "../../../api/validation.ts";
import type { KubeObject } from "../resource-type.ts";
import { clone, ensureObject, jsonEqual, notSupported, required, setDefault } from "./common.ts";

const restartPolicies = ["Always", "OnFailure", "Never"];
const pullPolicies = ["Always", "IfNotPresent", "Never"];

/** Applies the defaults kube-apiserver gives a pod spec (also used for pod templates). */
export function defaultPodSpec(spec: Record<string, any>): void {
  setDefault(spec, "restartPolicy", "Always");
  setDefault(spec, "terminationGracePeriodSeconds", 30);
  setDefault(spec, "dnsPolicy", "ClusterFirst");
  setDefault(spec, "securityContext", {});
  setDefault(spec, "schedulerName", "default-scheduler");
  for (const list of ["initContainers", "containers"]) {
    for (const c of (spec[list] ?? []) as Record<string, any>[]) defaultContainer(c);
  }
}

function defaultContainer(c: Record<string, any>): void {
  setDefault(c, "terminationMessagePath", "/dev/termination-log");
  setDefault(c, "terminationMessagePolicy", "File");
  setDefault(c, "resources", {});
  if (!c.imagePullPolicy && typeof c.image === "string") {
    c.imagePullPolicy = imageTag(c.image) === "latest" ? "Always" : "IfNotPresent";
  }
  for (const p of (c.ports ?? []) as Record<string, any>[]) setDefault(p, "protocol", "TCP");
}

function imageTag(image: string): string {
  if (image.includes("@")) return "digest";
  const lastSlash = image.lastIndexOf("/");
  const colon = image.indexOf(":", lastSlash + 1);
  return colon === -1 ? "latest" : image.slice(colon + 1);
}

/** The defaults every decoded pod gets (create and update). */
export function defaultPod(pod: KubeObject): void {
  if (!pod.spec || typeof pod.spec !== "object" || Array.isArray(pod.spec)) return;
  defaultPodSpec(pod.spec);
  setDefault(pod.spec, "enableServiceLinks", true);
  if (pod.spec.serviceAccountName) pod.spec.serviceAccount = pod.spec.serviceAccountName;
}

/** What admission adds to a new pod: service account, priority, tolerations and status. */
export function prepareForCreatePod(pod: KubeObject): void {
  const spec = ensureObject(pod, "spec");
  setDefault(spec, "serviceAccountName", "default");
  spec.serviceAccount = spec.serviceAccountName;
  setDefault(spec, "preemptionPolicy", "PreemptLowerPriority");
  setDefault(spec, "priority", 0);
  addDefaultTolerations(spec);
  pod.status = { phase: "Pending", qosClass: qosClass(spec) };
}

function addDefaultTolerations(spec: Record<string, any>): void {
  const tolerations = (spec.tolerations ??= []) as Record<string, any>[];
  for (const key of ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]) {
    if (tolerations.some((t) => t.key === key || (!t.key && t.operator === "Exists"))) continue;
    tolerations.push({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 });
  }
}

/** BestEffort, Burstable or Guaranteed, from container requests and limits. */
export function qosClass(spec: Record<string, any>): string {
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as Record<string, any>[];
  let anySet = false;
  let guaranteed = true;
  for (const c of containers) {
    const requests = c.resources?.requests ?? {};
    const limits = c.resources?.limits ?? {};
    if (Object.keys(requests).length || Object.keys(limits).length) anySet = true;
    for (const r of ["cpu", "memory"]) {
      if (limits[r] === undefined) guaranteed = false;
      else if (requests[r] !== undefined && String(requests[r]) !== String(limits[r])) guaranteed = false;
    }
  }
  if (!anySet) return "BestEffort";
  return guaranteed ? "Guaranteed" : "Burstable";
}

/** Validates a pod spec under the given field path (pods and templates). */
export function validatePodSpec(spec: Record<string, any> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!spec || typeof spec !== "object") return [required(path)];
  const containers = spec.containers as Record<string, any>[] | undefined;
  if (!Array.isArray(containers) || containers.length === 0) errors.push(required(`${path}.containers`));
  const seen = new Set<string>();
  for (const list of ["initContainers", "containers"]) {
    const items = spec[list];
    if (items === undefined || items === null) continue;
    if (!Array.isArray(items)) continue;
    items.forEach((c: Record<string, any>, i: number) => {
      const field = `${path}.${list}[${i}]`;
      if (!c?.name) errors.push(required(`${field}.name`));
      else {
        errors.push(...validateDnsLabel(c.name, `${field}.name`));
        if (seen.has(c.name)) errors.push({ type: "FieldValueDuplicate", field: `${field}.name`, value: c.name });
        seen.add(c.name);
      }
      if (!c?.image) errors.push(required(`${field}.image`));
      if (c?.imagePullPolicy && !pullPolicies.includes(c.imagePullPolicy)) {
        errors.push(notSupported(`${field}.imagePullPolicy`, c.imagePullPolicy, pullPolicies));
      }
    });
  }
  if (spec.restartPolicy && !restartPolicies.includes(spec.restartPolicy)) {
    errors.push(notSupported(`${path}.restartPolicy`, spec.restartPolicy, restartPolicies));
  }
  return errors;
}

/** Upstream only lets an update change images, deadlines, tolerations (additions) and grace. */
export function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const errors = validatePodSpec(pod.spec, "spec");
  const mutableView = (spec: Record<string, any>) => {
    const s = clone(spec ?? {});
    for (const list of ["containers", "initContainers"]) {
      for (const c of (s[list] ?? []) as Record<string, any>[]) delete c.image;
    }
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    return s;
  };
  if (!jsonEqual(mutableView(pod.spec), mutableView(old.spec))) {
    errors.push({
      type: "FieldValueForbidden",
      field: "spec",
      detail:
        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
    });
  }
  return errors;
}

/** Field-selector values kube-apiserver supports for pods. */
export function podSelectableFields(pod: KubeObject): Record<string, string> {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  return {
    "spec.nodeName": spec.nodeName ?? "",
    // spec.host is the old name of spec.nodeName, still accepted by field selectors.
    "spec.host": spec.nodeName ?? "",
    "spec.restartPolicy": spec.restartPolicy ?? "",
    "spec.schedulerName": spec.schedulerName ?? "",
    "spec.serviceAccountName": spec.serviceAccountName ?? "",
    "spec.hostNetwork": String(spec.hostNetwork === true),
    "status.phase": status.phase ?? "",
    "status.podIP": status.podIP ?? "",
    "status.podIPs": status.podIPs?.[0]?.ip ?? "",
    "status.nominatedNodeName": status.nominatedNodeName ?? "",
  };
}
