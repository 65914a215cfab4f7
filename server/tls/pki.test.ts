import { describe, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { parseCertificate } from "./cert-info.ts";
import { loadOrCreatePki, servingNames } from "./pki.ts";

const DAY = 24 * 60 * 60 * 1000;
const FILES = ["ca.crt", "ca.key", "apiserver.crt", "apiserver.key", "admin.crt", "admin.key"];

function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), "kapi-pki-"));
}

describe("loadOrCreatePki", () => {
  test("first start creates the CA, serving and admin certificates with private keys at 0600", () => {
    const dataDir = tempDataDir();
    const pki = loadOrCreatePki(dataDir, { sans: ["10.1.2.3", "kapi.example.com", "fd00::5"] });
    expect(pki.dir).toBe(join(dataDir, "pki"));
    expect(pki.written.sort()).toEqual([...FILES].sort());
    for (const name of FILES) {
      const mode = statSync(join(pki.dir, name)).mode & 0o777;
      expect(mode).toBe(name.endsWith(".key") ? 0o600 : 0o644);
    }
    expect(readFileSync(join(pki.dir, "ca.crt"), "utf8")).toBe(pki.ca.certPem);

    const serving = parseCertificate(pki.serving.certPem);
    for (const name of ["localhost", hostname().toLowerCase(), "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "kapi.example.com"]) {
      expect(serving.dnsNames).toContain(name);
    }
    expect(serving.ips).toEqual(expect.arrayContaining(["127.0.0.1", "::1", "10.1.2.3", "fd00::5"]));
    const caCert = new X509Certificate(pki.ca.certPem);
    expect(new X509Certificate(pki.serving.certPem).verify(caCert.publicKey)).toBe(true);
    expect((parseCertificate(pki.ca.certPem).notAfter.getTime() - Date.now()) / DAY).toBeGreaterThan(3649);

    const admin = parseCertificate(pki.admin.certPem);
    expect(admin.commonName).toBe("kubernetes-admin");
    expect(admin.organizations).toEqual(["system:masters"]);
    expect(new X509Certificate(pki.admin.certPem).verify(caCert.publicKey)).toBe(true);
  });

  test("later starts reuse everything when the names are covered", () => {
    const dataDir = tempDataDir();
    const first = loadOrCreatePki(dataDir, { sans: ["10.1.2.3"] });
    const second = loadOrCreatePki(dataDir, { sans: ["10.1.2.3"] });
    expect(second.written).toEqual([]);
    expect(second.ca).toEqual(first.ca);
    expect(second.serving).toEqual(first.serving);
    expect(second.admin).toEqual(first.admin);
    expect(loadOrCreatePki(dataDir).written).toEqual([]); // a subset is covered too
  });

  test("a new SAN reissues only the serving certificate from the same CA", () => {
    const dataDir = tempDataDir();
    const first = loadOrCreatePki(dataDir);
    const second = loadOrCreatePki(dataDir, { sans: ["192.168.7.7", "[fd00::7]", "Api.Example.COM"] });
    expect(second.written.sort()).toEqual(["apiserver.crt", "apiserver.key"]);
    expect(second.ca).toEqual(first.ca);
    expect(second.admin).toEqual(first.admin);
    const cert = new X509Certificate(second.serving.certPem);
    expect(cert.checkIP("192.168.7.7")).toBe("192.168.7.7");
    expect(cert.checkIP("fd00::7")).toBeDefined();
    expect(cert.checkHost("api.example.com")).toBe("api.example.com");
    expect(cert.verify(new X509Certificate(first.ca.certPem).publicKey)).toBe(true);
  });

  test("leaves expiring within 30 days are reissued; the CA is kept", () => {
    const dataDir = tempDataDir();
    const first = loadOrCreatePki(dataDir);
    const later = loadOrCreatePki(dataDir, { now: new Date(Date.now() + 340 * DAY) });
    expect(later.written.sort()).toEqual(["admin.crt", "admin.key", "apiserver.crt", "apiserver.key"]);
    expect(later.ca).toEqual(first.ca);
    expect(loadOrCreatePki(dataDir, { now: new Date(Date.now() + 300 * DAY) }).written).toEqual([]);
  });

  test("leaves not signed by the CA are reissued", () => {
    const dataDir = tempDataDir();
    const first = loadOrCreatePki(dataDir);
    const foreign = loadOrCreatePki(tempDataDir());
    writeFileSync(join(first.dir, "admin.crt"), foreign.admin.certPem);
    writeFileSync(join(first.dir, "admin.key"), foreign.admin.keyPem);
    const again = loadOrCreatePki(dataDir);
    expect(again.written.sort()).toEqual(["admin.crt", "admin.key"]);
    expect(new X509Certificate(again.admin.certPem).verify(new X509Certificate(first.ca.certPem).publicKey)).toBe(true);
  });

  test("a damaged CA is reported rather than silently replaced", () => {
    const dataDir = tempDataDir();
    const first = loadOrCreatePki(dataDir);
    const other = loadOrCreatePki(tempDataDir());
    writeFileSync(join(first.dir, "ca.key"), other.ca.keyPem);
    expect(() => loadOrCreatePki(dataDir)).toThrow(/ca.key does not match/);
  });

  test("issueClientCert signs further users with the cluster CA", () => {
    const pki = loadOrCreatePki(tempDataDir());
    const jane = pki.issueClientCert({ commonName: "jane", organizations: ["dev", "ops"] }, 2);
    const info = parseCertificate(jane.certPem);
    expect(info.commonName).toBe("jane");
    expect(info.organizations).toEqual(["dev", "ops"]);
    expect((info.notAfter.getTime() - Date.now()) / DAY).toBeLessThan(2.01);
    expect(new X509Certificate(jane.certPem).verify(new X509Certificate(pki.ca.certPem).publicKey)).toBe(true);
  });

  test("servingNames splits IPs from DNS names and dedupes", () => {
    const names = servingNames(["10.0.0.1", "10.0.0.1", "0:0::1", "Example.org", " "]);
    expect(names.ips).toEqual(["127.0.0.1", "::1", "10.0.0.1"]);
    expect(names.dnsNames).toContain("example.org");
    expect(names.dnsNames.filter((n) => n === "localhost")).toHaveLength(1);
  });
});
