// `npm start`: build dist/kapi when it is missing or older than the sources, then serve.
import { spawnSync } from "node:child_process";
import { existsSync, statSync, readdirSync } from "node:fs";
import { join } from "node:path";

function newestSource(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const binary = "dist/kapi";
const sources = ["cmd", "server", "client", "store", "api"].filter(existsSync);
const stale = !existsSync(binary) || sources.some((dir) => newestSource(dir) > statSync(binary).mtimeMs);
if (stale) {
  const build = spawnSync("npm", ["run", "--silent", "build"], { stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
const serve = spawnSync(binary, ["serve", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(serve.status ?? 0);
