// `kapi get`: kubectl's get. Flags and validation live here; the human-readable (server
// Table) path, the generic printers (-o json|yaml|name|jsonpath|custom-columns) and watch
// live in cmd/get/.

import { writeStderr } from "../client/stdio.ts";
import type { CommandContext, CommandSpec } from "./main.ts";

export const spec: CommandSpec = {
  name: "get",
  short: "Display one or many resources",
  long: "Display one or many resources. Prints a table of the most important information about the resources, as the server describes them; -o selects other formats.",
  usage: "[(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]",
  examples: [
    "  # List all pods in the current namespace, with more information",
    "  kapi get pods -o wide",
    "",
    "  # List deployments and config maps together",
    "  kapi get deploy,cm",
    "",
    "  # Print the names of all pods across namespaces",
    "  kapi get pods -A -o jsonpath='{.items[*].metadata.name}'",
    "",
    "  # Watch pods in the kube-system namespace",
    "  kapi get pods -n kube-system -w",
  ].join("\n"),
  flags: [
    { name: "output", short: "o", type: "string", description: "Output format: json, yaml, name, wide, jsonpath=…, jsonpath-as-json=…, jsonpath-file=…, custom-columns=…, custom-columns-file=…." },
    { name: "all-namespaces", short: "A", type: "bool", description: "If present, list the requested object(s) across all namespaces." },
    { name: "selector", short: "l", type: "string", description: "Label selector to filter on (e.g. -l key1=value1,key2=value2)." },
    { name: "field-selector", type: "string", description: "Field selector to filter on (e.g. --field-selector status.phase=Running); the server must support the fields." },
    { name: "filename", short: "f", type: "stringSlice", description: "Files, directories or URLs identifying the resources to get." },
    { name: "recursive", short: "R", type: "bool", description: "Process the directory used in -f recursively." },
    { name: "watch", short: "w", type: "bool", description: "After listing/getting the requested object, watch for changes." },
    { name: "watch-only", type: "bool", description: "Watch for changes to the requested object(s), without listing/getting first." },
    { name: "output-watch-events", type: "bool", description: "Output watch event objects when --watch or --watch-only is used." },
    { name: "ignore-not-found", type: "bool", description: "If set, requested objects that do not exist produce no error." },
    { name: "chunk-size", type: "int", default: 500, description: "Return large lists in chunks rather than all at once; 0 disables chunking." },
    { name: "show-labels", type: "bool", description: "When printing, show all labels as the last column." },
    { name: "label-columns", short: "L", type: "stringSlice", description: "Labels to present as columns, one column per label key." },
    { name: "show-kind", type: "bool", description: "If present, list the resource type for the requested object(s)." },
    { name: "sort-by", type: "string", description: "Sort list types using this field specification, a JSONPath expression (e.g. '{.metadata.name}')." },
    { name: "no-headers", type: "bool", description: "When using the default or custom-column output format, don't print headers." },
    { name: "server-print", type: "bool", default: true, description: "If true, have the server return the appropriate table output." },
    { name: "allow-missing-template-keys", type: "bool", default: true, description: "If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats." },
    { name: "show-managed-fields", type: "bool", description: "If true, keep the managedFields when printing objects in JSON or YAML format." },
    { name: "subresource", type: "string", description: "If specified, gets the subresource of the requested object (status or scale)." },
    { name: "template", type: "string", description: "Template string to use when -o=go-template or -o=go-template-file." },
    { name: "raw", type: "string", description: "Raw URI to request from the server; uses the transport of the kubeconfig." },
  ],
};

export async function run(ctx: CommandContext): Promise<number> {
  const f = ctx.flags;
  if (f.changed("raw")) return (await import("./raw.ts")).runRaw(ctx, "GET");
  const output = f.string("output");
  const format = output.includes("=") ? output.slice(0, output.indexOf("=")) : output;
  if (ctx.args.length === 0 && f.list("filename").length === 0) {
    writeStderr(
      `You must specify the type of resource to get. Use "kapi api-resources" for a complete list of supported resources.\n\n` +
        `error: Required resource not specified.\nUse "kapi explain <resource>" for a detailed description of that resource (e.g. kapi explain pods).\nSee 'kapi get -h' for help and examples\n`,
    );
    return 1;
  }
  const watching = f.bool("watch") || f.bool("watch-only");
  if (watching && f.string("sort-by")) writeStderr("warning: --watch requested, --sort-by will be ignored for watch events received\n");
  const { runGet } = await import("./get/run.ts");
  return runGet(ctx, format, output.includes("=") ? output.slice(output.indexOf("=") + 1) : "");
}
