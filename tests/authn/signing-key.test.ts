// The service-account signing key lives in `dataDir/pki/sa.key`: created once, reused after a
// restart (so issued tokens stay valid), and a kubeadm-style RSA key is honoured.
import { afterEach, describe, expect, test } from "bun:test";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore } from "../../store/index.ts";
import { createServerCore } from "../../server/index.ts";
import { createServiceAccount, forbiddenPodsFor, tokenFor, withToken } from "./helpers.ts";
import type { InProcessServer } from "../support/in-process.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A server core over a SQLite file in `dataDir`, driven like the in-process helper. */
async function start(dataDir: string): Promise<InProcessServer> {
  const store = await openSqliteStore(join(dataDir, "kapi.db"));
  const core = await createServerCore(store, { dataDir, serverAddress: "127.0.0.1:6443", endpoint: { ip: "127.0.0.1", port: 6443 } });
  const request = (method: string, path: string, opts: { body?: unknown; headers?: Record<string, string>; as?: unknown } = {}) => {
    const headers: Record<string, string> = { "content-type": "application/json", ...(opts.headers ?? {}) };
    const peerCertificate = opts.as === "anonymous" ? undefined : { commonName: "kubernetes-admin", organizations: ["system:masters"] };
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    return core.app.fetch(new Request(`https://127.0.0.1:6443${path}`, { method, headers, body }), { remoteAddress: "127.0.0.1", peerCertificate });
  };
  return {
    core,
    request: request as InProcessServer["request"],
    async json(method, path, opts) {
      const res = await request(method, path, opts as any);
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async close() {
      await core.close();
      await store.close();
    },
  };
}

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "kapi-sakey-"));
  dirs.push(dir);
  return dir;
}

describe("service-account signing key", () => {
  test("is created with mode 0600 (and sa.pub beside it) and survives a restart with its tokens", async () => {
    const dir = dataDir();
    const first = await start(dir);
    await createServiceAccount(first, "default", "durable");
    const token = await tokenFor(first, "default", "durable");
    await first.close();
    expect(statSync(join(dir, "pki", "sa.key")).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, "pki", "sa.pub"))).toBe(true);

    const second = await start(dir);
    expect((await withToken(second, token)).body.message).toBe(forbiddenPodsFor("system:serviceaccount:default:durable"));
    await second.close();
  });

  test("an existing RSA sa.key (as kubeadm writes it) signs RS256 tokens", async () => {
    const dir = dataDir();
    mkdirSync(join(dir, "pki"), { recursive: true });
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(join(dir, "pki", "sa.key"), privateKey.export({ type: "pkcs1", format: "pem" }), { mode: 0o600 });
    const s = await start(dir);
    await createServiceAccount(s, "default", "rsa");
    const token = await tokenFor(s, "default", "rsa");
    expect(JSON.parse(Buffer.from(token.split(".")[0], "base64url").toString()).alg).toBe("RS256");
    expect((await withToken(s, token)).body.message).toBe(forbiddenPodsFor("system:serviceaccount:default:rsa"));
    await s.close();
  });

  test("an unusable sa.key stops the server from starting", async () => {
    const dir = dataDir();
    mkdirSync(join(dir, "pki"), { recursive: true });
    writeFileSync(join(dir, "pki", "sa.key"), "not a key");
    const store = await openSqliteStore(":memory:");
    await expect(createServerCore(store, { dataDir: dir, serverAddress: "x", endpoint: { ip: "127.0.0.1", port: 1 } })).rejects.toThrow("unusable service-account signing key");
    await store.close();
  });
});
