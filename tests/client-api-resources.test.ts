// `kapi api-resources` and `kapi api-versions` against `kapi serve`, compared with real
// kubectl 1.33 on the same server: output, errors, exit codes and the discovery requests.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableKubectls } from "./support/kubectl.ts";
import { startRecordingServer, type Recorded, type RecordingServer } from "./support/recording-server.ts";

const k = availableKubectls().find((k) => k.version === "1.33")!;
let srv: RecordingServer;

beforeAll(async () => {
  srv = await startRecordingServer();
});
afterAll(async () => {
  await srv.stop();
});

const lines = (r: Recorded) => r.requests.map((q) => `${q.method} ${q.url} ${q.headers.get("accept")}`);

async function same(args: string[]): Promise<void> {
  const kubectl = await srv.kubectl(k, args);
  const kapi = await srv.kapi(args);
  const fix = (s: string) => s.replace(/'kubectl(\.[\d.]+)? /g, "'kapi ");
  expect({ code: kapi.code, stdout: kapi.stdout, stderr: fix(kapi.stderr) }).toEqual({ code: kubectl.code, stdout: kubectl.stdout, stderr: fix(kubectl.stderr) });
  expect(lines(kapi)).toEqual(lines(kubectl));
}

describe("api-resources", () => {
  test.each([
    [["api-resources"]],
    [["api-resources", "-o", "wide"]],
    [["api-resources", "-o", "name"]],
    [["api-resources", "--no-headers"]],
    [["api-resources", "--namespaced=false"]],
    [["api-resources", "--namespaced"]],
    [["api-resources", "--api-group=rbac.authorization.k8s.io"]],
    [["api-resources", "--api-group="]],
    [["api-resources", "--verbs=list,create", "-o", "wide"]],
    [["api-resources", "--verbs=bogus"]],
    [["api-resources", "--categories=all"]],
    [["api-resources", "--sort-by=kind"]],
    [["api-resources", "--sort-by=name", "-o", "name"]],
    [["api-resources", "--cached"]],
    [["api-resources", "--sort-by=size"]],
    [["api-resources", "-o", "json"]],
    [["api-resources", "extra"]],
  ])("%p", async (args) => {
    await same(args);
  });
});

describe("api-versions", () => {
  test.each([[["api-versions"]], [["api-versions", "extra"]]])("%p", async (args) => {
    await same(args);
  });
});
