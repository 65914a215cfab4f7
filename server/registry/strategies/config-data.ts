// ConfigMap and Secret rules: key syntax, `immutable`, secret type and stringData.
import type { FieldError } from "../../../api/status.ts";
import type { KubeObject } from "../resource-type.ts";
import { jsonEqual } from "./common.ts";

const keyPattern = /^[-._a-zA-Z0-9]+$/;

function validateKeys(map: Record<string, unknown> | undefined, field: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const key of Object.keys(map ?? {})) {
    if (key.length > 253 || !keyPattern.test(key) || key === "." || key === ".." || key.startsWith("..")) {
      errors.push({
        type: "FieldValueInvalid",
        field: `${field}[${key}]`,
        value: key,
        detail:
          "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      });
    }
  }
  return errors;
}

/** ConfigMaps, like Secrets, are capped at 1 MiB of data. */
const maxDataBytes = 1024 * 1024;

/** Validates ConfigMap keys (data and binaryData may not share a key) and total size. */
export function validateConfigMap(cm: KubeObject): FieldError[] {
  const errors = [...validateKeys(cm.data, "data"), ...validateKeys(cm.binaryData, "binaryData")];
  let size = 0;
  for (const [k, v] of Object.entries(cm.data ?? {})) size += k.length + Buffer.byteLength(String(v));
  for (const [k, v] of Object.entries(cm.binaryData ?? {})) size += k.length + Math.floor((String(v).length * 3) / 4);
  if (size > maxDataBytes) errors.push({ type: "FieldValueTooLong", field: "[]", detail: `must have at most ${maxDataBytes} bytes` });
  for (const key of Object.keys(cm.data ?? {})) {
    if (cm.binaryData && key in cm.binaryData) {
      errors.push({ type: "FieldValueInvalid", field: "data", value: key, detail: "duplicate of key present in binaryData" });
    }
  }
  return errors;
}

/** Immutable ConfigMaps and Secrets reject changes to their data. */
export function validateImmutableData(obj: KubeObject, old: KubeObject, dataKeys: string[]): FieldError[] {
  const errors: FieldError[] = [];
  if (old.immutable === true) {
    if (obj.immutable !== true) {
      errors.push({ type: "FieldValueForbidden", field: "immutable", detail: "field is immutable when `immutable` is set" });
    }
    for (const key of dataKeys) {
      if (!jsonEqual(obj[key], old[key])) {
        errors.push({ type: "FieldValueForbidden", field: key, detail: "field is immutable when `immutable` is set" });
      }
    }
  }
  return errors;
}

/** Folds `stringData` into base64 `data` and defaults the type, as the API conversion does. */
export function normalizeSecret(secret: KubeObject): void {
  if (secret.stringData && typeof secret.stringData === "object") {
    secret.data ??= {};
    for (const [k, v] of Object.entries(secret.stringData)) {
      secret.data[k] = Buffer.from(String(v), "utf8").toString("base64");
    }
  }
  delete secret.stringData;
  secret.type ||= "Opaque";
}

/** Validates secret keys and base64 values. */
export function validateSecret(secret: KubeObject): FieldError[] {
  const errors = validateKeys(secret.data, "data");
  let total = 0;
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    if (typeof value !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 === 1) {
      errors.push({ type: "FieldValueInvalid", field: `data[${key}]`, value: "<secret contents redacted>", detail: "illegal base64 data" });
    } else total += Math.floor((value.length * 3) / 4);
  }
  if (total > 1024 * 1024) {
    errors.push({ type: "FieldValueTooLong", field: "data", detail: "may not be more than 1048576 bytes" });
  }
  return errors;
}
