// Reading objects for `-f`: files, directories (optionally recursive), `-` for stdin and
// http(s) URLs; YAML or JSON, several documents per file, `List` kinds flattened. Problems
// with one document are collected, as kubectl collects them, while a missing path is fatal.

import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";

/** One object read from a source. */
export interface SourceObject {
  /** The file path, the URL, or `STDIN`. */
  source: string;
  object: Record<string, unknown>;
}

/** Objects plus the per-document errors met while reading them. */
export interface ReadResult {
  objects: SourceObject[];
  errors: Error[];
}

/** A problem with the `-f` arguments themselves (kubectl stops before any request). */
export class FileArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileArgumentError";
  }
}

const EXTENSIONS = new Set([".json", ".yaml", ".yml"]);

/** Reads every `-f` argument in order; throws FileArgumentError for a path that does not exist. */
export async function readResourceFiles(filenames: string[], opts: { recursive?: boolean; readStdin?: () => Promise<string> } = {}): Promise<ReadResult> {
  const result: ReadResult = { objects: [], errors: [] };
  const sources: { name: string; text: () => Promise<string> }[] = [];
  for (const f of filenames) {
    if (f === "-") {
      sources.push({ name: "STDIN", text: opts.readStdin ?? (() => Bun.stdin.text()) });
    } else if (/^https?:\/\//.test(f)) {
      sources.push({ name: f, text: () => fetchText(f) });
    } else {
      if (!existsSync(f)) throw new FileArgumentError(`the path "${f}" does not exist`);
      for (const file of expandPath(f, opts.recursive ?? false)) sources.push({ name: file, text: async () => readFileSync(file, "utf8") });
    }
  }
  for (const s of sources) {
    const { parseYamlDocuments } = await import("../api/yaml.ts");
    let docs: unknown[];
    try {
      docs = parseYamlDocuments(await s.text());
    } catch (err) {
      result.errors.push(new Error(`error parsing ${s.name}: error converting YAML to JSON: ${yamlProblem(err)}`));
      continue;
    }
    for (const doc of docs) collect(doc, s.name, result);
  }
  return result;
}

// go-yaml's `yaml: line N: reason` shape, with the parser's own reason.
function yamlProblem(err: unknown): string {
  const e = err as { message?: string; linePos?: { line: number }[] };
  const reason = (e.message ?? String(err)).split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
  const line = e.linePos?.[0]?.line;
  return line ? `yaml: line ${line}: ${reason}` : `yaml: ${reason}`;
}

function collect(doc: unknown, source: string, result: ReadResult): void {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    result.errors.push(new Error(`error validating data from ${source}: the document is not an object`));
    return;
  }
  const obj = doc as Record<string, unknown>;
  if (!obj.kind) {
    result.errors.push(new Error(`unable to decode "${source}": Object 'Kind' is missing in '${JSON.stringify(obj)}'`));
    return;
  }
  if (typeof obj.kind === "string" && obj.kind.endsWith("List") && Array.isArray(obj.items)) {
    for (const item of obj.items) collect(item, source, result);
    return;
  }
  result.objects.push({ source, object: obj });
}

function expandPath(path: string, recursive: boolean): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const full = join(path, name);
    if (statSync(full).isDirectory()) {
      if (recursive) out.push(...expandPath(full, true));
    } else if (EXTENSIONS.has(extname(name).toLowerCase())) {
      out.push(full);
    }
  }
  return out;
}

async function fetchText(url: string): Promise<string> {
  const res = await fetch(url);
  if (!res.ok) throw new FileArgumentError(`unable to read URL "${url}", server reported ${res.status} ${res.statusText}, status code=${res.status}`);
  return res.text();
}
