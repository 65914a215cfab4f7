// Small helpers the per-type strategies share.
import type { FieldError } from "../../../api/status.ts";

/** A deep copy for plain JSON values (a JSON round trip is several times faster than structuredClone in Bun). */
export function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/** Deep equality for plain JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => jsonEqual(ao[k], bo[k]));
}

/** `field: Invalid value: <v>: field is immutable` when a value changed. */
export function immutable(field: string, value: unknown, old: unknown): FieldError[] {
  if (jsonEqual(value, old)) return [];
  return [{ type: "FieldValueInvalid", field, value, detail: "field is immutable" }];
}

/** A Required error for a missing value. */
export function required(field: string, detail?: string): FieldError {
  return { type: "FieldValueRequired", field, detail };
}

/** A NotSupported error listing the accepted values the way upstream quotes them. */
export function notSupported(field: string, value: unknown, supported: string[]): FieldError {
  return {
    type: "FieldValueNotSupported",
    field,
    value,
    detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(", ")}`,
  };
}

/** Ensures obj[key] is an object and returns it. */
export function ensureObject(obj: Record<string, any>, key: string): Record<string, any> {
  if (!obj[key] || typeof obj[key] !== "object" || Array.isArray(obj[key])) obj[key] = {};
  return obj[key];
}

/** Sets obj[key] = value when it is absent (undefined, null or ""). */
export function setDefault(obj: Record<string, any>, key: string, value: unknown): void {
  if (obj[key] === undefined || obj[key] === null || obj[key] === "") obj[key] = value;
}
