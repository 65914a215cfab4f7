// The -f/-R/-k flags of the commands that read manifests (create, delete, replace).

import type { FlagDef } from "../flags.ts";

/** `-f, --filename`, `-R, --recursive`, `-k, --kustomize`; `purpose` completes the -f help text. */
export function fileFlags(purpose: string): FlagDef[] {
  return [
    { name: "filename", short: "f", type: "stringSlice", description: `Filename, directory, or URL to files ${purpose}` },
    { name: "kustomize", short: "k", type: "string", description: "Process the kustomization directory. This flag can't be used together with -f or -R." },
    { name: "recursive", short: "R", type: "bool", description: "Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory." },
  ];
}
