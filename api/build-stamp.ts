// Evaluated at bundle time (imported `with { type: "macro" }` by build-info.ts): records the
// git commit and tree state of the build and the package version, so the compiled binary can
// report them without shipping package.json or calling git.

import { readFileSync } from "node:fs";
import { join } from "node:path";

/** Facts about the source tree the binary is built from. */
export function buildStamp(): { version: string; gitCommit: string; gitTreeState: string; buildDate: string } {
  const root = join(import.meta.dir, "..");
  const git = (...args: string[]): string => {
    try {
      const r = Bun.spawnSync(["git", ...args], { cwd: root, stderr: "ignore" });
      return r.success ? r.stdout.toString().trim() : "";
    } catch {
      return "";
    }
  };
  const gitCommit = git("rev-parse", "HEAD");
  const dirty = gitCommit !== "" && git("status", "--porcelain", "--untracked-files=no") !== "";
  let version = "0.0.0";
  try {
    version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version ?? version;
  } catch {
    // keep the placeholder version
  }
  return {
    version,
    gitCommit,
    gitTreeState: gitCommit ? (dirty ? "dirty" : "clean") : "",
    buildDate: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
}
