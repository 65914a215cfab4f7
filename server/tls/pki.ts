import { createPrivateKey, X509Certificate } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { parseCertificate, type CertificateInfo } from "./cert-info.ts";
import { bytesToIp, ipToBytes } from "./ip.ts";
import { createCa, issueClientCert, issueServingCert, type CertKeyPair, type ClientCertSpec } from "./x509.ts";

/** The cluster's certificates as loaded from (or written to) `dataDir/pki`. */
export interface Pki {
  dir: string;
  ca: CertKeyPair;
  /** The API server's serving certificate (`apiserver.crt`/`apiserver.key`). */
  serving: CertKeyPair;
  /** Client certificate for CN `kubernetes-admin`, O `system:masters`. */
  admin: CertKeyPair;
  /** File names written by this call (empty when everything was reused). */
  written: string[];
  /** Issues another client certificate from the cluster CA (not written to disk). */
  issueClientCert(spec: ClientCertSpec, days?: number): CertKeyPair;
}

/** Options for {@link loadOrCreatePki}. */
export interface PkiOptions {
  /** Extra serving names: IP literals become IP SANs, anything else a DNS SAN. */
  sans?: string[];
  /** Clock for expiry decisions (tests). */
  now?: Date;
}

const CA_DAYS = 3650;
const LEAF_DAYS = 365;
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;
const ADMIN = { commonName: "kubernetes-admin", organizations: ["system:masters"] };

/** The DNS names and IPs the serving certificate must cover for the given extra SANs. */
export function servingNames(extraSans: string[] = []): { dnsNames: string[]; ips: string[] } {
  const names = [
    "localhost",
    "127.0.0.1",
    "::1",
    hostname().toLowerCase(),
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    ...extraSans,
  ];
  const dnsNames = new Set<string>();
  const ips = new Set<string>();
  for (const raw of names) {
    const name = raw.trim();
    if (!name) continue;
    const ip = ipToBytes(name);
    if (ip) ips.add(bytesToIp(ip));
    else dnsNames.add(name.toLowerCase());
  }
  return { dnsNames: [...dnsNames], ips: [...ips] };
}

function readPair(dir: string, base: string): CertKeyPair | undefined {
  const certPath = join(dir, `${base}.crt`);
  const keyPath = join(dir, `${base}.key`);
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  return { certPem: readFileSync(certPath, "utf8"), keyPem: readFileSync(keyPath, "utf8") };
}

function writeAtomic(path: string, data: string, mode: number): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}

function writePair(dir: string, base: string, pair: CertKeyPair, written: string[]): void {
  writeAtomic(join(dir, `${base}.key`), pair.keyPem, 0o600);
  writeAtomic(join(dir, `${base}.crt`), pair.certPem, 0o644);
  written.push(`${base}.crt`, `${base}.key`);
}

function keyMatches(pair: CertKeyPair): boolean {
  return new X509Certificate(pair.certPem).checkPrivateKey(createPrivateKey(pair.keyPem));
}

/** Parses a leaf and checks it still chains to the CA, matches its key and is not about to expire. */
function usableLeaf(pair: CertKeyPair | undefined, ca: CertKeyPair, now: Date): CertificateInfo | undefined {
  if (!pair) return undefined;
  try {
    const caCert = new X509Certificate(ca.certPem);
    const cert = new X509Certificate(pair.certPem);
    if (!cert.checkIssued(caCert) || !cert.verify(caCert.publicKey) || !keyMatches(pair)) return undefined;
    const info = parseCertificate(pair.certPem);
    return info.notAfter.getTime() - now.getTime() > RENEW_BEFORE_MS ? info : undefined;
  } catch {
    return undefined;
  }
}

function loadCa(dir: string, now: Date): CertKeyPair | undefined {
  const ca = readPair(dir, "ca");
  if (!ca) {
    if (existsSync(join(dir, "ca.crt")) || existsSync(join(dir, "ca.key")))
      throw new Error(`${dir}: ca.crt and ca.key must both exist or both be absent`);
    return undefined;
  }
  let info: CertificateInfo;
  try {
    info = parseCertificate(ca.certPem);
    if (!keyMatches(ca)) throw new Error("ca.key does not match ca.crt");
  } catch (error) {
    throw new Error(`${dir}: unusable cluster CA: ${(error as Error).message}`);
  }
  if (!info.isCa) throw new Error(`${dir}/ca.crt is not a CA certificate`);
  // An expired CA can no longer vouch for anything, so starting over loses nothing.
  return info.notAfter > now ? ca : undefined;
}

/**
 * Loads the cluster PKI from `dataDir/pki`, creating what is missing: a CA (10 years), the
 * API server's serving certificate and the admin client certificate (1 year each). Leaves
 * expiring within 30 days, no longer signed by the CA, or (for the serving certificate) not
 * covering the requested names are reissued from the existing CA.
 */
export function loadOrCreatePki(dataDir: string, options: PkiOptions = {}): Pki {
  const now = options.now ?? new Date();
  const dir = join(dataDir, "pki");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const written: string[] = [];

  let ca = loadCa(dir, now);
  if (!ca) {
    ca = createCa("kapi-ca", CA_DAYS);
    writePair(dir, "ca", ca, written);
  }

  const wanted = servingNames(options.sans);
  let serving = readPair(dir, "apiserver");
  const servingInfo = usableLeaf(serving, ca, now);
  const covered =
    servingInfo &&
    wanted.dnsNames.every((name) => servingInfo.dnsNames.includes(name)) &&
    wanted.ips.every((ip) => servingInfo.ips.includes(ip));
  if (!serving || !covered) {
    serving = issueServingCert(ca, wanted, LEAF_DAYS);
    writePair(dir, "apiserver", serving, written);
  }

  let admin = readPair(dir, "admin");
  const adminInfo = usableLeaf(admin, ca, now);
  const adminOk = adminInfo?.commonName === ADMIN.commonName && adminInfo.organizations.includes("system:masters");
  if (!admin || !adminOk) {
    admin = issueClientCert(ca, ADMIN, LEAF_DAYS);
    writePair(dir, "admin", admin, written);
  }

  const authority = ca;
  return {
    dir,
    ca,
    serving,
    admin,
    written,
    issueClientCert: (spec, days = LEAF_DAYS) => issueClientCert(authority, spec, days),
  };
}
