// Runs the whole suite: builds the binary the end-to-end tests drive, then `bun test`,
// and closes with the plain `N passed, M failed` line CI reads.
import { spawnSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// The compatibility tests drive a pinned real kubectl 1.35 besides any kubectl on the machine.
const fetched = spawnSync("bash", ["scripts/fetch-kubectl.sh"], { stdio: "inherit" });
if (fetched.status !== 0) console.error("warning: could not fetch kubectl 1.35; its compatibility tests will not run");

const build = spawnSync("bun", ["run", "build"], { stdio: "inherit" });
if (build.status !== 0) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}

// Temporary files of the tests and of the servers and kubectls they start go under one
// directory, removed at the end, so a run leaves nothing behind in /tmp.
const scratch = mkdtempSync(join(tmpdir(), "kapi-test-run-"));
const child = spawn("bun", ["test", "--timeout", "60000", ...process.argv.slice(2)], {
  stdio: ["ignore", "inherit", "pipe"],
  env: { ...process.env, TMPDIR: scratch },
});
let tail = "";
child.stderr.on("data", (chunk: Buffer) => {
  process.stderr.write(chunk);
  tail = (tail + chunk.toString()).slice(-4096);
});
child.on("close", (code) => {
  const passed = Number(/^\s*(\d+) pass\s*$/m.exec(tail)?.[1] ?? 0);
  const failed = Number(/^\s*(\d+) fail\s*$/m.exec(tail)?.[1] ?? 0);
  const failedOverall = code !== 0 && failed === 0 ? 1 : failed;
  rmSync(scratch, { recursive: true, force: true });
  console.log(`${passed} passed, ${failedOverall} failed`);
  process.exit(code === 0 && failed === 0 && passed > 0 ? 0 : 1);
});
