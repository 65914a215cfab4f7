// The -o values kubectl accepts, in the order its error messages list them. Kept apart from
// the printers so commands can validate -o without loading them.

/** What `get` accepts. */
export const GET_OUTPUT_FORMATS = [
  "custom-columns",
  "custom-columns-file",
  "go-template",
  "go-template-file",
  "json",
  "jsonpath",
  "jsonpath-as-json",
  "jsonpath-file",
  "name",
  "template",
  "templatefile",
  "wide",
  "yaml",
];

/** What create-style commands accept besides the default line: no tables. */
export const OBJECT_OUTPUT_FORMATS = GET_OUTPUT_FORMATS.filter((f) => f !== "wide" && !f.startsWith("custom-columns"));
