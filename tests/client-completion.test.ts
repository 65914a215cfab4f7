// Shell completion: `kapi __complete` answers what kubectl 1.33's `__complete` answers for
// resource types, object names and flag values against the same server, and the scripts of
// `kapi completion bash|zsh` turn those answers into the shells' completions.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { availableKubectls, run } from "./support/kubectl.ts";
import { startRecordingServer, type RecordingServer } from "./support/recording-server.ts";

const k = availableKubectls().find((k) => k.version === "1.33")!;
let srv: RecordingServer;
const bin = mkdtempSync(join(tmpdir(), "kapi-completion-"));

beforeAll(async () => {
  srv = await startRecordingServer();
  for (const ns of ["team-a", "team-b"]) await srv.kapi(["create", "namespace", ns]);
  await srv.kapi(["create", "configmap", "settings", "-n", "team-a", "--from-literal=a=b"]);
  // A `kapi` on PATH for the shell scripts, running this checkout.
  writeFileSync(join(bin, "kapi"), `#!/bin/sh\nexec "${process.execPath}" "${resolve(import.meta.dir, "../cmd/main.ts")}" "$@"\n`);
  chmodSync(join(bin, "kapi"), 0o755);
});
afterAll(async () => {
  await srv.stop();
});

describe("__complete answers as kubectl's", () => {
  test.each([
    [["get", ""]],
    [["get", "config"]],
    [["delete", "po"]],
    [["get", "namespaces", ""]],
    [["get", "ns", "team"]],
    [["get", "ns", "team-a", ""]],
    [["get", "configmaps", "-n", "team-a", ""]],
    [["get", "-n", ""]],
    [["get", "--namespace=team"]],
    [["get", "-o", ""]],
    [["create", "-f", ""]],
    [["config", "use-context", ""]],
  ])("%p", async (args) => {
    const kubectl = await srv.kubectl(k, ["__complete", ...args]);
    const kapi = await srv.kapi(["__complete", ...args]);
    expect({ code: kapi.code, stdout: kapi.stdout, stderr: kapi.stderr }).toEqual({ code: kubectl.code, stdout: kubectl.stdout, stderr: kubectl.stderr });
  });

  test("commands, subcommands and flags come with descriptions", async () => {
    const top = await srv.kapi(["__complete", ""]);
    expect(top.stdout).toContain("create\tCreate a resource from a file or from stdin\n");
    expect(top.stdout).not.toContain("__complete");
    expect(top.stdout).toEndWith(":4\n");
    const sub = await srv.kapi(["__complete", "create", "sec"]);
    expect(sub.stdout).toBe("secret\tCreate a secret using a specified subcommand\n:4\n");
    const flags = await srv.kapi(["__complete", "delete", "--ca"]);
    expect(flags.stdout).toBe(`--cache-dir\tDirectory for cached discovery data.\n--cascade\t${"Must be"}${flags.stdout.split("--cascade\tMust be")[1]}`);
    const plain = await srv.kapi(["__completeNoDesc", "create", "sec"]);
    expect(plain.stdout).toBe("secret\n:4\n");
  });
});

describe("completion scripts", () => {
  const env = () => ({ PATH: `${bin}:${process.env.PATH}`, KUBECONFIG: srv.kubeconfigPath, HOME: join(srv.dataDir, "home-kapi") });

  test("bash: COMPREPLY for the word under the cursor", async () => {
    const script = (await run([process.execPath, resolve(import.meta.dir, "../cmd/main.ts"), "completion", "bash"], env())).stdout;
    writeFileSync(join(bin, "kapi.bash"), script);
    const complete = async (line: string) => {
      const probe = `source ${join(bin, "kapi.bash")}
COMP_LINE=${JSON.stringify(line)}; COMP_POINT=\${#COMP_LINE}
read -r -a COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=\${#COMP_WORDS[@]}
__kapi_complete
printf '%s\\n' "\${COMPREPLY[@]}"`;
      return (await run(["bash", "-c", probe], env())).stdout.trim().split("\n").filter(Boolean);
    };
    expect(await complete("kapi cre")).toEqual(["create"]);
    expect(await complete("kapi get ns team-")).toEqual(["team-a", "team-b"]);
    expect(await complete("kapi get configmaps -n team-a ")).toEqual(["kube-root-ca.crt", "settings"]);
    expect(await complete("kapi get --namespace=team-")).toEqual(["team-a", "team-b"]);
    expect(await complete("kapi completion ")).toEqual(["bash", "zsh"]);
  });

  test("zsh: candidates and descriptions handed to _describe", async () => {
    const script = (await run([process.execPath, resolve(import.meta.dir, "../cmd/main.ts"), "completion", "zsh"], env())).stdout;
    expect(script.startsWith("#compdef kapi\n")).toBe(true);
    writeFileSync(join(bin, "kapi.zsh"), script);
    const complete = async (...words: string[]) => {
      const probe = `compdef() { :; }
_describe() { shift 2; local name=$2; print -l -- "\${(@P)name}"; }
_files() { print -- "FILES $*"; }
source ${join(bin, "kapi.zsh")}
words=(${words.map((w) => `'${w}'`).join(" ")}); CURRENT=${words.length}
_kapi`;
      return (await run(["zsh", "-f", "-c", probe], env())).stdout.trim().split("\n").filter(Boolean);
    };
    expect(await complete("kapi", "get", "ns", "team-")).toEqual(["team-a", "team-b"]);
    expect(await complete("kapi", "crea")).toEqual(["create:Create a resource from a file or from stdin"]);
    expect(await complete("kapi", "create", "-f", "")).toEqual(["FILES -g *.(json|yaml|yml)"]);
  });

  test.each([[[]], [["bash", "zsh"]]])("completion %p fails as kubectl's does", async (args) => {
    const kubectl = await run([k.path, "completion", ...args]);
    const kapi = await run([process.execPath, resolve(import.meta.dir, "../cmd/main.ts"), "completion", ...args]);
    expect([kapi.code, kapi.stdout, kapi.stderr.replace("'kapi ", "'kubectl ")]).toEqual([kubectl.code, kubectl.stdout, kubectl.stderr]);
  });

  test("kapi completes bash and zsh only (kubectl also fish and powershell)", async () => {
    const listed = await srv.kapi(["__complete", "completion", ""]);
    expect(listed.stdout).toBe("bash\nzsh\n:4\n");
    const fish = await run([process.execPath, resolve(import.meta.dir, "../cmd/main.ts"), "completion", "fish"]);
    expect([fish.code, fish.stderr]).toEqual([1, `error: Unsupported shell type "fish".\nSee 'kapi completion -h' for help and examples\n`]);
  });
});
