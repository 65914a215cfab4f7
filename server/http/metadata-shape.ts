// Type checks on ObjectMeta that Go's decoder performs before anything else sees the object;
// a wrong JSON type there is a 400 decode error upstream, not a validation error.

const stringFields = ["name", "generateName", "namespace", "uid", "resourceVersion"];
const stringMaps = ["labels", "annotations"];

/** The decode error for a mistyped metadata field, or undefined when the shape is right. */
export function metadataShapeError(meta: unknown): string | undefined {
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    return `json: cannot unmarshal ${jsonType(meta)} into Go struct field .metadata of type v1.ObjectMeta`;
  }
  const m = meta as Record<string, unknown>;
  for (const field of stringFields) {
    if (m[field] !== undefined && m[field] !== null && typeof m[field] !== "string") return mismatch(m[field], `metadata.${field}`, "string");
  }
  for (const field of stringMaps) {
    const value = m[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== "object" || Array.isArray(value)) return mismatch(value, `metadata.${field}`, "map[string]string");
    for (const v of Object.values(value)) {
      if (typeof v !== "string") return mismatch(v, `metadata.${field}`, "string");
    }
  }
  if (m.finalizers !== undefined && m.finalizers !== null) {
    if (!Array.isArray(m.finalizers)) return mismatch(m.finalizers, "metadata.finalizers", "[]string");
    const bad = m.finalizers.find((f) => typeof f !== "string");
    if (bad !== undefined) return mismatch(bad, "metadata.finalizers", "string");
  }
  if (m.ownerReferences !== undefined && m.ownerReferences !== null) {
    if (!Array.isArray(m.ownerReferences)) return mismatch(m.ownerReferences, "metadata.ownerReferences", "[]v1.OwnerReference");
    const bad = m.ownerReferences.find((r) => typeof r !== "object" || r === null || Array.isArray(r));
    if (bad !== undefined) return mismatch(bad, "metadata.ownerReferences", "v1.OwnerReference");
  }
  return undefined;
}

function mismatch(value: unknown, field: string, goType: string): string {
  return `json: cannot unmarshal ${jsonType(value)} into Go struct field ObjectMeta.${field} of type ${goType}`;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "boolean" ? "bool" : typeof value;
}
