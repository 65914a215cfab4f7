// ObjectMeta rules shared by every type: server-set fields on create/update and the
// generic metadata validation (name, labels, annotations, finalizers).
import { badRequest, type FieldError } from "../../api/status.ts";
import {
  generateName,
  validateAnnotations,
  validateDns1035Label,
  validateDnsLabel,
  validateDnsSubdomain,
  validateFinalizers,
  validateLabels,
  validateOwnerReferences,
  validatePathSegmentName,
} from "../../api/validation.ts";
import type { KubeObject, ResourceType } from "./resource-type.ts";
import { jsonEqual } from "./strategies/common.ts";

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function nowTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Checks the body's namespace against the URL and fills it in when absent. */
export function reconcileNamespace(t: ResourceType, obj: KubeObject, namespace: string): void {
  const meta = obj.metadata;
  if (!t.namespaced) {
    delete meta.namespace;
    return;
  }
  if (meta.namespace && meta.namespace !== namespace) {
    throw badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  meta.namespace = namespace;
}

/** Fills in the metadata kube-apiserver sets on create. */
export function prepareMetaForCreate(t: ResourceType, obj: KubeObject): void {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) meta.name = generateName(meta.generateName);
  meta.uid = crypto.randomUUID();
  meta.creationTimestamp = nowTimestamp();
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (t.tracksGeneration) meta.generation = 1;
  else delete meta.generation;
}

/** Carries server-owned metadata over from the stored object on update. */
export function prepareMetaForUpdate(t: ResourceType, obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata;
  const oldMeta = old.metadata;
  meta.uid = oldMeta.uid;
  meta.creationTimestamp = oldMeta.creationTimestamp;
  if (oldMeta.deletionTimestamp) meta.deletionTimestamp = oldMeta.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (oldMeta.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = oldMeta.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  if (!meta.generateName && oldMeta.generateName) meta.generateName = oldMeta.generateName;
  delete meta.selfLink;
  if (t.tracksGeneration) {
    const annotationsChanged = t.generationIncludesAnnotations && !jsonEqual(meta.annotations ?? {}, oldMeta.annotations ?? {});
    meta.generation = (oldMeta.generation ?? 1) + (specChanged(obj, old) || annotationsChanged ? 1 : 0);
  } else delete meta.generation;
}

function specChanged(obj: KubeObject, old: KubeObject): boolean {
  const strip = ({ metadata, status, kind, apiVersion, ...rest }: KubeObject) => rest;
  return !jsonEqual(strip(obj), strip(old));
}

/** The name rule each type uses (upstream's per-type ValidateXName). */
export function validateName(t: ResourceType, name: string): FieldError[] {
  if (t.resource === "namespaces") return validateDnsLabel(name, "metadata.name");
  if (t.resource === "services") return validateDns1035Label(name, "metadata.name");
  if (t.group === "rbac.authorization.k8s.io") return validatePathSegmentName(name, "metadata.name");
  return validateDnsSubdomain(name, "metadata.name");
}

/** Generic ObjectMeta validation for create. */
export function validateMeta(t: ResourceType, obj: KubeObject): FieldError[] {
  const meta = obj.metadata;
  const errors: FieldError[] = [];
  if (!meta.name) {
    errors.push({ type: "FieldValueRequired", field: "metadata.name", detail: "name or generateName is required" });
  } else errors.push(...validateName(t, meta.name));
  if (t.namespaced && !meta.namespace) errors.push({ type: "FieldValueRequired", field: "metadata.namespace" });
  errors.push(...validateLabels(meta.labels, "metadata.labels"));
  errors.push(...validateAnnotations(meta.annotations, "metadata.annotations"));
  errors.push(...validateFinalizers(meta.finalizers, "metadata.finalizers"));
  errors.push(...validateOwnerReferences(meta.ownerReferences, "metadata.ownerReferences"));
  return errors;
}

/** ObjectMeta validation for update: the generic rules plus immutable identity. */
export function validateMetaUpdate(t: ResourceType, obj: KubeObject, old: KubeObject): FieldError[] {
  const errors = validateMeta(t, obj);
  if (obj.metadata.name !== old.metadata.name) {
    errors.push({ type: "FieldValueInvalid", field: "metadata.name", value: obj.metadata.name, detail: "field is immutable" });
  }
  return errors;
}
