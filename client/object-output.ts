// What mutating commands (create, delete, …) print for the objects they touched: kubectl's
// name printer (`deployment.apps/web created (dry run)`), and -o json|yaml|name.

import { OBJECT_OUTPUT_FORMATS } from "./printers/formats.ts";
import { writeStdout } from "./stdio.ts";

type Obj = Record<string, unknown>;

/** How one object is printed. */
export interface ObjectOutputOptions {
  /** The -o value; "" for the default `kind/name <operation>` line. */
  output: string;
  /** `created`, `deleted`, … for the default line. */
  operation: string;
  dryRun?: "client" | "server" | "none";
  /** Sort keys in -o json (kubectl's unstructured objects); typed objects keep their field order. */
  sortKeys?: boolean;
  showManagedFields?: boolean;
  /** --allow-missing-template-keys (jsonpath). */
  allowMissingKeys?: boolean;
}

/** Fails with kubectl's message unless `output` is one the object printers know. */
export function checkObjectOutput(output: string): void {
  const format = output.split("=")[0]!;
  if (output === "" || OBJECT_OUTPUT_FORMATS.includes(format)) return;
  throw new Error(
    `unable to match a printer suitable for the output format ${JSON.stringify(output)}, allowed formats are: ${OBJECT_OUTPUT_FORMATS.join(",")}`,
  );
}

/** `kind.group` as kubectl's name printer spells it: `deployment.apps`, `pod`. */
export function kindGroup(obj: Obj): string {
  const kind = String(obj.kind ?? "").toLowerCase();
  const apiVersion = String(obj.apiVersion ?? "");
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  return group ? `${kind}.${group}` : kind;
}

/** ` (dry run)` / ` (server dry run)` / nothing. */
export function dryRunSuffix(dryRun: ObjectOutputOptions["dryRun"]): string {
  return dryRun === "client" ? " (dry run)" : dryRun === "server" ? " (server dry run)" : "";
}

/** Renders one object the way kubectl prints it after a mutation. */
export async function formatObject(obj: Obj, opts: ObjectOutputOptions): Promise<string> {
  const eq = opts.output.indexOf("=");
  const format = eq >= 0 ? opts.output.slice(0, eq) : opts.output;
  const name = String((obj.metadata as Obj | undefined)?.name ?? "");
  if (format === "") return `${kindGroup(obj)}/${name} ${opts.operation}${dryRunSuffix(opts.dryRun)}\n`;
  if (format === "name") return `${kindGroup(obj)}/${name}\n`;
  if (format === "json" && !opts.sortKeys) {
    // Typed objects keep their Go struct field order.
    return `${goJson(opts.showManagedFields ? obj : withoutManagedFields(obj), 4)}\n`;
  }
  const { createObjectPrinter } = await import("./printers/object-printer.ts");
  const printer = createObjectPrinter(format, eq >= 0 ? opts.output.slice(eq + 1) : "", { showManagedFields: opts.showManagedFields, allowMissingKeys: opts.allowMissingKeys });
  return printer.print(obj);
}

/** formatObject, written to stdout. */
export async function printObject(obj: Obj, opts: ObjectOutputOptions): Promise<void> {
  writeStdout(await formatObject(obj, opts));
}

/** JSON as Go's encoding/json writes it: `<`, `>`, `&`, U+2028/9 escaped; `indent` spaces (0: compact). */
export function goJson(value: unknown, indent = 0): string {
  const text = indent ? JSON.stringify(value, null, indent) : JSON.stringify(value);
  return text.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A copy without metadata.managedFields (kubectl hides them unless --show-managed-fields). */
export function withoutManagedFields(obj: Obj): Obj {
  const meta = obj.metadata as Obj | undefined;
  if (!meta || !("managedFields" in meta)) return obj;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}

/** A deep copy with object keys sorted, as Go's encoding/json writes maps. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Obj = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Obj)[key]);
  return out;
}
