// `kapi create <generator>` and `create --raw` against `kapi serve`, compared with real kubectl
// 1.33 (kapi's output format) run against the same server: stdout, stderr, exit code, and the
// requests the server saw (bodies compared by content, since kubectl 1.33 sends protobuf).
// Bodies are also compared byte for byte with kubectl 1.27's JSON.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { availableKubectls, type Kubectl } from "./support/kubectl.ts";
import { startRecordingServer, type RecordingServer } from "./support/recording-server.ts";
import { runBoth, sentBodies } from "./support/compare.ts";

let srv: RecordingServer;
const dir = mkdtempSync(join(tmpdir(), "kapi-create-"));
const kubectls = availableKubectls();
const k133 = kubectls.find((k) => k.version === "1.33")!;
const k127 = kubectls.find((k) => k.version === "1.27")!;

beforeAll(async () => {
  srv = await startRecordingServer();
  writeFileSync(join(dir, "a.txt"), "hello\n");
  writeFileSync(join(dir, "bin.dat"), new Uint8Array([0xff, 0xfe, 0x00]));
  writeFileSync(join(dir, "app.env"), "# settings\nK1=v1\n  K2=v 2 \n\nK3\nK4=a=b\n");
  writeFileSync(join(dir, "bad.env"), "GOOD=1\nBAD KEY=2\n");
  mkdirSync(join(dir, "conf"));
  writeFileSync(join(dir, "conf", "x.conf"), "x=1");
  writeFileSync(join(dir, "conf", "y.conf"), "y=2");
  mkdirSync(join(dir, "conf", "sub"));
  const ssl = (...args: string[]) => Bun.spawnSync(["openssl", ...args], { cwd: dir, stderr: "pipe" });
  ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=t", "-keyout", "tls.key", "-out", "tls.crt");
  ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1", "-subj", "/CN=o", "-keyout", "other.key", "-out", "other.crt");
  writeFileSync(join(dir, "cm.json"), JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "raw-@" }, data: { a: "b" } }));
  // Namespaces the namespaced generators write into.
  await srv.kapi(["create", "namespace", "gen"]);
});
afterAll(async () => {
  await srv.stop();
});

// Server-assigned values differ between the two runs.
function mask(text: string): string {
  return text
    .replace(/(uid|"uid"):\s*"?[0-9a-f-]{36}"?/g, "$1: UID")
    .replace(/(resourceVersion|"resourceVersion"):\s*"\d+"/g, '$1: "RV"')
    .replace(/(creationTimestamp|"creationTimestamp"):\s*"[^"]+"/g, '$1: "TIME"');
}

/** `create <parent>` with no subcommand: exit code and stdout as kubectl's; returns kapi's stderr (the help). */
async function helpWithoutSubcommand(parent: string): Promise<string> {
  const { kubectl, kapi } = await runBoth(srv, k133, ["create", parent]);
  expect([kapi.code, kapi.stdout]).toEqual([kubectl.code, kubectl.stdout]);
  return kapi.stderr;
}

async function same(args: string[], opts: { stdin?: string; k?: Kubectl } = {}): Promise<void> {
  const { kubectl, kapi } = await runBoth(srv, opts.k ?? k133, args, opts);
  expect({ code: kapi.code, stdout: mask(kapi.stdout), stderr: kapi.stderr }).toEqual({ code: kubectl.code, stdout: mask(kubectl.stdout), stderr: kubectl.stderr });
  expect(kapi.requests).toEqual(kubectl.requests);
  expect(kapi.bodies).toEqual(kubectl.bodies);
}

const f = (name: string) => join(dir, name);

