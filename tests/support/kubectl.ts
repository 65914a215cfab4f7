// Finds the real kubectl binaries the compatibility tests drive, and runs them.
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { realpathSync } from "node:fs";

/** A real kubectl of a known minor version. */
export interface Kubectl {
  version: string;
  path: string;
}

/** kubectl 1.27, 1.33 and 1.35 when present (1.35 comes from scripts/fetch-kubectl.sh). */
export function availableKubectls(): Kubectl[] {
  const found: Kubectl[] = [];
  const onPath = Bun.which("kubectl");
  const dir = onPath ? dirname(realpathSync(onPath)) : "";
  for (const version of ["1.27", "1.33"]) {
    const path = join(dir, `kubectl.${version}`);
    if (dir && existsSync(path)) found.push({ version, path });
  }
  const pinned = resolve(import.meta.dir, "../../.cache/kubectl-1.35/kubectl");
  if (existsSync(pinned)) found.push({ version: "1.35", path: pinned });
  if (!found.length) throw new Error("no real kubectl found: install kubectl or run scripts/fetch-kubectl.sh");
  return found;
}

/** The output of one command. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command asynchronously (an in-process server must keep serving meanwhile). */
export async function run(argv: string[], env: Record<string, string> = {}, stdin?: string): Promise<RunResult> {
  const child = Bun.spawn(argv, {
    env: { ...process.env, ...env },
    stdin: stdin === undefined ? "ignore" : new Blob([stdin]),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}
