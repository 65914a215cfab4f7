// Generates api/schema/generated/*.ts: the type facts kapi needs (field names, protobuf numbers,
// types, requiredness and list/map/patch markers) for every served kind, read from upstream
// k8s.io/api and k8s.io/apimachinery generated.proto files. Prose is never copied.
//
//   bun scripts/gen-schema.ts <proto-dir> [python-models-dir]
//
// <proto-dir> holds one generated.proto per package (any file name ending in .proto).
// [python-models-dir] is the `kubernetes/client/models` folder of the official Python client
// (Debian's python3-kubernetes): its models say which fields upstream OpenAPI marks required;
// without it requiredness comes from the `+optional` / `+required` markers alone.
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { packageAliases, type FieldFacts, type FieldOptions, type TypeFacts } from "../api/schema/facts.ts";
import { enums, inlineFields, jsonNames, jsonOnlyTypes, kinds, notRequired, pointerFields, specialTypes } from "./gen-schema-facts.ts";

interface ProtoField {
  label: string;
  type: string;
  mapValue?: string;
  name: string;
  number: number;
  markers: Map<string, string[]>;
}

interface ProtoMessage {
  alias: string;
  name: string;
  markers: Map<string, string[]>;
  fields: ProtoField[];
}

const scalars: Record<string, string> = { string: "string", int32: "int32", int64: "int64", bool: "bool", double: "double", float: "double", bytes: "bytes" };
const aliasOfPackage = new Map(Object.entries(packageAliases).map(([alias, pkg]) => [pkg.replace(/^io\.k8s\./, "k8s.io."), alias]));

function main(): void {
  const [protoDir, pythonDir] = process.argv.slice(2);
  if (!protoDir) throw new Error("usage: bun scripts/gen-schema.ts <proto-dir> [python-models-dir]");
  const messages = new Map<string, ProtoMessage>();
  for (const file of readdirSync(protoDir).filter((f) => f.endsWith(".proto")).sort()) {
    for (const m of parseProto(readFileSync(join(protoDir, file), "utf8"))) messages.set(`${m.alias}.${m.name}`, m);
  }
  const python = pythonDir ? loadPython(pythonDir) : undefined;
  const needed = closure(messages);
  const byAlias = new Map<string, [string, TypeFacts][]>();
  for (const full of [...needed].sort()) {
    const [alias, name] = splitName(full);
    const facts = jsonOnlyTypes[full] ?? toFacts(messages.get(full)!, python);
    if (!byAlias.has(alias)) byAlias.set(alias, []);
    byAlias.get(alias)!.push([name, facts]);
  }
  const outDir = resolve(import.meta.dir, "../api/schema/generated");
  mkdirSync(outDir, { recursive: true });
  for (const [alias, types] of byAlias) writeFileSync(join(outDir, `${alias}.ts`), renderTypes(alias, types));
  writeFileSync(join(outDir, "index.ts"), renderIndex([...byAlias.keys()].sort()));
  console.log(`wrote ${needed.size} types in ${byAlias.size} packages to ${outDir}`);
}

/** Reads messages, fields and `+marker` comments; prose lines are skipped. */
function parseProto(text: string): ProtoMessage[] {
  const pkg = /^package\s+([\w.]+);/m.exec(text)?.[1] ?? "";
  const alias = aliasOfPackage.get(pkg);
  if (!alias) return [];
  const out: ProtoMessage[] = [];
  let markers = new Map<string, string[]>();
  let current: ProtoMessage | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("// +")) {
      for (const m of line.slice(3).matchAll(/\+([\w.:()-]+)(?:=(\S+))?/g)) {
        const values = markers.get(m[1]) ?? [];
        values.push(m[2] ?? "");
        markers.set(m[1], values);
      }
      continue;
    }
    if (line.startsWith("//") || !line) continue;
    const message = /^message\s+(\w+)\s*\{/.exec(line);
    if (message) {
      current = { alias, name: message[1], markers, fields: [] };
      out.push(current);
      markers = new Map();
      continue;
    }
    const field = /^(optional|repeated|required)?\s*(map<\s*string\s*,\s*([\w.]+)\s*>|[\w.]+)\s+(\w+)\s*=\s*(\d+)\s*;/.exec(line);
    if (field && current) {
      current.fields.push({ label: field[1] ?? "optional", type: field[3] ? "map" : field[2], mapValue: field[3], name: field[4], number: Number(field[5]), markers });
    }
    markers = new Map();
  }
  return out;
}

/** Every type reachable from the served kinds. */
function closure(messages: Map<string, ProtoMessage>): Set<string> {
  const seen = new Set<string>();
  const visit = (full: string) => {
    if (seen.has(full)) return;
    seen.add(full);
    const [alias] = splitName(full);
    const json = jsonOnlyTypes[full];
    if (json) {
      for (const [, , ref] of json.f) visitRef(ref, alias, visit);
      return;
    }
    const m = messages.get(full);
    if (!m) throw new Error(`missing message ${full}`);
    for (const f of m.fields) {
      const ref = typeRef(f.mapValue ?? f.type, alias);
      if (!scalars[ref]) visitRef(ref, alias, visit);
    }
  };
  for (const [, , , typeName] of kinds) visit(typeName);
  return seen;
}

function visitRef(ref: string, alias: string, visit: (full: string) => void): void {
  const bare = ref.replace(/^(\[\]|\{\})/, "");
  if (scalars[bare] || bare === "any") return;
  visit(bare.includes(".") ? bare : `${alias}.${bare}`);
}