describe("create namespace / serviceaccount", () => {
  test.each([
    [["create", "namespace", "ns-@"]],
    [["create", "ns", "ns2-@", "-o", "name"]],
    [["create", "namespace", "ns3-@", "--dry-run=client", "-o", "yaml"]],
    [["create", "namespace", "ns4-@", "--dry-run=client", "-o", "json"]],
    [["create", "namespace", "ns5-@", "--dry-run=server"]],
    [["create", "namespace", "ns6-@", "--dry-run"]],
    [["create", "namespace", "ns7-@", "--validate=false", "--field-manager=me"]],
    [["create", "namespace", "ns8-@", "--validate=warn", "-o", "yaml"]],
    [["create", "namespace", "ns9-@", "--save-config", "--dry-run=client", "-o", "yaml"]],
    [["create", "namespace", "ns10-@", "--save-config", "-o", "json"]],
    [["create", "namespace", "ns11-@", "-o", "jsonpath={.metadata.name}"]],
    [["create", "namespace"]],
    [["create", "namespace", "a", "b"]],
    [["create", "namespace", "Bad_@"]],
    [["create", "namespace", "gen"]],
    [["create", "namespace", "x-@", "--validate=maybe"]],
    [["create", "namespace", "x-@", "--dry-run=later"]],
    [["create", "namespace", "x-@", "-o", "wide"]],
    [["create", "serviceaccount", "sa-@", "-n", "gen"]],
    [["create", "sa", "sa2-@", "-n", "gen", "--dry-run=client", "-o", "json"]],
  ])("%p", async (args) => {
    await same(args);
  });
});

describe("create configmap / secret", () => {
  test.each([
    [["create", "configmap", "cm-@", "-n", "gen", "--from-literal=a=b", "--from-literal=c="]],
    [["create", "cm", "cm2-@", "--from-file", f("a.txt"), `--from-file=k2=${f("bin.dat")}`, "--dry-run=client", "-o", "json"]],
    [["create", "cm", "cm3-@", `--from-file=${f("conf")}`, "--dry-run=client", "-o", "yaml"]],
    [["create", "cm", "cm4-@", `--from-env-file=${f("app.env")}`, "--dry-run=client", "-o", "json"]],
    [["create", "cm", "cm5", "--from-literal=a=b", "--append-hash", "--dry-run=client", "-o", "name"]],
    [["create", "cm", "cm6-@", "--from-literal=a"]],
    [["create", "cm", "cm6-@", "--from-literal==b"]],
    [["create", "cm", "cm6-@", "--from-literal=a=b", "--from-literal=a=c"]],
    [["create", "cm", "cm6-@", `--from-env-file=${f("bad.env")}`]],
    [["create", "cm", "cm6-@", "--from-literal=a=b", `--from-env-file=${f("app.env")}`]],
    [["create", "cm", "cm6-@", "--from-file=/nonexistent/file"]],
    [["create", "cm", "cm6-@", `--from-file=bad/key=${f("a.txt")}`]],
    [["create", "cm", "cm6-@", `--from-file=k=${f("conf")}`]],
    [["create", "cm", "cm6-@", `--from-file==${f("a.txt")}`]],
    [["create", "secret", "generic", "s-@", "-n", "gen", "--from-literal=k=v", `--from-file=${f("bin.dat")}`]],
    [["create", "secret", "generic", "s2-@", "--from-literal=k=v", "--type=example.com/x", "--dry-run=client", "-o", "json"]],
    [["create", "secret", "generic", "s3", "--from-literal=k=v", "--append-hash", "--dry-run=client", "-o", "name"]],
    [["create", "secret", "generic", "s4-@", "--from-literal=a=b", "--from-literal=a=c"]],
    [["create", "secret", "generic", "s4-@", `--from-env-file=${f("app.env")}`, "--dry-run=client", "-o", "yaml"]],
    [["create", "secret", "generic"]],
    [["create", "secret", "tls", "t-@", "-n", "gen", `--cert=${f("tls.crt")}`, `--key=${f("tls.key")}`]],
    [["create", "secret", "tls", "t2-@", `--cert=${f("tls.crt")}`]],
    [["create", "secret", "tls", "t2-@", `--cert=${f("tls.key")}`, `--key=${f("tls.key")}`]],
    [["create", "secret", "tls", "t2-@", `--cert=${f("tls.crt")}`, `--key=${f("tls.crt")}`]],
    [["create", "secret", "tls", "t2-@", `--cert=${f("tls.crt")}`, `--key=${f("other.key")}`]],
    [["create", "secret", "tls", "t2-@", `--cert=${f("missing.crt")}`, `--key=${f("tls.key")}`]],
    [["create", "secret", "docker-registry", "d-@", "-n", "gen", "--docker-server=r.example", "--docker-username=u", "--docker-password=p", "--docker-email=me.example"]],
    [["create", "secret", "docker-registry", "d2-@", "--docker-username=u", "--docker-password=p", "--dry-run=client", "-o", "json"]],
    [["create", "secret", "docker-registry", "d3-@", "--docker-server=r.example"]],
  ])("%p", async (args) => {
    await same(args);
  });

  test("create secret with no subcommand prints its help to stderr and fails", async () => {
    expect(await helpWithoutSubcommand("secret")).toContain("Available Commands:\n  docker-registry ");
  });
});

