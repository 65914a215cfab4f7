// Real kubectl (1.27, 1.33, 1.35) driving Deployments and Jobs on `kapi serve`: rollout
// status, scaling, image changes, history and undo, cascading delete, and a Job completing.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableKubectls, type Kubectl } from "../support/kubectl.ts";
import { startTestServer, type TestServer } from "../support/server.ts";
import { eventually } from "./helpers.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const ok = (k: Kubectl, args: string[], stdin?: string) => server.kubectlOk(k, args, stdin);

for (const k of availableKubectls()) {
  describe(`kubectl ${k.version}`, () => {
    const ns = `wl-${k.version.replace(".", "-")}`;
    const n = ["-n", ns];
    const runningPods = async () => (await ok(k, ["get", "pods", "-l", "app=web", "--field-selector=status.phase=Running", "-o", "name", ...n])).trim().split("\n").filter(Boolean);
    const rollout = () => ok(k, ["rollout", "status", "deployment/web", "--timeout=60s", ...n]);

    beforeAll(async () => {
      await ok(k, ["create", "namespace", ns]);
    });

    test("a Deployment with 3 replicas rolls out to 3 Running pods", async () => {
      await ok(k, ["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", ...n]);
      expect(await rollout()).toContain('deployment "web" successfully rolled out');
      expect((await runningPods()).length).toBe(3);
      const table = await ok(k, ["get", "deployment", "web", ...n]);
      expect(table).toMatch(/^web\s+3\/3\s+3\s+3\s/m);
    }, 60_000);

    test("scaling and an image change roll out", async () => {
      expect(await ok(k, ["scale", "deployment", "web", "--replicas=5", ...n])).toBe("deployment.apps/web scaled\n");
      expect(await rollout()).toContain("successfully rolled out");
      expect((await runningPods()).length).toBe(5);
      const image = { spec: { template: { spec: { containers: [{ name: "nginx", image: "nginx:1.28" }] } } } };
      await ok(k, ["patch", "deployment", "web", "--type=merge", "-p", JSON.stringify(image), ...n]);
      expect(await rollout()).toContain("successfully rolled out");
      const images = await ok(k, ["get", "pods", "-l", "app=web", "--field-selector=status.phase=Running", "-o", "jsonpath={.items[*].spec.containers[0].image}", ...n]);
      expect(await eventually(async () => (await runningPods()).length === 5)).toBe(true);
      expect(images.split(" ").every((image) => image === "nginx:1.28")).toBe(true);
      const history = await ok(k, ["rollout", "history", "deployment/web", ...n]);
      expect(history).toMatch(/^1\s+<none>$/m);
      expect(history).toMatch(/^2\s+<none>$/m);
    }, 60_000);

    test("rollout undo brings the previous template back as revision 3", async () => {
      await ok(k, ["rollout", "undo", "deployment/web", ...n]);
      expect(await rollout()).toContain("successfully rolled out");
      const image = await ok(k, ["get", "deployment", "web", "-o", "jsonpath={.spec.template.spec.containers[0].image}", ...n]);
      expect(image).toBe("nginx:1.27");
      const revisions = await ok(k, ["get", "rs", "-l", "app=web", "-o", "jsonpath={.items[*].metadata.annotations.deployment\\.kubernetes\\.io/revision}", ...n]);
      expect(revisions.split(" ").sort()).toEqual(["2", "3"]);
    }, 60_000);

    test("deleting the Deployment removes its ReplicaSets and pods", async () => {
      await ok(k, ["delete", "deployment", "web", ...n]);
      const left = () => ok(k, ["get", "replicasets,pods", "-l", "app=web", "-o", "name", ...n]);
      expect(await eventually(async () => (await left()) === "")).toBe(true);
    }, 60_000);

    test("a Job of sh -c 'exit 0' completes", async () => {
      await ok(k, ["create", "job", "once", "--image=busybox", ...n, "--", "sh", "-c", "exit 0"]);
      expect(await ok(k, ["wait", "--for=condition=complete", "job/once", "--timeout=60s", ...n])).toBe("job.batch/once condition met\n");
      expect(await ok(k, ["get", "job", "once", ...n])).toMatch(/^once\s+Complete\s+1\/1\s/m);
    }, 60_000);
  });
}
