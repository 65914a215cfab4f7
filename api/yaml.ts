// YAML with the semantics kubectl uses (sigs.k8s.io/yaml: YAML 1.1 booleans and octals).
import { Document, Scalar, parse, parseAllDocuments, visit } from "yaml";

const parseOptions = { version: "1.1" as const, uniqueKeys: false, merge: true };

/** Parses one YAML document into plain JSON values. */
export function parseYamlDocument(text: string): unknown {
  return parse(text, parseOptions);
}

/** Parses every document of a multi-document YAML stream (empty documents dropped). */
export function parseYamlDocuments(text: string): unknown[] {
  return parseAllDocuments(text, parseOptions)
    .map((doc) => {
      if (doc.errors.length) throw doc.errors[0];
      return doc.toJS();
    })
    .filter((doc) => doc !== null && doc !== undefined);
}

/** Renders a value the way kubectl's `-o yaml` does: 2-space, sequences not indented. */
export function toYaml(value: unknown): string {
  // sigs.k8s.io/yaml goes through a map, so keys come out sorted.
  const doc = new Document(value, { version: "1.1", aliasDuplicateObjects: false, sortMapEntries: true });
  // Go's emitter double-quotes strings that would read back as another type (or need escapes)
  // and single-quotes those that merely cannot be written plain (`'*'`, `': x'`).
  const typed = (doc.schema.tags as { default?: boolean; test?: RegExp; tag: string }[]).filter((t) => t.default && t.test && !t.tag.endsWith(":str"));
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === "string" && needsDoubleQuotes(node.value, typed)) node.type = Scalar.QUOTE_DOUBLE;
    },
  });
  return doc.toString({ indent: 2, indentSeq: false, lineWidth: 80, minContentWidth: 0, singleQuote: true });
}

function needsDoubleQuotes(s: string, typed: { test?: RegExp }[]): boolean {
  if (s === "" || /[\x00-\x08\x0b-\x1f\x7f\t]/.test(s)) return true;
  return typed.some((t) => t.test!.test(s));
}
