// Client-side schema validation against /openapi/v2, which kubectl falls back to under
// --validate=strict when the server cannot validate fields itself (no fieldValidation, as
// before Kubernetes 1.25). Unknown fields, missing required fields and values of the wrong
// shape are reported in kubectl's words: `ValidationError(Pod.spec): missing required field
// "containers" in io.k8s.api.core.v1.PodSpec`.

type Obj = Record<string, unknown>;

interface Schema {
  type?: string | string[];
  format?: string;
  $ref?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: Schema | boolean;
  "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[];
}

/** The definitions of an OpenAPI v2 document. */
export type Definitions = Record<string, Schema>;

/** kubectl's errors for `object`, or an empty list when it validates (or its kind is unknown). */
export function validateAgainstV2(definitions: Definitions, object: Obj): string[] {
  const apiVersion = String(object.apiVersion ?? "");
  const kind = String(object.kind ?? "");
  const slash = apiVersion.indexOf("/");
  const group = slash >= 0 ? apiVersion.slice(0, slash) : "";
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const name = Object.keys(definitions).find((n) =>
    (definitions[n]!["x-kubernetes-group-version-kind"] ?? []).some((g) => g.group === group && g.version === version && g.kind === kind),
  );
  if (!name) return [];
  const errors: string[] = [];
  visit(definitions, { $ref: `#/definitions/${name}` }, name, object, kind, errors);
  return errors;
}

/** What a decoded value is, in kube-openapi's words. */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (typeof value === "object") return "map";
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return "string";
}

function visit(defs: Definitions, schema: Schema, schemaPath: string, value: unknown, path: string, errors: string[]): void {
  if (value === null || value === undefined) return;
  const fail = (message: string) => errors.push(`ValidationError(${path}): ${message}`);
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/definitions\//, "");
    const target = defs[name];
    if (target) visit(defs, target, name, value, path, errors);
    return;
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.properties) {
    if (kindOf(value) !== "map") return void fail(`invalid type for ${schemaPath}: got "${kindOf(value)}", expected "map"`);
    const obj = value as Obj;
    for (const field of schema.required ?? []) if (obj[field] === undefined || obj[field] === null) fail(`missing required field "${field}" in ${schemaPath}`);
    for (const key of Object.keys(obj).sort()) {
      const sub = schema.properties[key];
      if (!sub) fail(`unknown field "${key}" in ${schemaPath}`);
      else visit(defs, sub, `${schemaPath}.${key}`, obj[key], `${path}.${key}`, errors);
    }
    return;
  }
  if (type === "array") {
    if (kindOf(value) !== "array") return void fail(`invalid type for ${schemaPath}: got "${kindOf(value)}", expected "array"`);
    if (schema.items) (value as unknown[]).forEach((item, i) => visit(defs, schema.items!, schemaPath, item, `${path}[${i}]`, errors));
    return;
  }
  if (type === "object") {
    if (kindOf(value) !== "map") return void fail(`invalid type for ${schemaPath}: got "${kindOf(value)}", expected "map"`);
    const values = schema.additionalProperties;
    if (values && typeof values === "object") for (const [key, item] of Object.entries(value as Obj)) visit(defs, values, schemaPath, item, `${path}.${key}`, errors);
    return;
  }
  // Primitives: a string accepts anything, numbers accept numbers (kube-openapi's rules).
  const actual = kindOf(value);
  if (type === "string" || !type) return;
  if ((type === "integer" || type === "number") && (actual === "integer" || actual === "number")) return;
  if (type === "boolean" && actual === "boolean") return;
  fail(`invalid type for ${schemaPath}: got "${actual}", expected "${type}"`);
}
