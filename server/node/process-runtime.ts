// The `process` runtime: each container run is a local process in its own process group
// (session), with stdout/stderr captured into its log file. Processes are NOT isolated: they
// run as the server's user, on the host's filesystem and network. As when a container's
// init process ends, the whole group is killed when the main process exits.
import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { join } from "node:path";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { nowTimestamp } from "../registry/object-meta.ts";
import { openLogFile } from "./log-file.ts";
import { idleContainer, type ContainerExit, type ContainerLaunch, type Runtime, type RuntimeContainer } from "./runtime.ts";

/** Creates the process runtime. */
export function processRuntime(): Runtime {
  return { name: "process", runsProcesses: true, start: startProcess, reapOrphans };
}

async function startProcess(launch: ContainerLaunch): Promise<RuntimeContainer> {
  if (!launch.argv.length) return idleContainer(launch.id);
  try {
    mkdirSync(launch.workingDir, { recursive: true });
  } catch (err) {
    throw new Error(`chdir to cwd ("${launch.workingDir}") set in config.json failed: ${(err as Error).message}`);
  }
  const log = openLogFile(launch.logPath);
  const child = spawn(launch.argv[0], launch.argv.slice(1), {
    cwd: launch.workingDir,
    env: launch.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once("spawn", resolve);
      child.once("error", reject);
    });
  } catch (err) {
    log.close();
    throw new Error(startErrorMessage(launch.argv[0], err as NodeJS.ErrnoException));
  }
  const pid = child.pid!;
  const pidFile = launch.logPath.replace(/\.log$/, ".pid");
  writeFileSync(pidFile, `${pid} ${processStartTime(pid)}\n`);
  child.stdout!.on("data", (chunk: Buffer) => log.write("stdout", chunk));
  child.stderr!.on("data", (chunk: Buffer) => log.write("stderr", chunk));
  // What is left of the group dies with the main process, so the pipes close too.
  child.once("exit", () => killGroup(pid, "SIGKILL"));
  const exited = new Promise<ContainerExit>((resolve) => {
    child.once("close", (code, signal) => {
      log.close();
      rmSync(pidFile, { force: true });
      resolve(exitOf(code, signal));
    });
  });
  return { id: launch.id, pid, startedAt: nowTimestamp(), exited, stop: (grace) => stopProcess(child, exited, grace) };
}

async function stopProcess(child: ChildProcess, exited: Promise<ContainerExit>, graceSeconds: number): Promise<ContainerExit> {
  const pid = child.pid!;
  if (child.exitCode === null && child.signalCode === null) {
    killGroup(pid, graceSeconds > 0 ? "SIGTERM" : "SIGKILL");
    const timer = setTimeout(() => killGroup(pid, "SIGKILL"), Math.max(0, graceSeconds) * 1000);
    void exited.finally(() => clearTimeout(timer));
  }
  return exited;
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

function exitOf(code: number | null, signal: NodeJS.Signals | null): ContainerExit {
  const signo = signal ? (constants.signals[signal] ?? 0) : undefined;
  const exitCode = code ?? 128 + (signo ?? 0);
  const exit: ContainerExit = { exitCode, reason: exitCode === 0 ? "Completed" : "Error", finishedAt: nowTimestamp() };
  if (signo) exit.signal = signo;
  return exit;
}

/** The message runc gives for a process that cannot start. */
function startErrorMessage(command: string, err: NodeJS.ErrnoException): string {
  if (err.code === "ENOENT") return `exec: "${command}": executable file not found in $PATH`;
  if (err.code === "EACCES") return `exec: "${command}": permission denied`;
  return `exec: "${command}": ${err.message}`;
}

/** The start time of a process (field 22 of /proc/<pid>/stat), to tell it from a later one with the same pid. */
function processStartTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? "";
  } catch {
    return "";
  }
}

/** Kills the process groups recorded in pid files under `podsDir` that are still the same processes. */
function reapOrphans(podsDir: string): void {
  if (!existsSync(podsDir)) return;
  for (const pod of readdirSync(podsDir)) {
    const podDir = join(podsDir, pod);
    for (const container of safeReaddir(podDir)) {
      const dir = join(podDir, container);
      for (const file of safeReaddir(dir).filter((f) => f.endsWith(".pid"))) {
        const [pid, started] = readFileSync(join(dir, file), "utf8").trim().split(" ");
        if (started && processStartTime(Number(pid)) === started) killGroup(Number(pid), "SIGKILL");
        rmSync(join(dir, file), { force: true });
      }
    }
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
