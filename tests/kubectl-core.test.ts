// Real kubectl (1.27, 1.33, 1.35) against `kapi serve`: the server-core commands of issue 3.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableKubectls, run, type Kubectl } from "./support/kubectl.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const podYaml = (name: string, labels: Record<string, string> = {}) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: ${JSON.stringify({ app: "demo", ...labels })}
spec:
  containers:
  - name: c1
    image: nginx:1.27
`;

const deploymentYaml = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: nginx
`;

const ok = (k: Kubectl, args: string[], stdin?: string) => server.kubectlOk(k, args, stdin);

/** Waits on a `get -w` process's output until a pattern shows (and expects it to). */
function watchedLines(stdout: ReadableStream<Uint8Array>): (pattern: RegExp) => Promise<void> {
  const reader = stdout.getReader();
  let seen = "";
  return async (pattern) => {
    for (let i = 0; i < 200 && !pattern.test(seen); i++) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    expect(seen).toMatch(pattern);
  };
}

for (const k of availableKubectls()) {
  describe(`kubectl ${k.version}`, () => {
    const ns = `k${k.version.replace(".", "-")}`;
    const n = ["-n", ns];

    beforeAll(async () => {
      await ok(k, ["create", "-f", "-", "--validate=false"], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`);
    });

    test("create -f prints what kubectl prints against a real cluster", async () => {
      expect(await ok(k, ["create", "-f", "-", "--validate=false", ...n], podYaml("web-1", { tier: "front" }))).toBe("pod/web-1 created\n");
      expect(await ok(k, ["create", "-f", "-", "--validate=false", ...n], podYaml("web-2"))).toBe("pod/web-2 created\n");
      const again = await server.kubectl(k, ["create", "-f", "-", "--validate=false", ...n], podYaml("web-1"));
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('Error from server (AlreadyExists): error when creating "STDIN": pods "web-1" already exists');
    });

    test("get prints the server's Table columns, wide and -A", async () => {
      // The built-in node runs the pods (with no command, they are Running without a process).
      const phases = () => ok(k, ["get", "pods", "-o", "jsonpath={.items[*].status.phase}", ...n]);
      for (let i = 0; i < 100 && (await phases()) !== "Running Running"; i++) await Bun.sleep(50);
      const out = await ok(k, ["get", "pods", ...n]);
      const lines = out.trim().split("\n");
      expect(lines[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
      expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 4))).toEqual([
        ["web-1", "1/1", "Running", "0"],
        ["web-2", "1/1", "Running", "0"],
      ]);
      const wide = await ok(k, ["get", "pods", "-o", "wide", ...n]);
      expect(wide.split("\n")[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
      const all = await ok(k, ["get", "pods", "-A"]);
      expect(all.split("\n")[0]).toMatch(/^NAMESPACE\s+NAME\s+READY/);
      expect(all).toMatch(new RegExp(`^${ns}\\s+web-1\\s`, "m"));
      const labels = await ok(k, ["get", "pod", "web-1", "--show-labels", ...n]);
      expect(labels).toContain("app=demo,tier=front");
    });

    test("get lists again from kept cells: the same rows, a fresh age, and a changed object reprinted", async () => {
      await ok(k, ["create", "-f", "-", "--validate=false", ...n], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\ndata:\n  a: "1"\n`);
      const row = async () => (await ok(k, ["get", "configmap", "kept", "--no-headers", ...n])).trim().split(/\s+/);
      const first = await row();
      const second = await row();
      expect(first.slice(0, 2)).toEqual(["kept", "1"]);
      expect(second.slice(0, 2)).toEqual(["kept", "1"]);
      expect(second[2]).toMatch(/^\d+s$/);
      await ok(k, ["patch", "configmap", "kept", "--type", "merge", "-p", '{"data":{"b":"2"}}', ...n]);
      expect((await row()).slice(0, 2)).toEqual(["kept", "2"]);
    });

    test("get -o json, yaml, name", async () => {
      const json = JSON.parse(await ok(k, ["get", "pods", "-o", "json", ...n]));
      expect(json.kind).toBe("List");
      expect(json.items.map((p: any) => [p.kind, p.metadata.name])).toEqual([
        ["Pod", "web-1"],
        ["Pod", "web-2"],
      ]);
      const yaml = await ok(k, ["get", "pod", "web-1", "-o", "yaml", ...n]);
      expect(yaml).toContain("apiVersion: v1\nkind: Pod\nmetadata:\n");
      expect(yaml).toContain(`namespace: ${ns}`);
      expect(await ok(k, ["get", "pods", "-o", "name", ...n])).toBe("pod/web-1\npod/web-2\n");
    });

    test("-l, --field-selector and --chunk-size", async () => {
      expect(await ok(k, ["get", "pods", "-l", "tier=front", "-o", "name", ...n])).toBe("pod/web-1\n");
      expect(await ok(k, ["get", "pods", "-l", "tier notin (front)", "-o", "name", ...n])).toBe("pod/web-2\n");
      expect(await ok(k, ["get", "pods", "--field-selector", "metadata.name=web-2", "-o", "name", ...n])).toBe("pod/web-2\n");
      expect(await ok(k, ["get", "pods", "--field-selector", "status.phase=Pending", "-o", "name", ...n])).toBe("");
      expect(await ok(k, ["get", "pods", "--chunk-size=1", "-o", "name", ...n])).toBe("pod/web-1\npod/web-2\n");
      const missing = await server.kubectl(k, ["get", "pod", "nope", ...n]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    });

    test("get --raw and discovery commands", async () => {
      const root = JSON.parse(await ok(k, ["get", "--raw", "/"]));
      expect(root.paths).toContain("/api/v1");
      const namespaces = JSON.parse(await ok(k, ["get", "--raw", "/api/v1/namespaces"]));
      expect(namespaces.kind).toBe("NamespaceList");
      expect(namespaces.items.map((i: any) => i.metadata.name)).toContain("kube-system");
      const apis = JSON.parse(await ok(k, ["get", "--raw", "/apis"]));
      expect(apis.kind).toBe("APIGroupList");
      const resources = await ok(k, ["api-resources"]);
      expect(resources).toMatch(/^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      expect(resources).toMatch(/^pods\s+po\s+v1\s+true\s+Pod$/m);
      const versions = (await ok(k, ["api-versions"])).trim().split("\n");
      expect(versions).toContain("apps/v1");
      expect(versions).toContain("v1");
      expect(versions).toContain("rbac.authorization.k8s.io/v1");
    });

    test("label, annotate and describe", async () => {
      expect(await ok(k, ["label", "pod", "web-2", "stage=qa", ...n])).toBe("pod/web-2 labeled\n");
      // kubectl 1.27 itself prints "annotate" (fixed in later versions).
      const annotated = k.version === "1.27" ? "pod/web-2 annotate\n" : "pod/web-2 annotated\n";
      expect(await ok(k, ["annotate", "pod", "web-2", "note=hi", ...n])).toBe(annotated);
      const pod = JSON.parse(await ok(k, ["get", "pod", "web-2", "-o", "json", ...n]));
      expect(pod.metadata.labels.stage).toBe("qa");
      expect(pod.metadata.annotations.note).toBe("hi");
      const described = await ok(k, ["describe", "pod", "web-2", ...n]);
      expect(described).toMatch(/^Name:\s+web-2$/m);
      expect(described).toMatch(/^Namespace:\s+k/m);
      expect(described).toMatch(/^Labels:\s+app=demo$/m);
      expect(described).toMatch(/^Status:\s+Running$/m);
    });

    test("get -w sees ADDED, MODIFIED and DELETED", async () => {
      const watch = Bun.spawn([k.path, "--kubeconfig", server.kubeconfigPath, "get", "configmaps", "-w", "--output-watch-events", ...n], {
        env: { ...process.env, HOME: server.home, KUBECONFIG: "" },
        stdout: "pipe",
        stderr: "pipe",
      });
      const waitFor = watchedLines(watch.stdout);
      await ok(k, ["create", "-f", "-", "--validate=false", ...n], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: watched\ndata:\n  a: "1"\n`);
      await waitFor(/ADDED\s+watched/);
      await ok(k, ["label", "configmap", "watched", "x=y", ...n]);
      await waitFor(/MODIFIED\s+watched/);
      await ok(k, ["delete", "configmap", "watched", ...n]);
      await waitFor(/DELETED\s+watched/);
      watch.kill();
      await watch.exited;
    });

    test("over HTTP/1.1 (DISABLE_HTTP2), as client-go falls back to it: create, get, get -w and delete", async () => {
      // GODEBUG=http2debug=1 makes Go log every h2 frame: none may appear, so the HTTP/1.1 handler served it all.
      const env = { ...process.env, HOME: server.home, KUBECONFIG: "", DISABLE_HTTP2: "1", GODEBUG: "http2debug=1" };
      const h1 = async (args: string[], stdin?: string) => {
        const r = await run([k.path, "--kubeconfig", server.kubeconfigPath, ...args], env, stdin);
        expect(r.stderr.split("\n").filter((line) => line.includes("http2:"))).toEqual([]);
        return r;
      };
      const watch = Bun.spawn([k.path, "--kubeconfig", server.kubeconfigPath, "get", "configmaps", "-w", "--output-watch-events", ...n], { env, stdout: "pipe", stderr: "pipe" });
      const waitFor = watchedLines(watch.stdout);
      const created = await h1(["create", "-f", "-", "--validate=false", ...n], `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: over-http1\ndata:\n  a: "1"\n`);
      expect(created.stdout).toBe("configmap/over-http1 created\n");
      await waitFor(/ADDED\s+over-http1/);
      const listed = await h1(["get", "configmaps", "over-http1", ...n]);
      expect(listed.stdout).toMatch(/^NAME\s+DATA\s+AGE\nover-http1\s+1\s+\d+s\n$/);
      // kubectl 1.35 adds "from <namespace> namespace" itself.
      expect((await h1(["delete", "configmap", "over-http1", ...n])).stdout).toMatch(/^configmap "over-http1" deleted( from \S+ namespace)?\n$/);
      await waitFor(/DELETED\s+over-http1/);
      watch.kill();
      await watch.exited;
      expect((await new Response(watch.stderr).text()).split("\n").filter((line) => line.includes("http2:"))).toEqual([]);
    });

    test("scale a deployment through the scale subresource", async () => {
      expect(await ok(k, ["create", "-f", "-", "--validate=false", ...n], deploymentYaml("web"))).toBe("deployment.apps/web created\n");
      expect(await ok(k, ["scale", "deployment", "web", "--replicas=3", ...n])).toBe("deployment.apps/web scaled\n");
      expect(await ok(k, ["scale", "deployment", "web", "--current-replicas=3", "--replicas=2", ...n])).toBe("deployment.apps/web scaled\n");
      const d = JSON.parse(await ok(k, ["get", "deploy", "web", "-o", "json", ...n]));
      expect(d.spec.replicas).toBe(2);
      expect(d.metadata.generation).toBe(3);
      const table = await ok(k, ["get", "deploy", ...n]);
      expect(table.split("\n")[0]).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/);
    });

    test("delete waits for the object to go", async () => {
      // kubectl 1.35 names the namespace in its confirmation.
      const deleted = (name: string) => (k.version === "1.35" ? `pod "${name}" deleted from ${ns} namespace\n` : `pod "${name}" deleted\n`);
      expect(await ok(k, ["delete", "pod", "web-1", ...n])).toBe(deleted("web-1"));
      const gone = await server.kubectl(k, ["get", "pod", "web-1", ...n]);
      expect(gone.code).toBe(1);
      expect(await ok(k, ["delete", "pods", "-l", "app=demo", ...n])).toBe(deleted("web-2"));
      const missing = await server.kubectl(k, ["delete", "pod", "nope", ...n]);
      expect(missing.stderr).toBe('Error from server (NotFound): pods "nope" not found\n');
    });

    test("deleting a namespace removes its contents, then the namespace", async () => {
      const doomed = `${ns}-doomed`;
      await ok(k, ["create", "-f", "-", "--validate=false"], `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${doomed}\n`);
      await ok(k, ["create", "-f", "-", "--validate=false", "-n", doomed], podYaml("inside"));
      expect(await ok(k, ["delete", "namespace", doomed])).toBe(`namespace "${doomed}" deleted\n`);
      const after = await server.kubectl(k, ["get", "namespace", doomed]);
      expect(after.stderr).toBe(`Error from server (NotFound): namespaces "${doomed}" not found\n`);
      const pods = await server.kubectl(k, ["get", "pods", "-n", doomed, "-o", "name"]);
      expect(pods.stdout).toBe("");
    });
  });
}
