// The client half against a real kube-apiserver 1.20 (+ etcd 3.4): kapi and kubectl 1.33 run
// the same commands against the same server and must print the same thing and exit the same
// way. Runs when scripts/build-kube-apiserver.sh has built the server on this machine (CI
// builds it); without it the file says so and defines no tests.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { availableKubectls, run, type RunResult } from "../support/kubectl.ts";
import { realApiServerAvailable, startRealApiServer, type RealApiServer } from "./apiserver.ts";

const KAPI = resolve(import.meta.dir, "../../dist/kapi");
const kubectl = availableKubectls().find((k) => k.version === "1.33")!;
const home = mkdtempSync(join(tmpdir(), "kapi-real-home-"));

if (!realApiServerAvailable()) {
  if (process.env.CI) throw new Error("CI must build the real kube-apiserver first: scripts/build-kube-apiserver.sh");
  console.log("tests/real-apiserver: no kube-apiserver built here (scripts/build-kube-apiserver.sh); suite not run");
} else {
  let server: RealApiServer;
  beforeAll(async () => {
    server = await startRealApiServer();
  }, 90_000);
  afterAll(() => server?.stop());

  const runWith = (bin: string, args: string[], stdin?: string) => run([bin, "--kubeconfig", server.kubeconfigPath, ...args], { HOME: join(home, bin === KAPI ? "kapi" : "kubectl"), KUBECONFIG: "" }, stdin);
  const shown = (r: RunResult, text: (s: string) => string) => ({ code: r.code, stdout: text(r.stdout), stderr: text(r.stderr.replace(/\bkubectl(\.[\d.]+)? /g, "kapi ")) });

  /** kubectl, kapi, kubectl again: kapi must equal one of the two (an AGE may tick over between runs). */
  async function expectSame(args: string[], text: (s: string) => string = (s) => s, stdin?: string) {
    const before = shown(await runWith(kubectl.path, args, stdin), text);
    const mine = shown(await runWith(KAPI, args, stdin), text);
    if (Bun.deepEquals(mine, before)) return mine;
    const after = shown(await runWith(kubectl.path, args, stdin), text);
    if (Bun.deepEquals(mine, after)) return mine;
    expect(mine).toEqual(before);
    return mine;
  }

  describe("reads", () => {
    const cases: string[][] = [
      ["get", "namespaces"],
      ["get", "ns", "-o", "name"],
      ["get", "ns", "default", "-o", "yaml"],
      ["get", "ns", "kube-system", "-o", "json"],
      ["get", "ns", "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\n\"}{end}"],
      ["get", "ns", "-o", "custom-columns=NAME:.metadata.name,PHASE:.status.phase"],
      ["get", "clusterroles", "--sort-by=.metadata.name", "-o", "name"],
      ["get", "clusterrole", "view", "-o", "wide"],
      ["get", "pods", "-A"],
      ["get", "services", "-A", "-o", "wide"],
      ["get", "ns", "--show-labels"],
      ["get", "ns", "missing"],
      ["get", "nosuchkind"],
      ["get", "--raw", "/version"],
      ["get", "--raw", "/api"],
      ["get", "--raw", "/api/v1/namespaces/default"],
      ["get", "--raw", "/healthz"],
      ["api-versions"],
      ["api-resources"],
      ["api-resources", "--namespaced=false", "-o", "name"],
      ["api-resources", "--api-group=rbac.authorization.k8s.io", "-o", "wide"],
      ["auth", "can-i", "create", "pods"],
      ["auth", "can-i", "delete", "nodes", "--as=someone"],
      ["auth", "whoami"],
      ["auth", "can-i", "--list", "--as=someone"],
      ["get", "clusterroles", "--chunk-size=7", "-o", "name"],
      ["get", "clusterrolebindings", "-l", "kubernetes.io/bootstrapping=rbac-defaults", "-o", "name"],
      ["get", "ns", "--field-selector=metadata.name=kube-public", "-o", "name"],
      ["get", "ns,clusterroles/admin", "-o", "name"],
      ["get", "serviceaccounts", "-n", "kube-system", "--no-headers", "--sort-by=.metadata.name", "-o", "custom-columns=N:.metadata.name"],
    ];
    for (const args of cases) test(args.join(" "), async () => void (await expectSame(args)));
  });

  describe("writes", () => {
    // The same change made twice, once per client, on objects named after it.
    const named = (s: string) => s.replace(/\b(ns|cm|dep)-(kapi|kubectl)\b/g, "$1-X").replace(/\/(kapi|kubectl)(-bad|-invalid)?\.yaml/g, "/X$2.yaml");
    const meta = (s: string) =>
      named(s)
        .replace(/(uid|resourceVersion|creationTimestamp|time): .*/g, "$1: X")
        .replace(/"(uid|resourceVersion|creationTimestamp|time)": "[^"]*"/g, '"$1": "X"')
        .replace(/(manager): .*/g, "$1: X");

    async function both(args: (who: string) => string[], text: (s: string) => string = named) {
      const theirs = shown(await runWith(kubectl.path, args("kubectl")), text);
      const mine = shown(await runWith(KAPI, args("kapi")), text);
      expect(mine).toEqual(theirs);
      return mine;
    }

    test("create namespace, configmap from literals and a deployment; read them back; delete", async () => {
      expect((await both((w) => ["create", "namespace", `ns-${w}`])).stdout).toBe("namespace/ns-X created\n");
      await both((w) => ["create", "configmap", `cm-${w}`, "-n", `ns-${w}`, "--from-literal=greeting=hello", "--from-literal=count=3"]);
      await both((w) => ["create", "deployment", `dep-${w}`, "-n", `ns-${w}`, "--image=nginx:1.27", "--replicas=2"]);
      await both((w) => ["get", "configmap", `cm-${w}`, "-n", `ns-${w}`, "-o", "yaml"], meta);
      await both((w) => ["get", "deployment", `dep-${w}`, "-n", `ns-${w}`, "-o", "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}"]);
      await both((w) => ["get", "configmap", `cm-${w}`, "-n", `ns-${w}`, "-o", "name"]);
      await both((w) => ["create", "configmap", `cm-${w}`, "-n", `ns-${w}`, "--from-literal=a=b"]);
      await both((w) => ["delete", "configmap", `cm-${w}`, "-n", `ns-${w}`]);
      await both((w) => ["get", "configmap", `cm-${w}`, "-n", `ns-${w}`]);
      await both((w) => ["delete", "deployment", `dep-${w}`, "-n", `ns-${w}`]);
    });

    test("create -f with a manifest, --dry-run=server and -o yaml; invalid input is refused the same way", async () => {
      const dir = mkdtempSync(join(tmpdir(), "kapi-real-manifests-"));
      for (const who of ["kapi", "kubectl"]) {
        writeFileSync(join(dir, `${who}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${who}\n  namespace: default\ndata:\n  k: v\n`);
        writeFileSync(join(dir, `${who}-invalid.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid_${who}\n`);
      }
      await both((w) => ["create", "-f", join(dir, `${w}.yaml`), "--dry-run=server", "-o", "yaml"], (s) => meta(s).replace(dir, "DIR"));
      await both((w) => ["create", "-f", join(dir, `${w}.yaml`)]);
      await both((w) => ["create", "-f", join(dir, `${w}.yaml`)], (s) => named(s).replace(dir, "DIR"));
      await both((w) => ["create", "-f", join(dir, `${w}-invalid.yaml`)], (s) => named(s).replace(/Not_Valid_(kapi|kubectl)/g, "Not_Valid_X").replace(dir, "DIR"));
      await both((w) => ["delete", "-f", join(dir, `${w}.yaml`)]);
    });

    test("create service, job and cronjob (batch/v1 CronJob is not served by 1.20: both fail alike)", async () => {
      await both((w) => ["create", "service", "clusterip", `svc-${w}`, "--tcp=80:8080", "-o", "name"], (s) => s.replace(/svc-(kapi|kubectl)/g, "svc-X"));
      await both((w) => ["create", "service", "nodeport", `svc-${w}`, "--tcp=80"], (s) => s.replace(/svc-(kapi|kubectl)/g, "svc-X"));
      await both((w) => ["create", "job", `job-${w}`, "--image=busybox", "--", "date"], (s) => s.replace(/job-(kapi|kubectl)/g, "job-X"));
      await both((w) => ["get", "job", `job-${w}`, "-o", "jsonpath={.spec.template.spec.containers[0].command}"]);
      await both((w) => ["create", "cronjob", `cj-${w}`, "--image=busybox", "--schedule=* * * * *"]);
      await both((w) => ["create", "job", `job2-${w}`, "--from=cronjob/nightly"]);
    });

    test("a server without fieldValidation: kubectl's client-side schema validation under --validate=strict", async () => {
      const dir = mkdtempSync(join(tmpdir(), "kapi-real-validate-"));
      const manifests: Record<string, string> = {
        unknown: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v-unknown\ndata:\n  k: v\nbogus: true\n",
        nested: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: v-nested\n  labelz: {}\nspec:\n  containers:\n  - name: c\n    image: nginx\n    imagee: typo\n    ports:\n    - containerPort: 80\n      protocl: TCP\n",
        required: "apiVersion: v1\nkind: Pod\nmetadata:\n  name: v-required\nspec:\n  restartPolicy: Never\n",
        types: "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: v-types\nspec:\n  replicas: three\n  paused: 1\n  selector: []\n  template:\n    metadata:\n      labels: x\n    spec:\n      containers: {}\n",
        valid: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v-valid\ndata:\n  n: \"1\"\n",
      };
      for (const [name, text] of Object.entries(manifests)) writeFileSync(join(dir, `${name}.yaml`), text);
      for (const name of Object.keys(manifests)) {
        const args = ["create", "-f", join(dir, `${name}.yaml`), "--dry-run=server", "-o", "name"];
        const theirs = shown(await runWith(kubectl.path, args), (s) => s);
        const mine = shown(await runWith(KAPI, args), (s) => s);
        expect(mine).toEqual(theirs);
        if (name !== "valid") expect(theirs.stderr).toContain("error validating data: ");
        else expect(theirs.stdout).toBe("configmap/v-valid\n");
      }
      // --validate=false sends the object anyway; the server drops what it does not know.
      await both(() => ["create", "-f", join(dir, "unknown.yaml"), "--validate=false", "--dry-run=server", "-o", "jsonpath={.metadata.name}"]);
    });

    test("replace -f, delete -l, delete --all and raw verbs", async () => {
      const dir = mkdtempSync(join(tmpdir(), "kapi-real-replace-"));
      for (const who of ["kapi", "kubectl"]) {
        writeFileSync(join(dir, `${who}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r-${who}\n  labels:\n    owner: ${who}\ndata:\n  k: v1\n`);
        writeFileSync(join(dir, `${who}-v2.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: r-${who}\n  labels:\n    owner: ${who}\ndata:\n  k: v2\n`);
      }
      const text = (s: string) => s.replace(/r-(kapi|kubectl)/g, "r-X").replace(/owner=(kapi|kubectl)/g, "owner=X").replace(dir, "DIR").replace(/\/(kapi|kubectl)(-v2)?\.yaml/g, "/X$2.yaml");
      await both((w) => ["replace", "-f", join(dir, `${w}.yaml`)], text);
      await both((w) => ["create", "-f", join(dir, `${w}.yaml`)], text);
      await both((w) => ["replace", "-f", join(dir, `${w}-v2.yaml`), "-o", "jsonpath={.data.k}"], text);
      await both((w) => ["get", "cm", "-l", `owner=${w}`, "-o", "name"], text);
      await both((w) => ["delete", "cm", "-l", `owner=${w}`], text);
      await both((w) => ["delete", "cm", "-l", `owner=${w}`], text);
      await both((w) => ["get", "--raw", `/api/v1/namespaces/default/configmaps/r-${w}`], text);
      await both(() => ["get", "--raw", "/apis/nosuch.example.com/v1"]);
      await both((w) => ["create", "namespace", `empty-${w}`], (s) => s.replace(/empty-(kapi|kubectl)/g, "empty-X"));
      await both((w) => ["delete", "configmaps", "--all", "-n", `empty-${w}`], (s) => s.replace(/empty-(kapi|kubectl)/g, "empty-X"));
    });

    test("errors from the server: forbidden for an impersonated user, not found, already exists", async () => {
      await both(() => ["get", "secrets", "-n", "kube-system", "--as=jane"]);
      await both(() => ["delete", "namespace", "no-such-namespace"]);
      await both(() => ["create", "namespace", "default"]);
    });
  });
}
