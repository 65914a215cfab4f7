// The compiled binary (dist/kapi, built by `npm test` first): dispatch, flag errors, help,
// `version` with and without a server, exit codes. Expected texts were checked against
// kubectl 1.32 where kubectl has the same case.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const KAPI = resolve(import.meta.dir, "../dist/kapi");
const VERSION = JSON.parse(readFileSync(resolve(import.meta.dir, "../package.json"), "utf8")).version as string;
const GIT_VERSION = `v1.33.0+kapi.${VERSION}`;
const home = mkdtempSync(join(tmpdir(), "kapi-cli-test-"));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs dist/kapi with a clean HOME and no KUBECONFIG. Async, so in-process servers can answer. */
async function kapi(args: string[], env: Record<string, string> = {}): Promise<Result> {
  const child = Bun.spawn([KAPI, ...args], {
    env: { PATH: process.env.PATH ?? "", HOME: home, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited]);
  return { code, stdout, stderr };
}

interface Seen {
  url: string;
  headers: Headers;
}

let server: ReturnType<typeof Bun.serve>;
const seen: Seen[] = [];
const serverVersion = { major: "1", minor: "33", gitVersion: "v1.33.9-test", gitCommit: "abc", gitTreeState: "clean", buildDate: "2025-01-01T00:00:00Z", goVersion: "go1.24", compiler: "gc", platform: "linux/amd64", extra: "dropped" };

beforeAll(() => {
  expect(existsSync(KAPI)).toBe(true);
  server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(req) {
      const url = new URL(req.url);
      seen.push({ url: url.pathname + url.search, headers: req.headers });
      if (url.pathname === "/version") return Response.json(serverVersion);
      if (url.pathname === "/old/version") return Response.json({ major: "1", minor: "29", gitVersion: "v1.29.0" });
      if (url.pathname === "/warn/version") {
        return Response.json(serverVersion, { headers: { Warning: '299 - "this API is deprecated"' } });
      }
      return Response.json({ kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404, message: "the server could not find the requested resource" }, { status: 404 });
    },
  });
});

afterAll(() => {
  server.stop(true);
  rmSync(home, { recursive: true, force: true });
});

const url = () => `http://127.0.0.1:${server.port}`;

