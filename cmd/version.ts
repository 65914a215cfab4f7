// `kapi version`: this binary's version, and the server's from GET /version.

import { writeStderr, writeStdout } from "../client/stdio.ts";
import { KUBE_MAJOR, KUBE_MINOR, versionInfo, type VersionInfo } from "../api/build-info.ts";
import type { CommandContext, CommandSpec } from "./main.ts";

export const spec: CommandSpec = {
  name: "version",
  short: "Print the client and server version information",
  long: "Print the version of this kapi client and of the API server of the current context.",
  examples: ["  # Client and server versions for the current context", "  kapi version", "", "  # Only the client, as JSON", "  kapi version --client -o json"].join("\n"),
  flags: [
    { name: "client", type: "bool", description: "If true, print the client version only; no server is contacted." },
    { name: "output", short: "o", type: "string", description: "One of 'yaml' or 'json'." },
  ],
};

const SERVER_FIELDS = ["major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"] as const;
const OPTIONAL_SERVER_FIELDS = ["emulationMajor", "emulationMinor", "minCompatibilityMajor", "minCompatibilityMinor"] as const;

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length > 0) throw new Error(`extra arguments: [${ctx.args.join(" ")}]`);
  const output = ctx.flags.string("output");
  if (output !== "" && output !== "json" && output !== "yaml") throw new Error("--output must be 'yaml' or 'json'");
  const clientVersion = versionInfo();
  if (ctx.flags.bool("client")) {
    await print(output, { clientVersion });
    return 0;
  }

  const client = await ctx.restClient();
  let serverVersion: Record<string, string> | undefined;
  let failure: unknown;
  try {
    serverVersion = normalize(await client.requestJson<Record<string, unknown>>({ path: "/version", discovery: true }));
  } catch (err) {
    failure = err;
  }
  await print(output, serverVersion ? { clientVersion, serverVersion } : { clientVersion });
  if (serverVersion) warnOnSkew(serverVersion);
  if (failure) throw failure;
  return 0;
}

async function print(output: string, doc: { clientVersion: VersionInfo; serverVersion?: Record<string, string> }): Promise<void> {
  if (output === "json") {
    writeStdout(`${JSON.stringify(doc, null, 2)}\n`);
  } else if (output === "yaml") {
    const { toYaml } = await import("../api/yaml.ts");
    // kubectl prints the YAML followed by an empty line.
    writeStdout(`${toYaml(doc)}\n`);
  } else {
    let text = `Client Version: ${doc.clientVersion.gitVersion}\n`;
    if (doc.serverVersion) text += `Server Version: ${doc.serverVersion.gitVersion}\n`;
    writeStdout(text);
  }
}

// Like kubectl, keep version.Info's fields (empty when the server omits one) and drop others.
function normalize(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of SERVER_FIELDS) out[f] = typeof raw[f] === "string" ? (raw[f] as string) : "";
  for (const f of OPTIONAL_SERVER_FIELDS) if (typeof raw[f] === "string" && raw[f]) out[f] = raw[f] as string;
  return out;
}

function warnOnSkew(server: Record<string, string>): void {
  const serverMinor = Number.parseInt(server.minor ?? "", 10);
  if (server.major !== KUBE_MAJOR || Number.isNaN(serverMinor)) return;
  if (Math.abs(serverMinor - Number(KUBE_MINOR)) > 1) {
    writeStderr(
      `WARNING: version difference between client (${KUBE_MAJOR}.${KUBE_MINOR}) and server (${server.major}.${serverMinor}) exceeds the supported minor version skew of +/-1\n`,
    );
  }
}
