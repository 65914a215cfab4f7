// How go-yaml v2 (behind kubectl's `-o yaml`) writes one string: plain when it would read back
// as the same string, otherwise single-quoted, double-quoted or a literal block, with long
// plain and quoted lines folded at spaces past column 80.

const BEST_WIDTH = 80;

const SPECIAL = new Set([
  "~", "null", "Null", "NULL",
  "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
  "true", "True", "TRUE", "false", "False", "FALSE",
  "on", "On", "ON", "off", "Off", "OFF",
  ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF",
  ".nan", ".NaN", ".NAN", "<<",
]);
const INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;
const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMPS = [
  /^\d{4}-\d{1,2}-\d{1,2}$/,
  /^\d{4}-\d{1,2}-\d{1,2}[Tt]\d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
  /^\d{4}-\d{1,2}-\d{1,2} \d{1,2}:\d{1,2}:\d{1,2}(\.\d+)?$/,
];

/** The output position a scalar starts at and the indentation of its continuation lines. */
export interface ScalarPlace {
  column: number;
  indent: number;
  /** Mapping keys are never folded or written as blocks. */
  simpleKey: boolean;
}

/** The scalar's text as written at `place`, possibly spanning lines. */
export function yamlString(s: string, place: ScalarPlace): string {
  const a = analyze(s);
  let style: "plain" | "single" | "double" | "literal" = s.includes("\n") ? "literal" : readsAsString(s) ? "plain" : "double";
  if (style === "plain" && (!a.plainAllowed || (place.simpleKey && a.multiline))) style = "single";
  if (style === "single" && !a.singleAllowed) style = "double";
  if (style === "literal" && (!a.blockAllowed || place.simpleKey)) style = "double";
  switch (style) {
    case "plain":
      return folded(s, place, "", "", false);
    case "single":
      return folded(s.replace(/'/g, "''"), place, "'", "'", false);
    case "double":
      return folded(doubleEscape(s), place, '"', '"', true);
    case "literal":
      return literal(s, place.indent);
  }
}

/** True when go-yaml's resolver reads the unquoted text as a string. */
export function readsAsString(s: string): boolean {
  if (s === "" || SPECIAL.has(s)) return false;
  if ("0123456789+-.".includes(s[0]!)) {
    const plain = s.replace(/_/g, "");
    if (INT.test(plain) || FLOAT.test(plain) || BASE60.test(s)) return false;
    if (/^[-+]?0[bB][01]+$/.test(plain)) return false;
    if (TIMESTAMPS.some((re) => re.test(s))) return false;
  }
  return true;
}

interface Analysis {
  plainAllowed: boolean;
  singleAllowed: boolean;
  blockAllowed: boolean;
  multiline: boolean;
}

const isBreak = (c: string) => c === "\n" || c === "\r" || c === "\u0085" || c === "\u2028" || c === "\u2029";
const isBlank = (c: string | undefined) => c === undefined || c === " " || c === "\t" || isBreak(c);

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

// The emitter's scalar analysis: which styles can carry this text faithfully.
function analyze(s: string): Analysis {
  const chars = [...s];
  let blockIndicators = false;
  let specials = false;
  let lineBreaks = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let prevSpace = false;
  let prevBreak = false;
  if (s.startsWith("---") || s.startsWith("...")) blockIndicators = true;
  let precededByWs = true;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const followedByWs = isBlank(chars[i + 1]);
    if (i === 0) {
      if ("#,[]{}&*!|>'\"%@`".includes(c)) blockIndicators = true;
      if ((c === "?" || c === ":" || c === "-") && followedByWs) blockIndicators = true;
    } else {
      if (c === ":" && followedByWs) blockIndicators = true;
      if (c === "#" && precededByWs) blockIndicators = true;
    }
    if (!isPrintable(c)) specials = true;
    if (isBreak(c)) lineBreaks = true;
    if (c === " ") {
      if (i === 0) leadingSpace = true;
      if (i === chars.length - 1) trailingSpace = true;
      if (prevBreak) breakSpace = true;
      prevSpace = true;
      prevBreak = false;
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true;
      if (i === chars.length - 1) trailingBreak = true;
      if (prevSpace) spaceBreak = true;
      prevBreak = true;
      prevSpace = false;
    } else {
      prevSpace = prevBreak = false;
    }
    precededByWs = isBlank(c);
  }
  let plain = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators);
  let single = true;
  let block = !trailingSpace;
  if (breakSpace) plain = single = false;
  if (spaceBreak || specials) plain = single = block = false;
  return { plainAllowed: plain, singleAllowed: single, blockAllowed: block, multiline: lineBreaks };
}

// Writes text between quotes, replacing a space by a line break when the line already runs
// past the best width (not for keys, and not at either end of the text).
function folded(text: string, place: ScalarPlace, open: string, close: string, escapeNextSpace: boolean): string {
  const chars = [...text];
  let out = open;
  let column = place.column + open.length;
  let spaces = false;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === " ") {
      const edge = open !== "" && (i === 0 || i === chars.length - 1);
      const canBreak = !place.simpleKey && !spaces && column > BEST_WIDTH && !edge && (escapeNextSpace || chars[i + 1] !== " ");
      if (canBreak) {
        out += `\n${" ".repeat(place.indent)}`;
        column = place.indent;
        if (escapeNextSpace && chars[i + 1] === " ") {
          out += "\\";
          column++;
        }
      } else {
        out += c;
        column++;
      }
      spaces = true;
    } else {
      out += c;
      column++;
      spaces = false;
    }
  }
  return out + close;
}

const ESCAPES: Record<string, string> = {
  "\0": "\\0",
  "\x07": "\\a",
  "\b": "\\b",
  "\t": "\\t",
  "\n": "\\n",
  "\x0b": "\\v",
  "\f": "\\f",
  "\r": "\\r",
  "\x1b": "\\e",
  '"': '\\"',
  "\\": "\\\\",
  "\u0085": "\\N",
  "\u00a0": "\\_",
  "\u2028": "\\L",
  "\u2029": "\\P",
};

function doubleEscape(s: string): string {
  let out = "";
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    const escape = !isPrintable(c) || cp === 0xfeff || isBreak(c) || c === '"' || c === "\\";
    if (!escape) out += c;
    else if (ESCAPES[c] !== undefined) out += ESCAPES[c];
    else {
      if (cp <= 0xff) out += `\\x${cp.toString(16).toUpperCase().padStart(2, "0")}`;
      else if (cp <= 0xffff) out += `\\u${cp.toString(16).toUpperCase().padStart(4, "0")}`;
      else out += `\\U${cp.toString(16).toUpperCase().padStart(8, "0")}`;
    }
  }
  return out;
}

// `|`, with an indentation digit when the text starts with a space or break, and `-`/`+`
// chomping for a missing or repeated final break; blank lines carry no indentation.
function literal(s: string, indent: number): string {
  let hint = "|";
  if (s[0] === " " || isBreak(s[0]!)) hint += "2";
  const last = s[s.length - 1]!;
  if (!isBreak(last)) hint += "-";
  else if (s.length === 1 || isBreak(s[s.length - 2]!)) hint += "+";
  let out = `${hint}\n`;
  let atLineStart = true;
  for (const c of s) {
    if (isBreak(c)) {
      out += "\n";
      atLineStart = true;
    } else {
      if (atLineStart) out += " ".repeat(indent);
      atLineStart = false;
      out += c;
    }
  }
  return out.endsWith("\n") ? out.slice(0, -1) : out;
}
