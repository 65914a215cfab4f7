// Real kubectl (1.27, 1.33, 1.35) against `kapi serve` with the process runtime: a pod is
// scheduled onto the built-in node, runs as a local process, its logs are read, and deleting
// it terminates the process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { availableKubectls, type Kubectl } from "../support/kubectl.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { eventually, podProcesses, streamKubectl } from "./helpers.ts";

let server: TestServer;
const node = hostname().toLowerCase();
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const podYaml = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: main
    image: busybox
    command: ["sh", "-c", "echo hello; sleep 1; echo bye; sleep 3600"]
`;

const ok = (k: Kubectl, args: string[], stdin?: string) => server.kubectlOk(k, args, stdin);

for (const k of availableKubectls()) {
  describe(`kubectl ${k.version}`, () => {
    const ns = `node-${k.version.replace(".", "-")}`;
    const pod = `hello-${k.version.replace(".", "-")}`;
    const n = ["-n", ns];

    beforeAll(async () => {
      await ok(k, ["create", "namespace", ns]);
    });

    test("get pods -o wide -w shows the pod go from Pending to Running on the node", async () => {
      // A pod that stays Pending (no node matches) shows when kubectl has listed; everything
      // created after that reaches it as watch events, from the first state on.
      const marker = `${pod}-marker`;
      await ok(k, ["run", marker, "--image=none", "--overrides", '{"spec":{"nodeSelector":{"kapi.test/none":"x"}}}', ...n]);
      const watch = streamKubectl(server, k, ["get", "pods", "-o", "wide", "-w", ...n]);
      try {
        await watch.waitFor(new RegExp(`^${marker}\\s`, "m"));
        await ok(k, ["create", "-f", "-", ...n], podYaml(pod));
        const seen = await watch.waitFor(new RegExp(`^${pod}\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+127\\.0\\.0\\.1\\s+${node}\\s`, "m"));
        const rows = seen.split("\n").filter((l) => l.startsWith(pod));
        expect(rows[0]).toMatch(/\s0\/1\s+Pending\s/);
        expect(rows.at(-1)).toMatch(new RegExp(`\\sRunning\\s+0\\s+\\S+\\s+127\\.0\\.0\\.1\\s+${node}\\s`));
      } finally {
        await watch.stop();
      }
    }, 30_000);

    test("logs, logs --tail=1 and logs -f print what the process wrote", async () => {
      const logs = await eventually(async () => {
        const out = await ok(k, ["logs", pod, ...n]);
        return out.includes("bye") ? out : "";
      });
      expect(logs).toBe("hello\nbye\n");
      expect(await ok(k, ["logs", pod, "--tail=1", ...n])).toBe("bye\n");
      const stamped = await ok(k, ["logs", pod, "--timestamps", ...n]);
      expect(stamped).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z hello\n\S+ bye\n$/);
      const follow = streamKubectl(server, k, ["logs", "-f", pod, ...n]);
      try {
        expect(await follow.waitFor(/bye\n/)).toBe("hello\nbye\n");
      } finally {
        await follow.stop();
      }
    }, 30_000);

    test("describe shows the Scheduled, Pulled, Created and Started events", async () => {
      const described = await ok(k, ["describe", "pod", pod, ...n]);
      expect(described).toMatch(/^Status:\s+Running$/m);
      expect(described).toMatch(new RegExp(`^Node:\\s+${node}/127\\.0\\.0\\.1$`, "m"));
      const events = described.slice(described.indexOf("Events:"));
      const reasons = [...events.matchAll(/^\s+Normal\s+(\w+)\s/gm)].map((m) => m[1]);
      expect(reasons).toEqual(["Scheduled", "Pulled", "Created", "Started"]);
      expect(events).toContain(`Successfully assigned ${ns}/${pod} to ${node}`);
    });

    test("delete terminates the pod's processes", async () => {
      const pids = podProcesses(pod);
      expect(pids.length).toBeGreaterThanOrEqual(2); // sh and its sleep
      const deleted = await ok(k, ["delete", "pod", pod, ...n]);
      expect(deleted).toStartWith(`pod "${pod}" deleted`);
      expect(await eventually(() => podProcesses(pod).length === 0)).toBe(true);
      const gone = await server.kubectl(k, ["get", "pod", pod, ...n]);
      expect(gone.stderr).toBe(`Error from server (NotFound): pods "${pod}" not found\n`);
    }, 30_000);
  });
}
