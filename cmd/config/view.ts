// `kapi config view [--minify] [--raw] [--flatten] [-o yaml|json|jsonpath=…]`.

import type { CommandContext, CommandSpec } from "../main.ts";
import { writeStdout } from "../../client/stdio.ts";
import { configSet } from "./common.ts";

export const spec: CommandSpec = {
  name: "view",
  short: "Display merged kubeconfig settings or a specified kubeconfig file",
  long: "Display merged kubeconfig settings or a specified kubeconfig file.\n\n You can use --output jsonpath={...} to extract specific values using a jsonpath expression.",
  examples: [
    "  # Show merged kubeconfig settings",
    "  kapi config view",
    "",
    "  # Get the password for the e2e user",
    "  kapi config view -o jsonpath='{.users[?(@.name == \"e2e\")].user.password}'",
  ].join("\n"),
  flags: [
    { name: "allow-missing-template-keys", type: "bool", default: true, description: "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats." },
    { name: "flatten", type: "bool", description: "Flatten the resulting kubeconfig file into self-contained output (useful for creating portable kubeconfig files)" },
    { name: "merge", type: "bool", default: true, description: "Merge the full hierarchy of kubeconfig files" },
    { name: "minify", type: "bool", description: "Remove all information not used by current-context from the output" },
    { name: "output", short: "o", type: "string", default: "yaml", description: "Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file)." },
    { name: "raw", type: "bool", description: "Display raw byte data and sensitive data" },
    { name: "show-managed-fields", type: "bool", description: "If true, keep the managedFields when printing objects in JSON or YAML format." },
    { name: "template", type: "string", description: "Template string or path to template file to use when -o=go-template, -o=go-template-file." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  const [{ flatten, minify, redact }, { encodeConfig }, { checkObjectOutput }] = await Promise.all([
    import("../../client/kubeconfig-edit.ts"),
    import("../../client/kubeconfig-raw.ts"),
    import("../../client/object-output.ts"),
  ]);
  const output = f.string("output");
  checkObjectOutput(output);
  const set = await configSet(ctx);
  let doc = set.merged;
  if (f.bool("minify")) doc = minify(doc, f.changed("context") ? f.string("context") : doc.currentContext);
  if (f.bool("flatten")) doc = flatten(doc, set.origin);
  else if (!f.bool("raw")) doc = redact(doc);
  const value = encodeConfig(doc);
  const eq = output.indexOf("=");
  const format = eq >= 0 ? output.slice(0, eq) : output;
  if (format === "json") {
    const { goJson } = await import("../../client/object-output.ts");
    writeStdout(`${goJson(value, 4)}\n`);
    return 0;
  }
  const { createObjectPrinter } = await import("../../client/printers/object-printer.ts");
  const printer = createObjectPrinter(format, eq >= 0 ? output.slice(eq + 1) : "", { allowMissingKeys: f.bool("allow-missing-template-keys") });
  writeStdout(printer.print(value));
  return 0;
}
