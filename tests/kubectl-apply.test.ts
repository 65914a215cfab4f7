// Real kubectl (1.27, 1.33, 1.35) with default validation against `kapi serve`: strategic
// merge patch, client-side apply (create, change, removal), server-side apply with a conflict
// between managers, edit through KUBE_EDITOR, and server-side field validation.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { availableKubectls, run, type Kubectl } from "./support/kubectl.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const ok = (k: Kubectl, args: string[], stdin?: string) => server.kubectlOk(k, args, stdin);

async function json(k: Kubectl, args: string[]): Promise<any> {
  return JSON.parse(await ok(k, [...args, "-o", "json"]));
}

const podYaml = (name: string, containerExtra = "") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c
    image: nginx:1.27
${containerExtra}`;

/** A deployment manifest; `side` adds a second container, `tier` a second label. */
function deploymentYaml(name: string, opts: { image: string; side?: boolean; tier?: boolean }): string {
  const side = opts.side ? "      - name: side\n        image: busybox:1.36\n" : "";
  const tier = opts.tier ? "    tier: web\n" : "";
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  labels:
    app: ${name}
${tier}spec:
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: ${opts.image}
${side}`;
}

const configMapYaml = (name: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: ${value}\n`;

for (const k of availableKubectls()) {
  describe(`kubectl ${k.version}`, () => {
    const ns = `apply-${k.version.replace(".", "-")}`;
    const n = ["-n", ns];

    beforeAll(async () => {
      await ok(k, ["create", "namespace", ns]);
    });

    test("patch uses strategic merge by default: a container's image by name", async () => {
      expect(await ok(k, ["create", "-f", "-", ...n], podYaml("smp"))).toBe("pod/smp created\n");
      const patch = '{"spec":{"containers":[{"name":"c","image":"nginx:2"}]}}';
      expect(await ok(k, ["patch", "pod", "smp", "-p", patch, ...n])).toBe("pod/smp patched\n");
      const pod = await json(k, ["get", "pod", "smp", ...n]);
      expect(pod.spec.containers.map((c: any) => [c.name, c.image])).toEqual([["c", "nginx:2"]]);
    });

    test("client-side apply: create, a change, then a removal", async () => {
      const first = deploymentYaml("csa", { image: "nginx:1.27", tier: true });
      expect(await ok(k, ["apply", "-f", "-", ...n], first)).toBe("deployment.apps/csa created\n");
      expect(await ok(k, ["apply", "-f", "-", ...n], first)).toBe("deployment.apps/csa unchanged\n");
      const second = deploymentYaml("csa", { image: "nginx:1.28", tier: true, side: true });
      expect(await ok(k, ["apply", "-f", "-", ...n], second)).toBe("deployment.apps/csa configured\n");
      let d = await json(k, ["get", "deployment", "csa", ...n]);
      expect(d.spec.template.spec.containers.map((c: any) => [c.name, c.image])).toEqual([
        ["web", "nginx:1.28"],
        ["side", "busybox:1.36"],
      ]);
      const lastApplied = JSON.parse(d.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]);
      expect(lastApplied.spec.template.spec.containers).toHaveLength(2);
      expect(await ok(k, ["apply", "-f", "-", ...n], deploymentYaml("csa", { image: "nginx:1.28" }))).toBe("deployment.apps/csa configured\n");
      d = await json(k, ["get", "deployment", "csa", ...n]);
      expect(d.metadata.labels).toEqual({ app: "csa" });
      expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual(["web"]);
    });

    test("server-side apply twice, a conflict between two managers, then --force-conflicts", async () => {
      const ssa = ["apply", "--server-side", "-f", "-", ...n];
      expect(await ok(k, ssa, configMapYaml("ssa", "one"))).toBe("configmap/ssa serverside-applied\n");
      expect(await ok(k, ssa, configMapYaml("ssa", "two"))).toBe("configmap/ssa serverside-applied\n");
      expect(await ok(k, [...ssa, "--field-manager=a"], configMapYaml("ssa-2", "first"))).toBe("configmap/ssa-2 serverside-applied\n");
      const conflict = await server.kubectl(k, [...ssa, "--field-manager=b"], configMapYaml("ssa-2", "second"));
      expect(conflict.code).toBe(1);
      expect(conflict.stderr).toStartWith('error: Apply failed with 1 conflict: conflict with "a": .data.key\n');
      expect(conflict.stderr).toContain("--force-conflicts");
      expect(await ok(k, [...ssa, "--field-manager=b", "--force-conflicts"], configMapYaml("ssa-2", "second"))).toBe("configmap/ssa-2 serverside-applied\n");
      const cm = await json(k, ["get", "configmap", "ssa-2", "--show-managed-fields", ...n]);
      expect(cm.data).toEqual({ key: "second" });
      expect(cm.metadata.managedFields.map((e: any) => [e.manager, e.operation, e.fieldsV1])).toEqual([["b", "Apply", { "f:data": { "f:key": {} } }]]);
    });

    test("edit through KUBE_EDITOR sends the change back as a patch", async () => {
      expect(await ok(k, ["create", "-f", "-", ...n], podYaml("edited"))).toBe("pod/edited created\n");
      const dir = join(server.dataDir, `editor-${k.version}`);
      mkdirSync(dir, { recursive: true });
      const editor = join(dir, "edit.sh");
      writeFileSync(editor, "#!/bin/sh\nsed -i 's/image: nginx:1.27/image: nginx:1.28/' \"$1\"\n");
      chmodSync(editor, 0o755);
      const r = await run([k.path, "--kubeconfig", server.kubeconfigPath, "edit", "pod", "edited", ...n], { HOME: server.home, KUBECONFIG: "", KUBE_EDITOR: editor });
      expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: "pod/edited edited\n", stderr: "" });
      expect((await json(k, ["get", "pod", "edited", ...n])).spec.containers[0].image).toBe("nginx:1.28");
    });

    test("a misspelt field is rejected by server-side strict validation", async () => {
      const file = join(server.dataDir, `typo-${k.version}.yaml`);
      writeFileSync(file, podYaml("typo", "    imagee: nginx\n"));
      const r = await server.kubectl(k, ["create", "-f", file, ...n]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`Error from server (BadRequest): error when creating "${file}": Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagee"\n`);
      expect((await server.kubectl(k, ["get", "pod", "typo", ...n])).code).toBe(1);
    });

    test("--validate=warn prints the warning and creates the object", async () => {
      const r = await server.kubectl(k, ["create", "-f", "-", "--validate=warn", ...n], podYaml("warned", "    imagee: nginx\n"));
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("pod/warned created\n");
      expect(r.stderr).toBe('Warning: unknown field "spec.containers[0].imagee"\n');
    });
  });
}
