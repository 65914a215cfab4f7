/** The runtimes the node supports (`--runtime=none` runs no node at all). */
export const runtimeNames = ["process", "simulated"];
