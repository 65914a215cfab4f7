// Duplicate keys in a JSON or YAML body. JSON.parse keeps the last value silently; strict
// decoding upstream reports each repeated key (`duplicate field "metadata.name"`).

/** One repeated key: its strict-decoding path and the 1-based line it appears on. */
export interface DuplicateKey {
  path: string;
  key: string;
  line: number;
}

interface Frame {
  keys?: Set<string>;
  expectKey?: boolean;
  key?: string;
  index: number;
}

/**
 * Repeated object keys of a valid JSON text, in document order. `parsed`, a value the text may
 * be the JSON of, saves the scan when JSON.stringify gives the text back: a JavaScript value
 * has no repeated keys, so neither has its JSON (compact bodies, as clients send them, pass).
 */
export function duplicateJsonKeys(text: string, parsed?: unknown): DuplicateKey[] {
  if (parsed !== undefined && JSON.stringify(parsed) === text) return [];
  const out: DuplicateKey[] = [];
  const stack: Frame[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 0x7b) stack.push({ keys: new Set(), expectKey: true, index: 0 });
    else if (c === 0x5b) stack.push({ index: 0 });
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (c === 0x2c) {
      const top = stack[stack.length - 1];
      if (top?.keys) top.expectKey = true;
      else if (top) top.index++;
    } else if (c === 0x22) {
      const start = i;
      i = closingQuote(text, i);
      const top = stack[stack.length - 1];
      if (!top?.keys || !top.expectKey) continue;
      const raw = text.slice(start + 1, i);
      const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
      top.expectKey = false;
      if (top.keys.has(key)) out.push({ path: pathOf(stack, key), key, line });
      top.keys.add(key);
      top.key = key;
    }
  }
  return out;
}

/** The index of the quote closing the string that opens at `open` (JSON strings hold no raw newlines). */
function closingQuote(text: string, open: number): number {
  let j = text.indexOf('"', open + 1);
  while (j > 0) {
    let slashes = 0;
    while (text.charCodeAt(j - 1 - slashes) === 0x5c) slashes++;
    if (slashes % 2 === 0) return j;
    j = text.indexOf('"', j + 1);
  }
  return text.length;
}

function pathOf(stack: Frame[], key: string): string {
  let path = "";
  for (let i = 0; i < stack.length - 1; i++) {
    const f = stack[i];
    path += f.keys ? (path ? `.${f.key}` : f.key) : `[${f.index}]`;
  }
  return path ? `${path}.${key}` : key;
}

/** Repeated keys of a YAML document (paths are not tracked for YAML, only lines). */
export async function duplicateYamlKeys(text: string): Promise<DuplicateKey[]> {
  const { parseDocument } = await import("yaml");
  const doc = parseDocument(text, { version: "1.1", uniqueKeys: true });
  return doc.errors
    .filter((e) => e.code === "DUPLICATE_KEY")
    .map((e) => {
      const line = e.linePos?.[0]?.line ?? 0;
      const key = /^\s*"?([^":]+)"?\s*:/.exec(text.split("\n")[line - 1] ?? "")?.[1]?.trim() ?? "";
      return { path: key, key, line };
    });
}

/** Upstream's YAML strict error for repeated keys. */
export function yamlDuplicateError(dups: DuplicateKey[]): string {
  return `yaml: unmarshal errors:\n${dups.map((d) => `  line ${d.line}: key ${JSON.stringify(d.key)} already set in map`).join("\n")}`;
}