describe("help", () => {
  test("no arguments, --help and help print the overview", async () => {
    for (const args of [[], ["--help"], ["-h"], ["help"]]) {
      const r = await kapi(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/\nOther Commands:\n(  .*\n)*  version /);
      expect(r.stdout).toContain("Usage:\n  kapi [flags] [options]\n");
      expect(r.stderr).toBe("");
    }
  });

  test("CMD --help and help CMD print the command's help", async () => {
    const a = await kapi(["version", "--help"]);
    const b = await kapi(["help", "version"]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain("    -o, --output='':\n\tOne of 'yaml' or 'json'.\n");
    expect(a.stdout).toContain("Usage:\n  kapi version [flags] [options]\n");
  });

  test("help for an unknown topic", async () => {
    const r = await kapi(["help", "nope"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("Unknown help topic [`nope`]\n");
  });

  test("options lists the global flags", async () => {
    const r = await kapi(["options"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("The following options can be passed to any command:\n");
    for (const flag of ["--kubeconfig=''", "-n, --namespace=''", "-s, --server=''", "--as-group=[]", "-v, --v=0", "--request-timeout='0'"]) {
      expect(r.stdout).toContain(`    ${flag}:\n`);
    }
  });
});

describe("errors are kubectl's", () => {
  const cases: [string[], string][] = [
    [["version", "--foo"], "error: unknown flag: --foo\nSee 'kapi version --help' for usage.\n"],
    [["version", "-z"], "error: unknown shorthand flag: 'z' in -z\nSee 'kapi version --help' for usage.\n"],
    [["version", "-o"], "error: flag needs an argument: 'o' in -o\nSee 'kapi version --help' for usage.\n"],
    [["version", "--output"], "error: flag needs an argument: --output\nSee 'kapi version --help' for usage.\n"],
    [["version", "--client=x"], 'error: invalid argument "x" for "--client" flag: strconv.ParseBool: parsing "x": invalid syntax\nSee \'kapi version --help\' for usage.\n'],
    [["version", "-vx"], 'error: invalid argument "x" for "-v, --v" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee \'kapi version --help\' for usage.\n'],
    [["serve", "--port=x"], 'error: invalid argument "x" for "--port" flag: strconv.ParseInt: parsing "x": invalid syntax\nSee \'kapi serve --help\' for usage.\n'],
    [["--foo", "version"], "error: unknown flag: --foo\nSee 'kapi --help' for usage.\n"],
    [["-n"], "error: flag needs an argument: 'n' in -n\nSee 'kapi --help' for usage.\n"],
    [["foo"], 'error: unknown command "foo" for "kapi"\n'],
    [["vresion"], 'error: unknown command "vresion" for "kapi"\n\nDid you mean this?\n\tversion\n'],
    [["version", "--client", "-o", "foo"], "error: --output must be 'yaml' or 'json'\n"],
    [["version", "extra"], "error: extra arguments: [extra]\n"],
    [["version", "--request-timeout=1x"], "error: Invalid timeout value. Timeout must be a single integer in seconds, or an integer followed by a corresponding time unit (e.g. 1s | 2m | 3h)\n"],
  ];
  test.each(cases)("kapi %p", async (args, stderr) => {
    const r = await kapi(args);
    expect(r.stderr).toBe(stderr);
    expect(r.stdout).toBe("");
    expect(r.code).toBe(1);
  });
});

describe("version --client", () => {
  test("plain", async () => {
    const r = await kapi(["version", "--client"]);
    expect(r).toEqual({ code: 0, stdout: `Client Version: ${GIT_VERSION}\n`, stderr: "" });
  });

  test("does not read the kubeconfig", async () => {
    const r = await kapi(["version", "--client", "--kubeconfig", "/nonexistent"]);
    expect(r.code).toBe(0);
  });

  test("-o json has kubectl's field names", async () => {
    const r = await kapi(["version", "-o", "json", "--client"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(["clientVersion"]);
    expect(Object.keys(doc.clientVersion)).toEqual(["major", "minor", "gitVersion", "gitCommit", "gitTreeState", "buildDate", "goVersion", "compiler", "platform"]);
    expect(doc.clientVersion).toMatchObject({ major: "1", minor: "33", gitVersion: GIT_VERSION, compiler: "bun" });
    expect(doc.clientVersion.goVersion).toStartWith("bun1.");
    expect(doc.clientVersion.buildDate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  test("-oyaml sorts keys and quotes what YAML would misread", async () => {
    const r = await kapi(["version", "-oyaml", "--client"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toStartWith("clientVersion:\n  buildDate: \"");
    expect(r.stdout).toContain('  major: "1"\n  minor: "33"\n');
    expect(r.stdout).toEndWith("\n\n");
  });
});

describe("version against a server", () => {
  test("prints both versions and sends kubectl's request", async () => {
    const r = await kapi(["version", "-s", url()]);
    expect(r).toEqual({ code: 0, stdout: `Client Version: ${GIT_VERSION}\nServer Version: v1.33.9-test\n`, stderr: "" });
    const req = seen[seen.length - 1]!;
    expect(req.url).toBe("/version?timeout=32s");
    expect(req.headers.get("accept")).toBe("application/json, */*");
    expect(req.headers.get("user-agent")).toMatch(/^kapi\/v1\.33\.0\+kapi\.\S+ \(\w+\/\w+\) kubernetes\/(\w{7}|unknown)$/);
    expect(req.headers.get("kubectl-command")).toBe("kapi version");
  });

  test("-o json keeps version.Info's fields only", async () => {
    const r = await kapi(["version", "-s", url(), "-o", "json"]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.serverVersion).toEqual({ ...serverVersion, extra: undefined });
    expect(Object.keys(doc)).toEqual(["clientVersion", "serverVersion"]);
  });

  test("through a kubeconfig in $KUBECONFIG, with -v=6 tracing", async () => {
    const kubeconfig = join(home, "kubeconfig");
    writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: c\nclusters: [{name: k, cluster: {server: "${url()}"}}]\ncontexts: [{name: c, context: {cluster: k}}]\n`);
    const r = await kapi(["version", "-v=6"], { KUBECONFIG: kubeconfig });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Server Version: v1.33.9-test\n");
    expect(r.stderr).toContain(`Config loaded from file:  ${kubeconfig}`);
    expect(r.stderr).toMatch(new RegExp(`\\] GET ${url()}/version\\?timeout=32s 200 OK in \\d+ milliseconds\\n`));
  });

  test("an unreachable server: client version, then kubectl's connection message", async () => {
    const r = await kapi(["version"]);
    expect(r).toEqual({
      code: 1,
      stdout: `Client Version: ${GIT_VERSION}\n`,
      stderr: "The connection to the server localhost:8080 was refused - did you specify the right host or port?\n",
    });
  });

  test("a Status error from the server", async () => {
    const r = await kapi(["version", "-s", `${url()}/missing`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`Client Version: ${GIT_VERSION}\n`);
    expect(r.stderr).toBe("Error from server (NotFound): the server could not find the requested resource\n");
  });

  test("kubeconfig errors stop before anything is printed", async () => {
    const r = await kapi(["version", "-s", url(), "--context", "x"]);
    expect(r).toEqual({ code: 1, stdout: "", stderr: 'error: context "x" does not exist\n' });
  });

  test("version skew warning", async () => {
    const r = await kapi(["version", "-s", `${url()}/old`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("WARNING: version difference between client (1.33) and server (1.29) exceeds the supported minor version skew of +/-1\n");
  });

  test("server warnings, and --warnings-as-errors", async () => {
    const a = await kapi(["version", "-s", `${url()}/warn`]);
    expect(a.code).toBe(0);
    expect(a.stderr).toBe("Warning: this API is deprecated\n");
    const b = await kapi(["version", "-s", `${url()}/warn`, "--warnings-as-errors"]);
    expect(b.code).toBe(1);
    expect(b.stderr).toBe("Warning: this API is deprecated\nerror: 1 warning received\n");
  });
});

describe("serve", () => {
  test("serves until SIGTERM, answers kapi version over TLS, exits 0", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kapi-cli-serve-"));
    const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = probe.port;
    probe.stop(true);
    const child = Bun.spawn([KAPI, "serve", "--data-dir", dataDir, "--port", String(port)], { env: { PATH: process.env.PATH ?? "", HOME: home }, stdout: "pipe", stderr: "pipe" });
    try {
      const reader = child.stdout.getReader();
      let banner = "";
      while (!banner.includes(`:${port}`)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`kapi serve exited early: ${await new Response(child.stderr).text()}`);
        banner += new TextDecoder().decode(value);
      }
      const kubeconfig = readdirSync(dataDir).find((f) => f.endsWith("kubeconfig"));
      expect(kubeconfig).toBeDefined();
      const r = await kapi(["version", "--kubeconfig", join(dataDir, kubeconfig!)]);
      expect(r.stderr).toBe("");
      expect(r.stdout).toMatch(new RegExp(`^Client Version: ${GIT_VERSION.replace(/[.+]/g, "\\$&")}\nServer Version: v1\\.\\d+\\.\\d+\\S*\n$`));
      child.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
