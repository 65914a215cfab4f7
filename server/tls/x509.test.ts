import { describe, expect, test } from "bun:test";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCertificate } from "./cert-info.ts";
import { createCa, issueClientCert, issueServingCert } from "./x509.ts";

const DAY = 24 * 60 * 60 * 1000;
const ca = createCa("kapi-ca", 3650);
const serving = issueServingCert(ca, {
  dnsNames: ["localhost", "kubernetes.default.svc", "LOCALHOST"],
  ips: ["127.0.0.1", "::1", "fd00::10", "127.0.0.1"],
});
const client = issueClientCert(ca, { commonName: "kubernetes-admin", organizations: ["system:masters", "team:b"] });
const caCert = new X509Certificate(ca.certPem);

function daysLeft(cert: X509Certificate): number {
  return (Date.parse(cert.validTo) - Date.now()) / DAY;
}

describe("certificates", () => {
  test("the CA is self-signed, a CA, and valid for ten years", () => {
    expect(caCert.subject).toBe("CN=kapi-ca");
    expect(caCert.issuer).toBe("CN=kapi-ca");
    expect(caCert.ca).toBe(true);
    expect(caCert.verify(caCert.publicKey)).toBe(true);
    expect(caCert.checkPrivateKey(createPrivateKey(ca.keyPem))).toBe(true);
    expect(daysLeft(caCert)).toBeGreaterThan(3649);
    expect(Date.parse(caCert.validFrom)).toBeLessThan(Date.now());
    expect(ca.keyPem).toStartWith("-----BEGIN EC PRIVATE KEY-----");
  });

  test("the serving certificate covers DNS names and IPv4/IPv6 addresses", () => {
    const cert = new X509Certificate(serving.certPem);
    expect(cert.issuer).toBe("CN=kapi-ca");
    expect(cert.ca).toBe(false);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(serving.keyPem))).toBe(true);
    expect(cert.checkHost("localhost")).toBe("localhost");
    expect(cert.checkHost("kubernetes.default.svc")).toBe("kubernetes.default.svc");
    expect(cert.checkHost("example.com")).toBeUndefined();
    expect(cert.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(cert.checkIP("::1")).toBeDefined();
    expect(cert.checkIP("fd00::10")).toBeDefined();
    expect(cert.checkIP("10.0.0.1")).toBeUndefined();
    expect(daysLeft(cert)).toBeGreaterThan(364);
    expect(daysLeft(cert)).toBeLessThan(366);
    const info = parseCertificate(serving.certPem);
    expect(info.dnsNames).toEqual(["localhost", "kubernetes.default.svc"]);
    expect(info.ips).toEqual(["127.0.0.1", "::1", "fd00::10"]);
    expect(info.extKeyUsages).toEqual(["1.3.6.1.5.5.7.3.1"]);
  });

  test("client certificates carry CN and every O as its own RDN", () => {
    const cert = new X509Certificate(client.certPem);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.subject.split("\n").sort()).toEqual(["CN=kubernetes-admin", "O=system:masters", "O=team:b"]);
    const info = parseCertificate(client.certPem);
    expect(info.commonName).toBe("kubernetes-admin");
    expect(info.organizations).toEqual(["system:masters", "team:b"]);
    expect(info.extKeyUsages).toEqual(["1.3.6.1.5.5.7.3.2"]);
    expect(info.fingerprint256).toBe(cert.fingerprint256);
  });

  test("serial numbers are positive, random and at most 16 bytes", () => {
    const serials = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const serial = new X509Certificate(issueClientCert(ca, { commonName: `u${i}` }, 1).certPem).serialNumber;
      expect(serial.length).toBeLessThanOrEqual(32);
      expect(parseInt(serial.slice(0, 2).padStart(2, "0"), 16) & 0x80).toBe(0);
      serials.add(serial);
    }
    expect(serials.size).toBe(20);
  });

  test("a certificate from another CA does not verify", () => {
    const other = createCa("other-ca");
    const stranger = new X509Certificate(issueClientCert(other, { commonName: "x" }).certPem);
    expect(stranger.verify(caCert.publicKey)).toBe(false);
    expect(stranger.checkIssued(caCert)).toBe(false);
  });

  test("invalid names are refused", () => {
    expect(() => issueServingCert(ca, { ips: ["not-an-ip"] })).toThrow();
    expect(() => issueServingCert(ca, { dnsNames: ["bad name"] })).toThrow();
    expect(() => issueClientCert(ca, { commonName: "" })).toThrow();
  });
});

describe("openssl accepts the certificates", () => {
  const openssl = Bun.which("openssl");
  const dir = mkdtempSync(join(tmpdir(), "kapi-x509-"));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const run = (...args: string[]) => {
    if (!openssl) throw new Error("openssl is not installed (apt-get install openssl)");
    const result = Bun.spawnSync([openssl, ...args]);
    return { code: result.exitCode, out: result.stdout.toString() + result.stderr.toString() };
  };

  test("openssl verify chains serving and client certificates to the CA", () => {
    const caPath = file("ca.crt", ca.certPem);
    const servingResult = run("verify", "-CAfile", caPath, "-purpose", "sslserver", file("s.crt", serving.certPem));
    expect(servingResult.out).toContain(": OK");
    expect(servingResult.code).toBe(0);
    const clientResult = run("verify", "-CAfile", caPath, "-purpose", "sslclient", file("c.crt", client.certPem));
    expect(clientResult.out).toContain(": OK");
    expect(run("verify", "-CAfile", caPath, "-purpose", "sslserver", file("c2.crt", client.certPem)).code).not.toBe(0);
  });

  test("openssl x509 -text shows the expected extensions", () => {
    const text = run("x509", "-noout", "-text", "-in", file("s2.crt", serving.certPem)).out;
    expect(text).toContain("Version: 3 (0x2)");
    expect(text).toContain("Signature Algorithm: ecdsa-with-SHA256");
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).toContain("TLS Web Server Authentication");
    expect(text).toMatch(/Basic Constraints: critical\s+CA:FALSE/);
    expect(text).toContain("Subject Key Identifier");
    expect(text).toContain("Authority Key Identifier");
    expect(text).toContain("DNS:localhost, DNS:kubernetes.default.svc, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1");
    const caText = run("x509", "-noout", "-text", "-in", file("ca2.crt", ca.certPem)).out;
    expect(caText).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(caText).toContain("Certificate Sign, CRL Sign");
    expect(run("ec", "-check", "-noout", "-in", file("c.key", client.keyPem)).code).toBe(0);
  });
});
