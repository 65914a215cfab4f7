// The printers for whole objects (kubectl's generic printers): json, yaml, name, jsonpath,
// jsonpath-as-json, jsonpath-file, custom-columns and custom-columns-file. A `List` is
// printed as one document by json/yaml/jsonpath and item by item by name/custom-columns.

import { readFileSync } from "node:fs";
import { JsonPathTemplate } from "../jsonpath/index.ts";
import { parseCustomColumns, parseCustomColumnsFile, renderCustomColumns, type CustomColumn } from "./custom-columns.ts";
import { goJson } from "./go-json.ts";
import { GET_OUTPUT_FORMATS } from "./formats.ts";
import { goYaml } from "./go-yaml.ts";

type Obj = Record<string, unknown>;

/** Settings that shape generic output. */
export interface ObjectPrinterOptions {
  noHeaders?: boolean;
  allowMissingKeys?: boolean;
  /** Keep metadata.managedFields in json/yaml (kubectl drops them by default). */
  showManagedFields?: boolean;
}

/** Renders objects one `print` call at a time (yaml separates documents with `---`). */
export interface ObjectPrinter {
  print(obj: unknown): string;
}

/** A printer for `-o <format>[=<arg>]`; throws kubectl's messages for a missing or bad argument. */
export function createObjectPrinter(format: string, arg: string, opts: ObjectPrinterOptions = {}): ObjectPrinter {
  switch (format) {
    case "json":
      return { print: (o) => `${goJson(strip(o, opts))}\n` };
    case "yaml": {
      let count = 0;
      return { print: (o) => `${count++ > 0 ? "---\n" : ""}${goYaml(strip(o, opts))}` };
    }
    case "name":
      return { print: (o) => itemsOf(o).map((i) => `${nameOf(i)}\n`).join("") };
    case "jsonpath":
    case "jsonpath-as-json":
    case "jsonpath-file": {
      if (!arg) throw new Error("template format specified but no template given");
      const text = format === "jsonpath-file" ? readTemplateFile(arg) : arg;
      const t = new JsonPathTemplate(text, { allowMissingKeys: opts.allowMissingKeys ?? true, asJson: format === "jsonpath-as-json" });
      return { print: (o) => t.execute(o) };
    }
    case "custom-columns":
    case "custom-columns-file": {
      if (format === "custom-columns-file" && !arg) throw new Error("custom-columns-file format specified but no custom columns file given");
      const columns: CustomColumn[] = format === "custom-columns" ? parseCustomColumns(arg) : parseCustomColumnsFile(arg);
      return { print: (o) => renderCustomColumns(columns, itemsOf(o), opts.noHeaders ?? false) };
    }
  }
  if (format === "go-template" || format === "go-template-file" || format === "template" || format === "templatefile") {
    throw new Error(`--output=${format} is not supported by kapi yet`);
  }
  throw new Error(`unable to match a printer suitable for the output format ${JSON.stringify(format + (arg ? `=${arg}` : ""))}, allowed formats are: ${GET_OUTPUT_FORMATS.join(",")}`);
}


/** `pod/web`, `deployment.apps/web`: what `-o name` prints for an object. */
export function nameOf(obj: unknown): string {
  const o = (obj ?? {}) as Obj;
  const apiVersion = String(o.apiVersion ?? "");
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const kind = String(o.kind ?? "").toLowerCase();
  const name = String(((o.metadata ?? {}) as Obj).name ?? "");
  return `${group ? `${kind}.${group}` : kind}/${name}`;
}

function itemsOf(o: unknown): unknown[] {
  const obj = (o ?? {}) as Obj;
  return typeof obj.kind === "string" && obj.kind.endsWith("List") && Array.isArray(obj.items) ? obj.items : [o];
}

function readTemplateFile(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`error reading --template ${path}, ${(err as Error).message}`);
  }
}

// kubectl hides metadata.managedFields in json and yaml unless asked to show them.
function strip(o: unknown, opts: ObjectPrinterOptions): unknown {
  if (opts.showManagedFields) return o;
  const obj = o as Obj;
  if (obj && Array.isArray(obj.items)) return { ...obj, items: obj.items.map((i) => strip(i, opts)) };
  const meta = obj?.metadata as Obj | undefined;
  if (!meta || !("managedFields" in meta)) return o;
  const { managedFields: _, ...rest } = meta;
  return { ...obj, metadata: rest };
}
