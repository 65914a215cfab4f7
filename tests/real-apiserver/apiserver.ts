// A real kube-apiserver 1.20 (built by scripts/build-kube-apiserver.sh) with etcd 3.4, on
// loopback, with certificates from kapi's own PKI code: the counterpart that proves the client
// half behaves the same against a real server as against `kapi serve`.
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { loadOrCreatePki } from "../../server/tls/index.ts";
import { writeAdminKubeconfig } from "../../server/tls/kubeconfig.ts";

/** Where the build script leaves kube-apiserver and etcd. */
export const kubeDir = process.env.KAPI_KUBE_DIR ?? join(homedir(), ".cache/kapi/kube-1.20");

/** Whether a real kube-apiserver has been built on this machine. */
export function realApiServerAvailable(): boolean {
  return existsSync(join(kubeDir, "kube-apiserver")) && existsSync(join(kubeDir, "etcd"));
}

/** A running kube-apiserver with its etcd. */
export interface RealApiServer {
  url: string;
  kubeconfigPath: string;
  dir: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts etcd and kube-apiserver in a fresh temp dir and waits until /readyz answers. */
export async function startRealApiServer(): Promise<RealApiServer> {
  const dir = mkdtempSync(join(tmpdir(), "kapi-real-apiserver-"));
  const pki = loadOrCreatePki(dir, { sans: ["127.0.0.1"] });
  const sa = generateKeyPairSync("rsa", { modulusLength: 2048 });
  writeFileSync(join(pki.dir, "sa.key"), sa.privateKey.export({ type: "pkcs8", format: "pem" }));
  writeFileSync(join(pki.dir, "sa.pub"), sa.publicKey.export({ type: "spki", format: "pem" }));
  const [etcdPort, peerPort, port] = [await freePort(), await freePort(), await freePort()];
  const children: Subprocess[] = [];
  let log = "";
  const spawn = (cmd: string[]) => {
    const child = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe" });
    (async () => {
      for await (const chunk of child.stderr) log = (log + new TextDecoder().decode(chunk)).slice(-8000);
    })().catch(() => {});
    children.push(child);
    return child;
  };
  const stop = async () => {
    for (const child of children.reverse()) {
      child.kill();
      await child.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  spawn([join(kubeDir, "etcd"), "--data-dir", join(dir, "etcd"), "--listen-client-urls", etcdUrl, "--advertise-client-urls", etcdUrl, "--listen-peer-urls", `http://127.0.0.1:${peerPort}`, "--initial-advertise-peer-urls", `http://127.0.0.1:${peerPort}`, "--initial-cluster", `default=http://127.0.0.1:${peerPort}`]);
  const apiserver = spawn([
    join(kubeDir, "kube-apiserver"),
    `--etcd-servers=${etcdUrl}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${port}`,
    "--insecure-port=0",
    `--cert-dir=${join(dir, "certs")}`,
    `--tls-cert-file=${join(pki.dir, "apiserver.crt")}`,
    `--tls-private-key-file=${join(pki.dir, "apiserver.key")}`,
    `--client-ca-file=${join(pki.dir, "ca.crt")}`,
    `--service-account-key-file=${join(pki.dir, "sa.pub")}`,
    `--service-account-signing-key-file=${join(pki.dir, "sa.key")}`,
    "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
    "--api-audiences=https://kubernetes.default.svc.cluster.local",
    "--authorization-mode=RBAC",
    "--service-cluster-ip-range=10.96.0.0/16",
    "--enable-priority-and-fairness=false",
  ]);
  const url = `https://127.0.0.1:${port}`;
  const kubeconfigPath = join(dir, "admin.kubeconfig");
  writeAdminKubeconfig(kubeconfigPath, { serverUrl: url, caPem: pki.ca.certPem, certPem: pki.admin.certPem, keyPem: pki.admin.keyPem, clusterName: "real" });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (apiserver.exitCode !== null) {
      await stop();
      throw new Error(`kube-apiserver exited (${apiserver.exitCode}):\n${log}`);
    }
    try {
      const r = await fetch(`${url}/readyz`, { tls: { ca: pki.ca.certPem, cert: pki.admin.certPem, key: pki.admin.keyPem } });
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`kube-apiserver not ready after 60 s:\n${log}`);
    }
    await Bun.sleep(200);
  }
  return { url, kubeconfigPath, dir, stop };
}
