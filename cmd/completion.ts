// `kapi completion bash|zsh`: a script that asks `kapi __complete` (cobra's protocol, see
// complete.ts) for candidates, so commands, flags, resource types and names complete.

import type { CommandContext, CommandSpec } from "./main.ts";
import { writeStdout } from "../client/stdio.ts";

export const spec: CommandSpec = {
  name: "completion",
  short: "Output shell completion code for the specified shell (bash or zsh)",
  long: [
    "Output shell completion code for the specified shell (bash or zsh). The shell code must be evaluated to provide interactive completion of kapi commands. This can be done by sourcing it from the .bash_profile.",
    "",
    " Bash needs the bash-completion framework for the best results; zsh needs compinit.",
  ].join("\n"),
  usage: "SHELL",
  examples: [
    "  # Load the kapi completion code for bash into the current shell",
    "  source <(kapi completion bash)",
    "",
    "  # Load the kapi completion code for zsh into the current shell",
    "  source <(kapi completion zsh)",
  ].join("\n"),
};

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length === 0) throw ctx.usageError("Shell not specified.");
  if (ctx.args.length > 1) throw ctx.usageError("Too many arguments. Expected only the shell type.");
  const { programName } = await import("../api/build-info.ts");
  const { bashScript, zshScript } = await import("./completion-scripts.ts");
  const shell = ctx.args[0]!;
  if (shell === "bash") writeStdout(bashScript(programName()));
  else if (shell === "zsh") writeStdout(zshScript(programName()));
  else throw ctx.usageError(`Unsupported shell type ${JSON.stringify(shell)}.`);
  return 0;
}
