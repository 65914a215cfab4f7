// Validation the schema alone can do for any served kind: required fields that are missing and
// enum fields holding a value outside their set (status and metadata aside, which the server
// and the generic metadata rules own), plus fields that may not change once set.
import type { FieldError } from "../../api/status.ts";
import { kindType, schemaType, type FieldSchema, type TypeRef, type TypeSchema } from "../../api/schema/index.ts";

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const serverOwned = new Set(["status", "metadata"]);

/** Required and enum errors for `obj`, with upstream field paths (`spec.containers[0].name`). */
export function schemaFieldErrors(type: TypeSchema, obj: JsonMap): FieldError[] {
  const errors: FieldError[] = [];
  checkStruct(type, obj, [], errors, serverOwned);
  return errors;
}

/**
 * The path walked to a value, as the pieces of its text (`spec`, `.containers`, `[0]`): it is
 * written out only for an error, and most objects have none.
 */
type Path = string[];

function fieldPath(path: Path, name: string): string {
  return path.length ? `${path.join("")}.${name}` : name;
}

// "[0]" … "[63]", the pieces of the list indexes most paths have.
const indexPieces = Array.from({ length: 64 }, (_, i) => `[${i}]`);

/** What to look at in objects of one type: fields with a rule, and fields leading to some. */
interface Plan {
  checked: FieldSchema[];
  nested: FieldSchema[];
  /** `.<name>` of each nested field, its piece of a path below the top level. */
  nestedPieces: string[];
}

const plans = new WeakMap<TypeSchema, Plan>();

function planOf(t: TypeSchema): Plan {
  let plan = plans.get(t);
  if (plan) return plan;
  // Registered before it is filled so recursive types terminate.
  plan = { checked: [], nested: [], nestedPieces: [] };
  plans.set(t, plan);
  for (const f of t.jsonFields) {
    if (f.required || f.enum) plan.checked.push(f);
    const inner = structOf(f.type);
    if (inner && inner !== t && hasRules(planOf(inner))) plan.nested.push(f);
    else if (inner === t) plan.nested.push(f);
  }
  plan.nestedPieces = plan.nested.map((f) => `.${f.name}`);
  return plan;
}

function hasRules(plan: Plan): boolean {
  return plan.checked.length > 0 || plan.nested.length > 0;
}

function structOf(ref: TypeRef): TypeSchema | undefined {
  if (ref.kind === "array") return structOf(ref.items);
  if (ref.kind === "map") return structOf(ref.values);
  if (ref.kind !== "ref") return undefined;
  const t = schemaType(ref.name);
  return t && !t.special ? t : undefined;
}

function isMissing(f: FieldSchema, v: unknown): boolean {
  if (f.type.kind === "scalar") return f.type.scalar !== "bool" && (v === undefined || v === "");
  if (f.type.kind === "array") return !Array.isArray(v) || v.length === 0;
  return false;
}

function checkStruct(t: TypeSchema, obj: JsonMap, path: Path, errors: FieldError[], skip?: Set<string>): void {
  const plan = planOf(t);
  for (const f of plan.checked) {
    if (skip?.has(f.name)) continue;
    const v = obj[f.name];
    if (f.required && isMissing(f, v)) errors.push({ type: "FieldValueRequired", field: fieldPath(path, f.name) });
    if (f.enum && typeof v === "string" && v && !f.enum.includes(v)) {
      errors.push({ type: "FieldValueNotSupported", field: fieldPath(path, f.name), value: v, detail: `supported values: ${f.enum.map((e) => JSON.stringify(e)).join(", ")}` });
    }
  }
  for (let i = 0; i < plan.nested.length; i++) {
    const f = plan.nested[i]!;
    const v = obj[f.name];
    if (v === undefined || skip?.has(f.name)) continue;
    path.push(path.length ? plan.nestedPieces[i]! : f.name);
    descend(f.type, v, path, errors);
    path.pop();
  }
}

function descend(ref: TypeRef, v: unknown, path: Path, errors: FieldError[]): void {
  if (ref.kind === "array" && Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      path.push(indexPieces[i] ?? `[${i}]`);
      descend(ref.items, v[i], path, errors);
      path.pop();
    }
  } else if (ref.kind === "map" && isMap(v)) {
    for (const k of Object.keys(v)) {
      path.push(`[${k}]`);
      descend(ref.values, v[k], path, errors);
      path.pop();
    }
  } else if (ref.kind === "ref" && isMap(v)) {
    const t = schemaType(ref.name);
    if (t && !t.special) checkStruct(t, v, path, errors);
  }
}

/** Fields that may be set once (from empty) and never changed after, per kind. */
const setOnce: Record<string, { field: string; get: (o: JsonMap) => unknown; detail: string }[]> = {
  Node: [
    { field: "spec.podCIDRs", get: (o) => (o.spec as JsonMap | undefined)?.podCIDRs ?? [], detail: 'node updates may not change podCIDR except from "" to valid' },
    { field: "spec.providerID", get: (o) => (o.spec as JsonMap | undefined)?.providerID ?? "", detail: 'node updates may not change providerID except from "" to valid' },
  ],
};

/** Errors for set-once fields an update changes. */
export function immutableFieldErrors(kind: string, obj: JsonMap, old: JsonMap): FieldError[] {
  const errors: FieldError[] = [];
  for (const rule of setOnce[kind] ?? []) {
    const before = rule.get(old);
    const empty = before === "" || (Array.isArray(before) && before.length === 0);
    if (!empty && JSON.stringify(before) !== JSON.stringify(rule.get(obj))) errors.push({ type: "FieldValueForbidden", field: rule.field, detail: rule.detail });
  }
  return errors;
}

/**
 * Adds the schema's errors for a `kind` in `apiVersion` to a strategy's errors, skipping fields
 * the strategy already reported. `old` is the stored object on update.
 */
export function withSchemaErrors(apiVersion: string, kind: string, obj: JsonMap, errors: FieldError[], old?: JsonMap): FieldError[] {
  const type = kindType(apiVersion, kind);
  if (!type) return errors;
  const reported = new Set(errors.map((e) => e.field));
  const extra = [...schemaFieldErrors(type, obj), ...(old ? immutableFieldErrors(type.shortName, obj, old) : [])];
  return [...errors, ...extra.filter((e) => !reported.has(e.field))];
}
