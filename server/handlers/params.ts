// Query parameters shared by the resource handlers, validated as kube-apiserver does.
import { badRequest, invalid, type FieldError, type StatusError } from "../../api/status.ts";
import { parseFieldSelector } from "../../api/field-selector.ts";
import { parseLabelSelector } from "../../api/label-selector.ts";
import type { ListParams } from "../registry/object-store.ts";
import { selectableFields } from "../registry/object-store.ts";
import type { KubeObject, ResourceType } from "../registry/resource-type.ts";
import type { IncludeObject } from "../table.ts";

/** A 422 for invalid request options, e.g. `ListOptions.meta.k8s.io "" is invalid: …`. */
export function invalidOptions(kind: string, error: FieldError): StatusError {
  return invalid("meta.k8s.io", kind, "", [error]);
}

/** `dryRun=All` (the only accepted value) → true; `optionsKind` names the options in errors. */
export function dryRunParam(query: URLSearchParams, optionsKind = "CreateOptions"): boolean {
  const values = query.getAll("dryRun");
  if (values.some((v) => v !== "All")) {
    const valueText = `[]string{${values.map((v) => JSON.stringify(v)).join(", ")}}`;
    throw invalidOptions(optionsKind, { type: "FieldValueNotSupported", field: "dryRun", valueText, detail: 'supported values: "All"' });
  }
  return values.length > 0;
}

/** Validates fieldValidation (Strict, Warn, Ignore) and returns it. */
export function fieldValidationParam(query: URLSearchParams): string {
  const value = query.get("fieldValidation") ?? "";
  if (value && !["Strict", "Warn", "Ignore"].includes(value)) {
    throw badRequest(`fieldValidation: Unsupported value: "${value}": supported values: "Ignore", "Strict", "Warn"`);
  }
  return value;
}

/** Parses list parameters; selectors are checked against what the type supports. */
export function listParams(t: ResourceType, query: URLSearchParams): ListParams {
  const params: ListParams = {};
  const labels = query.get("labelSelector");
  const fields = query.get("fieldSelector");
  if (labels) params.labelSelector = parseLabelSelector(labels);
  if (fields) {
    params.fieldSelector = parseFieldSelector(fields);
    // "==" parses to no terms, but upstream reads it as the empty field label.
    if (!params.fieldSelector.terms.length && fields.trim()) params.fieldSelector.terms.push({ field: "", op: "=", value: "" });
    const supported = selectableFields(t, { metadata: {} } as KubeObject);
    for (const term of params.fieldSelector.terms) {
      if (term.field in supported) continue;
      if (t.selectableFields) throw badRequest(`field label not supported: ${term.field}`);
      const known = Object.keys(supported).map((f) => `"${f}"`).join(", ");
      throw badRequest(`"${term.field}" is not a known field selector: only ${known}`);
    }
  }
  const limit = query.get("limit");
  if (limit) {
    if (!/^-?\d+$/.test(limit)) throw badRequest(`invalid limit: ${limit}`);
    params.limit = Number(limit);
  }
  params.continue = query.get("continue") ?? undefined;
  params.resourceVersion = query.get("resourceVersion") ?? undefined;
  params.resourceVersionMatch = query.get("resourceVersionMatch") ?? undefined;
  return params;
}

/** The Table `includeObject` parameter (default Metadata). */
export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const value = query.get("includeObject") || "Metadata";
  if (value !== "None" && value !== "Metadata" && value !== "Object") {
    throw badRequest(`Unable to convert to Table as requested: includeObject: Invalid value: "${value}": must be 'Metadata', 'Object', 'None', or empty`);
  }
  return value;
}

/** Parses an optional integer query parameter. */
export function intParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  if (!/^-?\d+$/.test(value)) throw badRequest(`${name}: Invalid value: "${value}": must be an integer`);
  return Number(value);
}
