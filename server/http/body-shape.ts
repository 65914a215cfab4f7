// JSON type checks for the fields strategies read, reported as Go's decoder reports them
// (a 400 decode error). The schema registry's typed decoding covers every field; this keeps
// the common ones from ever reaching strategy code with the wrong type.

type Shape = "object" | "array" | "string" | "stringMap" | "quantityMap" | "objectArray";

const rules: Record<string, [path: string, shape: Shape, goType: string][]> = {
  ConfigMap: [
    ["data", "stringMap", "map[string]string"],
    ["binaryData", "stringMap", "map[string][]uint8"],
  ],
  Secret: [
    ["data", "stringMap", "map[string][]uint8"],
    ["stringData", "stringMap", "map[string]string"],
    ["type", "string", "v1.SecretType"],
  ],
  Pod: podRules("spec"),
  Deployment: [["spec", "object", "v1.DeploymentSpec"], ["spec.selector", "object", "v1.LabelSelector"], ["spec.template", "object", "v1.PodTemplateSpec"], ...podRules("spec.template.spec")],
  ReplicaSet: [["spec", "object", "v1.ReplicaSetSpec"], ["spec.selector", "object", "v1.LabelSelector"], ["spec.template", "object", "v1.PodTemplateSpec"], ...podRules("spec.template.spec")],
  Service: [["spec", "object", "v1.ServiceSpec"], ["spec.ports", "objectArray", "[]v1.ServicePort"], ["spec.selector", "stringMap", "map[string]string"]],
};

function podRules(spec: string): [string, Shape, string][] {
  return [
    [spec, "object", "v1.PodSpec"],
    [`${spec}.containers`, "objectArray", "[]v1.Container"],
    [`${spec}.initContainers`, "objectArray", "[]v1.Container"],
    [`${spec}.containers[].ports`, "objectArray", "[]v1.ContainerPort"],
    [`${spec}.containers[].env`, "objectArray", "[]v1.EnvVar"],
    [`${spec}.containers[].resources`, "object", "v1.ResourceRequirements"],
    [`${spec}.containers[].resources.limits`, "quantityMap", "v1.ResourceList"],
    [`${spec}.containers[].resources.requests`, "quantityMap", "v1.ResourceList"],
    [`${spec}.tolerations`, "objectArray", "[]v1.Toleration"],
    [`${spec}.volumes`, "objectArray", "[]v1.Volume"],
    [`${spec}.nodeSelector`, "stringMap", "map[string]string"],
  ];
}

/** The decode error for a mistyped field of a known kind, or undefined. */
export function bodyShapeError(kind: string, obj: Record<string, unknown>): string | undefined {
  for (const [path, shape, goType] of rules[kind] ?? []) {
    for (const { value, at } of valuesAt(obj, path.split("."))) {
      if (value === undefined || value === null) continue;
      if (!fits(value, shape)) return `json: cannot unmarshal ${jsonType(value)} into Go struct field ${kind}.${at} of type ${goType}`;
    }
  }
  return undefined;
}

function valuesAt(obj: unknown, segments: string[], at = ""): { value: unknown; at: string }[] {
  if (!segments.length) return [{ value: obj, at }];
  if (!obj || typeof obj !== "object") return [];
  const [head, ...rest] = segments;
  const many = head.endsWith("[]");
  const key = many ? head.slice(0, -2) : head;
  const next = (obj as Record<string, unknown>)[key];
  const path = at ? `${at}.${key}` : key;
  if (!many) return valuesAt(next, rest, path);
  return Array.isArray(next) ? next.flatMap((item) => valuesAt(item, rest, path)) : [];
}

function fits(value: unknown, shape: Shape): boolean {
  const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  switch (shape) {
    case "object":
      return isObject(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "stringMap":
      return isObject(value) && Object.values(value as object).every((v) => typeof v === "string");
    case "quantityMap":
      return isObject(value) && Object.values(value as object).every((v) => typeof v === "string" || typeof v === "number");
    case "objectArray":
      return Array.isArray(value) && value.every(isObject);
  }
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return "array";
  if (value === null) return "null";
  return typeof value === "boolean" ? "bool" : typeof value;
}
