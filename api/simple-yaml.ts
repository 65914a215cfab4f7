// A fast reader for the plain block YAML that kubeconfig files are made of (nested mappings,
// sequences, plain or simply quoted strings, booleans, `{}` and `[]`). Anything else (flow
// collections, anchors, tags, block scalars, comments, numbers, YAML 1.1 oddities such as `y`)
// makes it give up and return undefined, so the caller falls back to the full YAML parser,
// whose results it never contradicts. It exists because loading that parser costs more than
// the rest of a `kapi get` on a warm cache.

interface Line {
  indent: number;
  text: string;
}

class Unsupported extends Error {}

const KEY = /^([A-Za-z0-9_./-]+):(?: (.*))?$/;
const PLAIN_STRING = /^(?:[A-Za-z/]|--)[A-Za-z0-9_./:@+=,~[\]-]*$/;

/** The document as plain JSON values, or undefined when it is not in the simple subset. */
export function parseSimpleYaml(text: string): unknown {
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") continue;
    if (line.includes("\t") || line.trimEnd() !== line) return undefined;
    const indent = line.length - line.trimStart().length;
    const body = line.slice(indent);
    if (body.startsWith("#") || body === "---" || body.startsWith("%")) return undefined;
    lines.push({ indent, text: body });
  }
  if (lines.length === 0) return undefined;
  try {
    const at = { i: 0 };
    const value = block(lines, at, lines[0]!.indent);
    return at.i === lines.length ? value : undefined;
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

// A mapping or a sequence whose entries start at `indent`.
function block(lines: Line[], at: { i: number }, indent: number): unknown {
  const first = lines[at.i]!;
  if (first.indent !== indent) throw new Unsupported();
  return first.text === "-" || first.text.startsWith("- ") ? sequence(lines, at, indent) : mapping(lines, at, indent, {});
}

function mapping(lines: Line[], at: { i: number }, indent: number, into: Record<string, unknown>): Record<string, unknown> {
  while (at.i < lines.length && lines[at.i]!.indent === indent && !lines[at.i]!.text.startsWith("- ")) {
    const m = KEY.exec(lines[at.i]!.text);
    if (!m || Object.hasOwn(into, m[1]!) || m[1] === "<<") throw new Unsupported();
    at.i++;
    into[m[1]!] = m[2] === undefined ? nested(lines, at, indent) : scalar(m[2]);
  }
  if (at.i < lines.length && lines[at.i]!.indent > indent) throw new Unsupported();
  return into;
}

// What follows `key:` with nothing after it: a deeper block, a sequence at the same indent, or null.
function nested(lines: Line[], at: { i: number }, indent: number): unknown {
  const next = lines[at.i];
  if (!next) return null;
  if (next.indent > indent) return block(lines, at, next.indent);
  if (next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) return sequence(lines, at, indent);
  return null;
}

function sequence(lines: Line[], at: { i: number }, indent: number): unknown[] {
  const items: unknown[] = [];
  while (at.i < lines.length && lines[at.i]!.indent === indent && (lines[at.i]!.text === "-" || lines[at.i]!.text.startsWith("- "))) {
    const rest = lines[at.i]!.text.slice(2);
    if (rest === "" || lines[at.i]!.text === "-") throw new Unsupported();
    const m = KEY.exec(rest);
    if (!m) {
      at.i++;
      items.push(scalar(rest));
      continue;
    }
    // `- key: value` opens a mapping whose further keys sit two columns deeper.
    const entryIndent = indent + 2;
    const entry: Record<string, unknown> = {};
    at.i++;
    entry[m[1]!] = m[2] === undefined ? nested(lines, at, entryIndent) : scalar(m[2]);
    if (at.i < lines.length && lines[at.i]!.indent === entryIndent) mapping(lines, at, entryIndent, entry);
    items.push(entry);
  }
  return items;
}

function scalar(text: string): unknown {
  if (text === "{}") return {};
  if (text === "[]") return [];
  if (text === "true") return true;
  if (text === "false") return false;
  if (text === "null" || text === "~") return null;
  if (text === '""' || text === "''") return "";
  const quoted = /^"([^"\\]*)"$/.exec(text) ?? /^'([^']*)'$/.exec(text);
  if (quoted) return quoted[1];
  // Anything that YAML 1.1 could read as a number, a boolean (y, on, …) or a null goes to the full parser.
  if (!PLAIN_STRING.test(text) || /^(y|yes|n|no|on|off|true|false|null)$/i.test(text) || text.endsWith(":")) throw new Unsupported();
  return text;
}
