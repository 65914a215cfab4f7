// Namespaces: the `kubernetes` finalizer, the Active phase and the name label.
import type { FieldError } from "../../../api/status.ts";
import type { KubeObject } from "../resource-type.ts";
import { ensureObject } from "./common.ts";

/** What a new namespace gets: finalizer, phase and the metadata.name label. */
export function prepareForCreateNamespace(ns: KubeObject): void {
  const spec = ensureObject(ns, "spec");
  const finalizers = (spec.finalizers ?? []) as string[];
  if (!finalizers.includes("kubernetes")) finalizers.push("kubernetes");
  spec.finalizers = finalizers;
  ns.status = { phase: "Active" };
  ensureNameLabel(ns);
}

/** Updates keep spec.finalizers (changed only through /finalize) and the name label. */
export function prepareForUpdateNamespace(ns: KubeObject, old: KubeObject): void {
  ns.spec = { ...(ns.spec ?? {}), finalizers: old.spec?.finalizers ?? [] };
  ensureNameLabel(ns);
}

function ensureNameLabel(ns: KubeObject): void {
  const labels = ensureObject(ns.metadata, "labels");
  labels["kubernetes.io/metadata.name"] = ns.metadata.name;
}

/** The name label must keep the namespace's name. */
export function validateNamespace(ns: KubeObject): FieldError[] {
  const value = ns.metadata?.labels?.["kubernetes.io/metadata.name"];
  if (value !== undefined && value !== ns.metadata.name) {
    return [{ type: "FieldValueInvalid", field: "metadata.labels[kubernetes.io/metadata.name]", value, detail: `must be ${ns.metadata.name}` }];
  }
  return [];
}
