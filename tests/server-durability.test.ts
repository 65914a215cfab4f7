// Acknowledged writes survive `kill -9` of `kapi serve`: the compiled binary is started,
// written to over HTTPS by concurrent clients, killed mid-stream, restarted on the same data
// dir, and every create that got a 201 must be there with its content.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const binary = resolve(import.meta.dir, "../dist/kapi");
const dataDir = mkdtempSync(join(tmpdir(), "kapi-durability-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function startServe(): Promise<{ proc: ReturnType<typeof Bun.spawn>; url: string }> {
  const proc = Bun.spawn([binary, "serve", "--data-dir", dataDir, "--port", "0"], { stdout: "pipe", stderr: "inherit" });
  const reader = proc.stdout.getReader();
  let out = "";
  for (let i = 0; i < 100 && !/serving on (\S+)/.test(out); i++) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const url = /serving on (\S+)/.exec(out)?.[1];
  if (!url) throw new Error(`kapi serve did not start: ${out}`);
  return { proc, url };
}

function tls() {
  const pki = join(dataDir, "pki");
  return { ca: readFileSync(join(pki, "ca.crt"), "utf8"), cert: readFileSync(join(pki, "admin.crt"), "utf8"), key: readFileSync(join(pki, "admin.key"), "utf8") };
}

test("every acknowledged create survives kill -9 and a restart", async () => {
  const acknowledged = new Map<string, string>();
  for (let round = 0; round < 3; round++) {
    const { proc, url } = await startServe();
    const options = tls();
    let stop = false;
    const writer = async (worker: number) => {
      for (let i = 0; !stop && i < 400; i++) {
        const name = `r${round}-w${worker}-${i}`;
        const value = `${name}:${"x".repeat(200)}`;
        try {
          const res = await fetch(`${url}/api/v1/namespaces/default/configmaps`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { value } }),
            tls: options,
          });
          if (res.status === 201) acknowledged.set(name, value);
        } catch {
          return; // the server is gone
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w));
    // Kill once a good number of writes have been acknowledged in this round.
    const before = acknowledged.size;
    for (let i = 0; i < 500 && acknowledged.size - before < 150; i++) await Bun.sleep(10);
    proc.kill("SIGKILL");
    stop = true;
    await Promise.all(writers);
    await proc.exited;
    expect(acknowledged.size - before).toBeGreaterThan(0);
  }

  const { proc, url } = await startServe();
  try {
    const res = await fetch(`${url}/api/v1/namespaces/default/configmaps`, { tls: tls() });
    const list = (await res.json()) as { items: { metadata: { name: string }; data: { value: string } }[] };
    const stored = new Map(list.items.map((cm) => [cm.metadata.name, cm.data?.value]));
    const missing = [...acknowledged].filter(([name, value]) => stored.get(name) !== value).map(([name]) => name);
    expect(missing).toEqual([]);
  } finally {
    proc.kill("SIGKILL");
    await proc.exited;
  }
});
