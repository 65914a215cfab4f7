// Query parameters shared by the resource handlers, validated as kube-apiserver does.
import { badRequest, invalid, type FieldError, type StatusError } from "../../api/status.ts";
import { parseFieldSelector } from "../../api/field-selector.ts";
import { parseLabelSelector } from "../../api/label-selector.ts";
import type { ListParams } from "../registry/object-store.ts";
import { selectableFields } from "../registry/object-store.ts";
import type { KubeObject, ResourceType } from "../registry/resource-type.ts";
import type { IncludeObject } from "../table.ts";
import type { FieldValidation } from "../validation/index.ts";

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

/** The write options of create, update and patch, validated together as upstream does. */
export interface WriteParams {
  dryRun: boolean;
  /** The fieldManager parameter ("" when absent). */
  fieldManager: string;
  /** The fieldValidation directive; Warn when absent. */
  fieldValidation: FieldValidation;
  force: boolean;
}

const fieldManagerMaxLength = 128;

/**
 * Parses dryRun, fieldManager, fieldValidation and (patches) force; every problem is one
 * cause of a single 422 on CreateOptions, UpdateOptions or PatchOptions.
 */
export function writeParams(query: URLSearchParams, optionsKind: "CreateOptions" | "UpdateOptions" | "PatchOptions", patch: { apply: boolean } = { apply: false }): WriteParams {
  const errors: FieldError[] = [];
  const fieldManager = query.get("fieldManager") ?? "";
  const force = query.get("force");
  if (optionsKind === "PatchOptions" && !patch.apply && force !== null) {
    errors.push({ type: "FieldValueForbidden", field: "force", detail: "may not be specified for non-apply patch" });
  }
  if (patch.apply && !fieldManager) errors.push({ type: "FieldValueRequired", field: "fieldManager", detail: "is required for apply patch" });
  if (fieldManager.length > fieldManagerMaxLength) {
    errors.push({ type: "FieldValueTooLong", field: "fieldManager", detail: `may not be more than ${fieldManagerMaxLength} bytes` });
  }
  [...fieldManager].forEach((ch, i) => {
    if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)) {
      const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
      errors.push({ type: "FieldValueInvalid", field: "fieldManager", value: fieldManager, detail: `invalid character ${code} (at position ${i})` });
    }
  });
  const dryRun = query.getAll("dryRun");
  if (dryRun.some((v) => v !== "All")) {
    errors.push({ type: "FieldValueNotSupported", field: "dryRun", valueText: `[]string{${dryRun.map((v) => JSON.stringify(v)).join(", ")}}`, detail: 'supported values: "All"' });
  }
  const directive = query.get("fieldValidation") ?? "";
  if (directive && !["Strict", "Warn", "Ignore"].includes(directive)) {
    errors.push({ type: "FieldValueNotSupported", field: "fieldValidation", value: directive, detail: 'supported values: "", "Ignore", "Strict", "Warn"' });
  }
  if (errors.length) throw invalid("meta.k8s.io", optionsKind, "", errors);
  return { dryRun: dryRun.length > 0, fieldManager, fieldValidation: (directive || "Warn") as FieldValidation, force: force === "true" };
}

/** The manager a write is recorded under: fieldManager, else the User-Agent up to its first "/". */
export function managerFor(params: WriteParams, request: Request): string {
  if (params.fieldManager) return params.fieldManager;
  const agent = (request.headers.get("user-agent") ?? "").split("/")[0];
  return [...agent].filter((ch) => /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u.test(ch)).join("").slice(0, fieldManagerMaxLength);
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