/** A proto type as a reference: scalar, local name, or alias.Name. */
function typeRef(type: string, alias: string): string {
  if (scalars[type]) return scalars[type];
  const name = type.replace(/^\./, "");
  const dot = name.lastIndexOf(".");
  if (dot < 0) return name;
  const otherAlias = aliasOfPackage.get(name.slice(0, dot));
  if (!otherAlias) throw new Error(`unknown package in ${type}`);
  return otherAlias === alias ? name.slice(dot + 1) : `${otherAlias}.${name.slice(dot + 1)}`;
}

function toFacts(m: ProtoMessage, python: PythonModels | undefined): TypeFacts {
  const full = `${m.alias}.${m.name}`;
  const model = pythonFileNames(m.alias, m.name).map((file) => python?.get(file)).find(Boolean);
  const facts: TypeFacts = { f: m.fields.map((f) => fieldFacts(m, f, model)) };
  const structType = m.markers.get("structType")?.[0];
  if (structType === "atomic" || structType === "granular") facts.st = structType;
  if (specialTypes[full]) facts.sp = specialTypes[full];
  return facts;
}

function fieldFacts(m: ProtoMessage, f: ProtoField, model: PythonModel | undefined): FieldFacts {
  const full = `${m.alias}.${m.name}`;
  let json = jsonNames[`${full}.${f.name}`] ?? f.name;
  if (model && !model.json.includes(json)) {
    const match = model.json.find((j) => j.toLowerCase() === json.toLowerCase());
    if (match) json = match;
  }
  const base = typeRef(f.mapValue ?? f.type, m.alias);
  const ref = f.type === "map" ? `{}${base}` : f.label === "repeated" ? `[]${base}` : base;
  const opts: FieldOptions = {};
  const marker = (k: string) => f.markers.get(k);
  const isInline = inlineFields.has(`${full}.${f.name}`);
  if (isInline) opts.in = 1;
  else if (isRequired(full, json, f, model)) opts.r = 1;
  if (pointerFields.has(`${full}.${json}`)) opts.p = 1;
  const ps = marker("patchStrategy")?.[0];
  if (ps) opts.ps = ps;
  const pk = marker("patchMergeKey")?.[0];
  if (pk) opts.pk = pk;
  const lt = marker("listType")?.[0];
  if (lt && f.label === "repeated") opts.lt = lt as FieldOptions["lt"];
  const lk = marker("listMapKey");
  if (lk && f.label === "repeated") opts.lk = lk;
  const mt = marker("mapType")?.[0];
  if (mt && f.type === "map") opts.mt = mt as FieldOptions["mt"];
  const e = enums[`${full}.${json}`];
  if (e) opts.e = e;
  if (json !== f.name) opts.pn = f.name;
  return Object.keys(opts).length ? [json, f.number, ref, opts] : [json, f.number, ref];
}

function isRequired(full: string, json: string, f: ProtoField, model: PythonModel | undefined): boolean {
  if (notRequired.has(`${full}.${json}`)) return false;
  if (model) return model.required.has(json);
  if (f.markers.has("required")) return true;
  return !f.markers.has("optional");
}

interface PythonModel {
  json: string[];
  required: Set<string>;
}
type PythonModels = Map<string, PythonModel>;

/** Reads attribute maps and required checks from the Python client's model files. */
function loadPython(dir: string): PythonModels {
  const models: PythonModels = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".py"))) {
    const text = readFileSync(join(dir, file), "utf8");
    const attrMap = /attribute_map = \{([^}]*)\}/.exec(text)?.[1] ?? "";
    const pairs = [...attrMap.matchAll(/'(\w+)':\s*'([^']+)'/g)].map((m) => [m[1], m[2]] as const);
    const byPython = new Map(pairs);
    const required = new Set<string>();
    for (const m of text.matchAll(/Invalid value for `(\w+)`, must not be `None`/g)) required.add(byPython.get(m[1]) ?? m[1]);
    models.set(file, { json: pairs.map(([, j]) => j), required });
  }
  return models;
}

/** The Python client names models v1_<snake>.py, or <group>_v1_<snake>.py where names clash. */
function pythonFileNames(alias: string, name: string): string[] {
  const snake = name.replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
  return [`${alias}_v1_${snake}.py`, `v1_${snake}.py`];
}

function splitName(full: string): [string, string] {
  const dot = full.indexOf(".");
  return [full.slice(0, dot), full.slice(dot + 1)];
}

function renderTypes(alias: string, types: [string, TypeFacts][]): string {
  const lines = [
    "// Generated by scripts/gen-schema.ts from upstream generated.proto facts. Do not edit.",
    'import type { TypeFacts } from "../facts.ts";',
    "",
    `/** Types of ${packageAliases[alias]}. */`,
    "export const types: Record<string, TypeFacts> = {",
  ];
  for (const [name, facts] of types) {
    const { f, ...rest } = facts;
    const head = Object.entries(rest).map(([k, v]) => `${k}: ${JSON.stringify(v)}, `).join("");
    lines.push(`  ${name}: {`, `    ${head}f: [`);
    for (const field of f) lines.push(`      ${JSON.stringify(field)},`);
    lines.push("    ],", "  },");
  }
  lines.push("};", "");
  return lines.join("\n");
}

function renderIndex(aliases: string[]): string {
  const imports = aliases.map((a) => `import { types as ${a} } from "./${a}.ts";`);
  return [
    "// Generated by scripts/gen-schema.ts. Do not edit.",
    'import type { KindFacts, TypeFacts } from "../facts.ts";',
    ...imports,
    "",
    "/** Type facts per package alias (see packageAliases). */",
    `export const packages: Record<string, Record<string, TypeFacts>> = { ${aliases.join(", ")} };`,
    "",
    "/** Served kinds: [group, version, kind, alias.Type]. */",
    "export const kinds: KindFacts[] = [",
    ...kinds.map((k) => `  ${JSON.stringify(k)},`),
    "];",
    "",
  ].join("\n");
}

main();
