// YAML with the semantics kubectl uses (sigs.k8s.io/yaml: YAML 1.1 booleans and octals).
import { parse, parseAllDocuments, stringify } from "yaml";

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
  return stringify(value, { indent: 2, indentSeq: false, lineWidth: 80, minContentWidth: 0, version: "1.1", aliasDuplicateObjects: false, sortMapEntries: true });
}