describe("create deployment", () => {
  test.each([
    [["create", "deployment", "web-@", "-n", "gen", "--image=nginx"]],
    [["create", "deploy", "web2-@", "--image=nginx", "--image=busybox:1.36", "--replicas=3", "--port=8080", "--dry-run=client", "-o", "json"]],
    [["create", "deployment", "web3-@", "--image=nginx:1.27", "--dry-run=client", "-o", "yaml", "--", "sleep", "10"]],
    [["create", "deployment", "web4-@", "--image=nginx", "--image=busybox", "--", "sleep", "10"]],
    [["create", "deployment", "web5-@"]],
    [["create", "deployment", "--image=nginx"]],
    [["create", "deployment", "web6-@", "--image=nginx", "--replicas=-1"]],
  ])("%p", async (args) => {
    await same(args);
  });

  test("an image name that is not a valid container name gets kubectl's rewrite plus a random suffix", async () => {
    const r = await srv.kapi(["create", "deployment", "x", "--image=reg.example:5000/team/my_app.v2@sha256:abcd", "--dry-run=client", "-o", "json"]);
    expect(JSON.parse(r.stdout).spec.template.spec.containers[0].name).toMatch(/^my-app-v2-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});

describe("create role / clusterrole / bindings", () => {
  test.each([
    [["create", "role", "r-@", "-n", "gen", "--verb=get,list", "--resource=pods,deploy.apps,rs", "--resource-name=a"]],
    [["create", "role", "r2-@", "--verb=get", "--resource=pods", "--resource=po", "--resource=pods/log", "--dry-run=client", "-o", "json"]],
    [["create", "role", "r3-@", "--verb=*", "--resource=*", "--dry-run=client", "-o", "yaml"]],
    [["create", "role", "r4-@", "--verb=frobnicate", "--resource=pods", "--dry-run=client", "-o", "name"]],
    [["create", "role", "r5-@", "--verb=impersonate", "--resource=users,serviceaccounts", "--dry-run=client", "-o", "json"]],
    [["create", "role", "r6-@", "--verb=use", "--resource=pods"]],
    [["create", "role", "r6-@", "--verb=get", "--resource=widgets"]],
    [["create", "role", "r6-@", "--verb=get", "--resource=widgets.example.com"]],
    [["create", "role", "r6-@", "--verb=get"]],
    [["create", "role", "r6-@", "--resource=pods"]],
    [["create", "clusterrole", "cr-@", "--verb=get,post", "--resource=pods", "--non-resource-url=/x,/y/*"]],
    [["create", "clusterrole", "cr2-@", "--aggregation-rule=b=2,a=1", "--dry-run=client", "-o", "json"]],
    [["create", "clusterrole", "cr3-@", "--aggregation-rule=a=1", "--verb=get"]],
    [["create", "clusterrole", "cr3-@", "--verb=get"]],
    [["create", "clusterrole", "cr3-@", "--verb=list", "--non-resource-url=/x"]],
    [["create", "clusterrole", "cr3-@", "--verb=get", "--non-resource-url=x"]],
    [["create", "clusterrole", "cr3-@", "--verb=get", "--non-resource-url=/a*/b"]],
    [["create", "rolebinding", "rb-@", "-n", "gen", "--clusterrole=view", "--user=u1", "--user=u2", "--group=g", "--serviceaccount=gen:sa"]],
    [["create", "rolebinding", "rb2-@", "--role=r", "--dry-run=client", "-o", "json"]],
    [["create", "rolebinding", "rb3-@", "--role=r", "--clusterrole=c"]],
    [["create", "rolebinding", "rb3-@"]],
    [["create", "rolebinding", "rb3-@", "--role=r", "--serviceaccount=bad"]],
    [["create", "clusterrolebinding", "crb-@", "--clusterrole=view", "--user=u", "--group=g", "--serviceaccount=gen:sa"]],
    [["create", "clusterrolebinding", "crb2-@", "--clusterrole=view", "--dry-run=client", "-o", "yaml"]],
  ])("%p", async (args) => {
    await same(args);
  });
});

describe("create service / job / cronjob", () => {
  beforeAll(async () => {
    expect((await srv.kapi(["create", "cronjob", "nightly", "-n", "gen", "--image=busybox", "--schedule=0 3 * * *", "--", "date"])).code).toBe(0);
    expect((await srv.kapi(["create", "deployment", "not-a-cronjob", "-n", "gen", "--image=nginx"])).code).toBe(0);
    expect((await srv.kapi(["create", "job", "taken-job", "-n", "gen", "--image=busybox"])).code).toBe(0);
  });

  test.each([
    [["create", "service", "clusterip", "s-@", "-n", "gen", "--tcp=5678:8080", "--tcp=80"]],
    [["create", "svc", "clusterip", "s2-@", "--clusterip=None", "-o", "yaml"]],
    [["create", "service", "nodeport", "s3-@", "--tcp=5678:8080", "--node-port=30080", "--dry-run=client", "-o", "json"]],
    [["create", "service", "loadbalancer", "s4-@", "--tcp=80:http", "-o", "name"]],
    [["create", "service", "loadbalancer", "s4b-@", "--tcp=80:http", "--dry-run=client", "-o", "json"]],
    [["create", "service", "externalname", "s5-@", "--external-name=bar.example.com", "--tcp=80", "-o", "yaml"]],
    [["create", "service", "clusterip", "s6-@", "--tcp=80:99999"]],
    [["create", "service", "clusterip", "s6-@", "--tcp=abc"]],
    [["create", "service", "clusterip", "s6-@", "--tcp=70000"]],
    [["create", "service", "clusterip", "s6-@", "--tcp=80:Bad_Name"]],
    [["create", "service", "clusterip", "s6-@"]],
    [["create", "service", "nodeport", "s6-@", "--clusterip=None"]],
    [["create", "service", "externalname", "s6-@"]],
    [["create", "service", "externalname", "s6-@", "--external-name=Not_DNS"]],
    [["create", "job", "j-@", "-n", "gen", "--image=busybox", "--", "sh", "-c", "echo hi"]],
    [["create", "job", "j2-@", "--image=busybox", "-o", "yaml"]],
    [["create", "job", "j3-@", "-n", "gen", "--from=cronjob/nightly", "-o", "yaml"]],
    [["create", "job", "j4-@", "-n", "gen", "--from=cronjob/missing"]],
    [["create", "job", "j4-@", "-n", "gen", "--from=deploy/not-a-cronjob"]],
    [["create", "job", "j4-@", "--from=nosuchtype"]],
    [["create", "job", "j4-@", "--image=x", "--from=cronjob/nightly"]],
    [["create", "job", "j4-@", "--from=cronjob/nightly", "--", "date"]],
    [["create", "job", "j4-@"]],
    [["create", "cronjob", "c-@", "-n", "gen", "--image=busybox", "--schedule=*/5 * * * *", "--restart=Never", "--", "date"]],
    [["create", "cj", "c2-@", "--image=busybox", "--schedule=@hourly", "-o", "json"]],
    [["create", "cronjob", "c3-@", "--image=busybox"]],
    [["create", "cronjob", "c3-@"]],
    [["create", "cronjob", "nightly", "-n", "gen", "--image=busybox", "--schedule=* * * * *"]],
    [["create", "job", "taken-job", "-n", "gen", "--image=busybox"]],
  ])("%p", async (args) => {
    await same(args);
  });

  test("create service with no subcommand prints its help to stderr and fails", async () => {
    const help = await helpWithoutSubcommand("service");
    expect(help).toContain("Aliases:\nservice, svc\n");
    expect(help).toContain("Available Commands:\n  clusterip      Create a ClusterIP service\n  externalname   Create an ExternalName service\n");
  });

  test("a taken service name: kubectl's wording names the service type", async () => {
    expect((await srv.kapi(["create", "service", "clusterip", "taken-svc", "-n", "gen", "--tcp=80"])).code).toBe(0);
    await same(["create", "service", "clusterip", "taken-svc", "-n", "gen", "--tcp=80"]);
    await same(["create", "service", "nodeport", "taken-svc", "-n", "gen", "--tcp=80"]);
  });
});

describe("server errors are worded per generator, as kubectl words them", () => {
  const existing: string[][] = [
    ["create", "namespace", "taken"],
    ["create", "configmap", "taken", "-n", "gen"],
    ["create", "secret", "generic", "taken", "-n", "gen", "--from-literal=k=v"],
    ["create", "serviceaccount", "taken", "-n", "gen"],
    ["create", "deployment", "taken", "-n", "gen", "--image=nginx"],
    ["create", "role", "taken", "-n", "gen", "--verb=get", "--resource=pods"],
    ["create", "clusterrole", "taken", "--verb=get", "--resource=pods"],
    ["create", "rolebinding", "taken", "-n", "gen", "--role=taken"],
    ["create", "clusterrolebinding", "taken", "--clusterrole=taken"],
  ];
  beforeAll(async () => {
    for (const args of existing) expect((await srv.kapi(args)).code).toBe(0);
  });

  test.each([
    ...existing.map((args) => [args]),
    [["create", "secret", "tls", "taken", "-n", "gen", `--cert=${join(dir, "tls.crt")}`, `--key=${join(dir, "tls.key")}`]],
    [["create", "secret", "docker-registry", "taken", "-n", "gen", "--docker-username=u", "--docker-password=p"]],
    [["create", "configmap", "c", "-n", "no-such-ns", "--from-literal=k=v"]],
    [["create", "serviceaccount", "Not_Valid", "-n", "gen"]],
  ])("%p", async (args) => {
    await same(args);
  });
});

describe("create token", () => {
  beforeAll(async () => {
    await srv.kapi(["create", "serviceaccount", "bot", "-n", "gen"]);
  });

  test("prints the token alone, from the same TokenRequest", async () => {
    const { kubectl, kapi } = await runBoth(srv, k133, ["create", "token", "bot", "-n", "gen", "--duration=15m", "--audience=a1", "--audience=a2"]);
    expect(kapi.code).toBe(0);
    expect(kapi.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(kubectl.stdout).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(kapi.requests).toEqual(kubectl.requests);
    expect(kapi.bodies).toEqual(kubectl.bodies);
    const claims = JSON.parse(Buffer.from(kapi.stdout.split(".")[1]!, "base64url").toString());
    expect(claims.aud).toEqual(["a1", "a2"]);
    expect(claims.exp - claims.iat).toBe(900);
  });

  test.each([
    [["create", "token", "nope-@"]],
    [["create", "token", "bot", "-n", "gen", "--bound-object-kind=Pod", "--bound-object-name=p-@"]],
    [["create", "token", "bot", "-n", "gen", "--bound-object-kind=Secret", "--bound-object-name=s-@", "--bound-object-uid=123"]],
    [["create", "token", "bot", "--bound-object-kind=Deployment", "--bound-object-name=x"]],
    [["create", "token", "bot", "--bound-object-kind=Pod"]],
    [["create", "token", "bot", "--bound-object-name=x"]],
    [["create", "token", "bot", "--bound-object-uid=x"]],
    [["create", "token", "bot", "--duration=-1s"]],
    [["create", "token", "bot", "--duration=1500ms"]],
    [["create", "token", "bot", "--audience="]],
    [["create", "token", "default", "--duration=1s"]],
    [["create", "token"]],
  ])("%p", async (args) => {
    await same(args);
  });
});

describe("kapi's JSON bodies are kubectl 1.27's, byte for byte", () => {
  test.each([
    [["create", "namespace", "b-@"]],
    [["create", "configmap", "b-@", "-n", "gen", "--from-literal=z=1", "--from-literal=a=<&>"]],
    [["create", "secret", "generic", "b-@", "-n", "gen", "--from-literal=k=v", "--save-config"]],
    [["create", "deployment", "b-@", "-n", "gen", "--image=nginx", "--port=80"]],
    [["create", "clusterrolebinding", "b-@", "--clusterrole=view", "--user=u"]],
    [["create", "token", "default", "--audience=x", "--duration=20m"]],
    [["create", "service", "nodeport", "b-@", "-n", "gen", "--tcp=80:8080", "--node-port=30090"]],
    [["create", "job", "b-@", "-n", "gen", "--image=busybox", "--", "date"]],
    [["create", "cronjob", "b-@", "-n", "gen", "--image=busybox", "--schedule=0 * * * *"]],
  ])("%p", async (args) => {
    const { kubectl, kapi } = await runBoth(srv, k127, args);
    expect(sentBodies(kapi.raw.requests).map((b) => b.replace(/a\d+x/g, "@"))).toEqual(sentBodies(kubectl.raw.requests).map((b) => b.replace(/k\d+x/g, "@")));
  });
});

describe("create --raw", () => {
  test.each([
    [["create", "--raw", "/api/v1/namespaces/gen/configmaps?dryRun=All", "-f", "FILE"]],
    [["create", "--raw", "/api/v1/namespaces/gen/configmaps", "-f", "-"]],
    [["create", "--raw", "/api/v1/namespaces/gen/configmaps"]],
    [["create", "--raw", "/x", "-f", "FILE", "-f", "FILE"]],
    [["create", "--raw", "/x", "-f", "http://example.invalid/x"]],
    [["create", "--raw", "/x", "-R", "-f", "FILE"]],
    [["create", "--raw", "/x", "-l", "a=b", "-f", "FILE"]],
    [["create", "--raw", "/x", "-o", "json", "-f", "FILE"]],
    [["create", "--raw", "x", "-f", "FILE"]],
    [["create", "--raw", "/x%zz", "-f", "FILE"]],
    [["create", "--raw", "/x", "-f", "FILE", "extra"]],
    [["create", "--raw", "/api/v1/namespaces/gen/configmaps", "-f", "/nonexistent.json"]],
    [["create", "--raw", "/api/v1/nope", "-f", "FILE"]],
  ])("%p", async (args) => {
    const file = f("cm.json");
    const stdin = args.includes("-") ? JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "stdin-@" } }) : undefined;
    const { kubectl, kapi } = await runBoth(srv, k133, args.map((a) => (a === "FILE" ? file : a)), { stdin });
    expect({ code: kapi.code, stdout: mask(kapi.stdout), stderr: kapi.stderr }).toEqual({ code: kubectl.code, stdout: mask(kubectl.stdout), stderr: kubectl.stderr });
    expect(kapi.requests).toEqual(kubectl.requests);
    expect(kapi.raw.requests.map((r) => [r.headers.get("content-type"), r.headers.get("accept"), r.body.replace(/a\d+x/g, "@")])).toEqual(
      kubectl.raw.requests.map((r) => [r.headers.get("content-type"), r.headers.get("accept"), r.body.replace(/k\d+x/g, "@")]),
    );
  });
});
