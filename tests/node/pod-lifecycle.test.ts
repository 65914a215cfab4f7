// The node agent with the process runtime: restart policies and back-off, exit codes,
// container states, phases and conditions, environment, init containers and graceful
// termination, observed through the API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { containerStatus, podBody, shell, startNodeServer, type NodeServer } from "./in-process-node.ts";
import { eventually, podProcesses } from "./helpers.ts";

let s: NodeServer;
const scratch = mkdtempSync(join(tmpdir(), "kapi-pod-scratch-"));
const pods = "/api/v1/namespaces/default/pods";
beforeAll(async () => {
  s = await startNodeServer("process");
});
afterAll(async () => {
  await s.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const eventsOf = async (name: string) => (await s.json("GET", `/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).body.items;
const log = (name: string, query = "") => s.request("GET", `${pods}/${name}/log${query}`).then((r) => r.text());

describe("restart policies", () => {
  test("OnFailure restarts a failing container at once, then backs off; lastState and previous logs follow", async () => {
    await s.create(pods, podBody("crashy", [shell("c", "echo run; exit 3")], { restartPolicy: "OnFailure" }));
    const pod = await s.waitFor(`${pods}/crashy`, (p) => containerStatus(p, "c")?.state?.waiting?.reason === "CrashLoopBackOff");
    const status = containerStatus(pod, "c");
    expect(status.restartCount).toBe(1);
    expect(status.lastState.terminated).toMatchObject({ exitCode: 3, reason: "Error" });
    expect(status.state.waiting.message).toBe(`back-off 10s restarting failed container=c pod=crashy_default(${pod.metadata.uid})`);
    expect(status.ready).toBe(false);
    expect(pod.status.phase).toBe("Running");
    expect(pod.status.conditions.find((c: any) => c.type === "Ready")).toMatchObject({ status: "False", reason: "ContainersNotReady", message: "containers with unready status: [c]" });
    expect(await log("crashy", "?previous=true")).toBe("run\n");
    expect(await log("crashy")).toBe("run\n");
    // Events are written in the background; the repeated Started event is aggregated.
    const started = await eventually(async () => (await eventsOf("crashy")).find((e: any) => e.reason === "Started" && e.count === 2));
    expect(started.message).toBe("Started container c");
    expect((await eventsOf("crashy")).map((e: any) => e.reason)).toContain("BackOff");
  });

  test("Never: exit 0 ends Succeeded (Completed), exit 1 ends Failed (Error)", async () => {
    await s.create(pods, podBody("done-ok", [shell("c", "exit 0")], { restartPolicy: "Never" }));
    await s.create(pods, podBody("done-bad", [shell("c", "exit 1")], { restartPolicy: "Never" }));
    const ok = await s.waitFor(`${pods}/done-ok`, (p) => p.status.phase === "Succeeded");
    expect(containerStatus(ok, "c").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(ok.status.conditions.find((c: any) => c.type === "Ready")).toMatchObject({ status: "False", reason: "PodCompleted" });
    const bad = await s.waitFor(`${pods}/done-bad`, (p) => p.status.phase === "Failed");
    expect(containerStatus(bad, "c").state.terminated).toMatchObject({ exitCode: 1, reason: "Error" });
    expect(containerStatus(bad, "c").restartCount).toBe(0);
  });

  test("a command that cannot be found is a StartError with exit code 128", async () => {
    await s.create(pods, podBody("missing-cmd", [{ name: "c", command: ["no-such-command-kapi"] }], { restartPolicy: "Never" }));
    const pod = await s.waitFor(`${pods}/missing-cmd`, (p) => p.status.phase === "Failed");
    expect(containerStatus(pod, "c").state.terminated).toMatchObject({ exitCode: 128, reason: "StartError", message: 'exec: "no-such-command-kapi": executable file not found in $PATH' });
    const failed = await eventually(async () => (await eventsOf("missing-cmd")).find((e: any) => e.reason === "Failed"));
    expect(failed).toMatchObject({ type: "Warning", message: 'Error: exec: "no-such-command-kapi": executable file not found in $PATH' });
  });
});

describe("environment and files", () => {
  test("env from values, fieldRef, ConfigMap and Secret keys, envFrom with a prefix, $(VAR) expansion and workingDir", async () => {
    await s.create("/api/v1/namespaces/default/configmaps", { metadata: { name: "settings" }, data: { color: "blue", size: "L" } });
    await s.create("/api/v1/namespaces/default/secrets", { metadata: { name: "creds" }, stringData: { password: "s3cret" } });
    const workDir = join(scratch, "work");
    const env = [
      { name: "GREETING", value: "hi" },
      { name: "MESSAGE", value: "$(GREETING) from $(POD_NAME) $$(LITERAL)" },
      { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
      { name: "COLOR", valueFrom: { configMapKeyRef: { name: "settings", key: "color" } } },
      { name: "PASSWORD", valueFrom: { secretKeyRef: { name: "creds", key: "password" } } },
      { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
    ];
    const script = 'echo "$GREETING|$MESSAGE|$POD_NAME|$COLOR|$PASSWORD|$NODE|$CFG_size|$HOSTNAME|$(pwd)"';
    await s.create(pods, podBody("env", [shell("c", script, { env, envFrom: [{ prefix: "CFG_", configMapRef: { name: "settings" } }], workingDir: workDir })], { restartPolicy: "Never" }));
    await s.waitFor(`${pods}/env`, (p) => p.status.phase === "Succeeded");
    // MESSAGE refers to POD_NAME before it is defined, so that reference stays as written.
    expect(await log("env")).toBe(`hi|hi from $(POD_NAME) $(LITERAL)|env|blue|s3cret|node-1|L|env|${workDir}\n`);
  });

  test("a missing ConfigMap leaves the container waiting with CreateContainerConfigError", async () => {
    const env = [{ name: "X", valueFrom: { configMapKeyRef: { name: "absent", key: "x" } } }];
    await s.create(pods, podBody("no-config", [shell("c", "echo never", { env })]));
    const pod = await s.waitFor(`${pods}/no-config`, (p) => containerStatus(p, "c")?.state?.waiting?.reason === "CreateContainerConfigError");
    expect(containerStatus(pod, "c").state.waiting.message).toBe('configmap "absent" not found');
    expect(pod.status.phase).toBe("Pending");
    const logs = await s.json("GET", `${pods}/no-config/log`);
    expect(logs.status).toBe(400);
    expect(logs.body.message).toBe('container "c" in pod "no-config" is waiting to start: CreateContainerConfigError');
    const failed = await eventually(async () => (await eventsOf("no-config")).find((e: any) => e.reason === "Failed"));
    expect(failed.message).toBe('Error: configmap "absent" not found');
  });

  test("init containers run to completion, in order, before the containers", async () => {
    const file = join(scratch, "init-order");
    const init = [shell("first", `echo one >> ${file}`), shell("second", `echo two >> ${file}`)].map((c) => ({ image: "busybox", ...c }));
    await s.create(pods, podBody("with-init", [shell("main", `cat ${file}`)], { initContainers: init, restartPolicy: "Never" }));
    const pod = await s.waitFor(`${pods}/with-init`, (p) => p.status.phase === "Succeeded");
    expect(await log("with-init", "?container=main")).toBe("one\ntwo\n");
    expect(pod.status.initContainerStatuses.map((c: any) => [c.name, c.state.terminated.reason])).toEqual([
      ["first", "Completed"],
      ["second", "Completed"],
    ]);
    expect(pod.status.conditions.find((c: any) => c.type === "Initialized").status).toBe("True");
  });
});

/** Collects watch events for one pod until it is DELETED (bounded). */
async function watchUntilDeleted(name: string): Promise<{ type: string; object: any }[]> {
  const res = await s.request("GET", `${pods}?watch=true&fieldSelector=metadata.name%3D${name}`);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const seen: { type: string; object: any }[] = [];
  let buffer = "";
  for (let i = 0; i < 200 && !seen.some((e) => e.type === "DELETED"); i++) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const lines = buffer.split("\n");
    buffer = lines.pop()!;
    for (const line of lines) if (line) seen.push(JSON.parse(line));
  }
  await reader.cancel();
  return seen;
}

describe("graceful termination", () => {
  test("delete sends SIGTERM; a process that handles it exits within the grace period", async () => {
    const marker = join(scratch, "term");
    await s.create(pods, podBody("polite", [shell("c", `trap 'echo got-term > ${marker}; exit 0' TERM; while :; do sleep 0.1; done`)]));
    await s.waitFor(`${pods}/polite`, (p) => p.status.phase === "Running");
    expect(podProcesses("polite").length).toBeGreaterThan(0);
    const watching = watchUntilDeleted("polite");
    const deleted = await s.json("DELETE", `${pods}/polite`);
    expect(deleted.body.metadata.deletionGracePeriodSeconds).toBe(30);
    const events = await watching;
    const final = events.findLast((e) => e.type === "MODIFIED")!.object;
    expect(containerStatus(final, "c").state.terminated).toMatchObject({ exitCode: 0, reason: "Completed" });
    expect(final.status.phase).toBe("Succeeded");
    expect(events.at(-1)!.type).toBe("DELETED");
    expect(readFileSync(marker, "utf8")).toBe("got-term\n");
    expect(podProcesses("polite")).toEqual([]);
    expect(await eventually(async () => (await eventsOf("polite")).some((e: any) => e.reason === "Killing" && e.message === "Stopping container c"))).toBe(true);
  });

  test("a process that ignores SIGTERM is killed (SIGKILL) when the grace period ends", async () => {
    await s.create(pods, podBody("stubborn", [shell("c", "trap '' TERM; while :; do sleep 0.1; done")], { terminationGracePeriodSeconds: 1 }));
    await s.waitFor(`${pods}/stubborn`, (p) => p.status.phase === "Running");
    expect(podProcesses("stubborn").length).toBeGreaterThan(0);
    const watching = watchUntilDeleted("stubborn");
    await s.json("DELETE", `${pods}/stubborn`);
    const final = (await watching).findLast((e) => e.type === "MODIFIED")!.object;
    expect(containerStatus(final, "c").state.terminated).toMatchObject({ exitCode: 137, signal: 9, reason: "Error" });
    expect(final.status.phase).toBe("Failed");
    expect(podProcesses("stubborn")).toEqual([]);
    expect(existsSync(join(s.dataDir, "pods", `default_stubborn_${final.metadata.uid}`))).toBe(false);
  });
});
