// Starts a real `kapi serve` (in-process, HTTPS on a free port) in a temporary data dir.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer, type RunningServer, type ServeOptions } from "../../server/index.ts";
import { run, type Kubectl, type RunResult } from "./kubectl.ts";

/** A server for one test file plus helpers to drive kubectl against it. */
export interface TestServer extends RunningServer {
  dataDir: string;
  home: string;
  kubectl(k: Kubectl, args: string[], stdin?: string): Promise<RunResult>;
  /** Runs kubectl and returns its stdout; throws with its stderr unless it exits 0. */
  kubectlOk(k: Kubectl, args: string[], stdin?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts a server with its own data dir and a HOME for kubectl's caches; `overrides` adds serve options. */
export async function startTestServer(overrides: Partial<ServeOptions> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "kapi-test-"));
  const home = join(dataDir, "home");
  const server = await startServer({ dataDir, address: "127.0.0.1", port: 0, tlsSans: [], quiet: true, ...overrides });
  const kubectl = (k: Kubectl, args: string[], stdin?: string) => run([k.path, "--kubeconfig", server.kubeconfigPath, ...args], { HOME: home, KUBECONFIG: "" }, stdin);
  return {
    ...server,
    dataDir,
    home,
    kubectl,
    async kubectlOk(k, args, stdin) {
      const r = await kubectl(k, args, stdin);
      if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
      return r.stdout;
    },
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
