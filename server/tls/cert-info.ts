import { createHash } from "node:crypto";
import { decodeOid, derChildren, derContent, derRaw, readDer, Tag, type DerNode } from "./der.ts";
import { bytesToIp } from "./ip.ts";
import { pemToDer } from "./pem.ts";

/** OIDs this package reads or writes. */
export const Oid = {
  commonName: "2.5.4.3",
  organization: "2.5.4.10",
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  sha256WithRsa: "1.2.840.113549.1.1.11",
} as const;

/** The fields of a certificate that the PKI and the listener care about. */
export interface CertificateInfo {
  der: Buffer;
  /** The raw DER of the subject Name, to be copied verbatim as a child's issuer. */
  subjectDer: Buffer;
  commonName: string;
  /** Every O attribute of the subject, in order (Kubernetes groups). */
  organizations: string[];
  dnsNames: string[];
  /** IP SANs in canonical text form (IPv6 compressed). */
  ips: string[];
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  subjectKeyId?: Buffer;
  extKeyUsages: string[];
  /** SHA-256 of the DER, upper-case hex pairs joined by ":" (node's fingerprint256 format). */
  fingerprint256: string;
}

function parseTime(node: DerNode): Date {
  const text = derContent(node).toString("ascii");
  const full = node.tag === Tag.utcTime ? (Number(text.slice(0, 2)) >= 50 ? "19" : "20") + text : text;
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(full);
  if (!m) throw new Error(`unsupported certificate time ${text}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  return new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
}

function parseName(node: DerNode): { commonName: string; organizations: string[] } {
  let commonName = "";
  const organizations: string[] = [];
  for (const rdn of derChildren(node)) {
    for (const attribute of derChildren(rdn)) {
      const [type, value] = derChildren(attribute);
      if (!type || !value) continue;
      const oid = decodeOid(type);
      const text = derContent(value).toString("utf8");
      if (oid === Oid.commonName) commonName = text;
      else if (oid === Oid.organization) organizations.push(text);
    }
  }
  return { commonName, organizations };
}

function formatFingerprint(der: Uint8Array): string {
  const hex = createHash("sha256").update(der).digest("hex").toUpperCase();
  return hex.match(/../g)!.join(":");
}

/** Parses a certificate given as PEM text or DER bytes. */
export function parseCertificate(input: string | Uint8Array): CertificateInfo {
  const der = typeof input === "string" ? pemToDer(input) : Buffer.from(input);
  const [tbs] = derChildren(readDer(der));
  if (!tbs) throw new Error("malformed certificate");
  const fields = derChildren(tbs);
  const rest = fields[0]?.tag === 0xa0 ? fields.slice(1) : fields;
  const [, , , validity, subject] = rest;
  if (!validity || !subject) throw new Error("malformed certificate");
  const [notBefore, notAfter] = derChildren(validity).map(parseTime);
  const info: CertificateInfo = {
    der,
    subjectDer: derRaw(subject),
    ...parseName(subject),
    dnsNames: [],
    ips: [],
    notBefore: notBefore!,
    notAfter: notAfter!,
    isCa: false,
    extKeyUsages: [],
    fingerprint256: formatFingerprint(der),
  };
  const extensions = rest.find((node) => node.tag === 0xa3);
  for (const extension of extensions ? derChildren(derChildren(extensions)[0]!) : []) {
    const parts = derChildren(extension);
    const oid = decodeOid(parts[0]!);
    const value = readDer(derContent(parts[parts.length - 1]!));
    if (oid === Oid.subjectAltName) {
      for (const name of derChildren(value)) {
        if (name.tag === 0x82) info.dnsNames.push(derContent(name).toString("ascii"));
        if (name.tag === 0x87) info.ips.push(bytesToIp(derContent(name)));
      }
    } else if (oid === Oid.subjectKeyIdentifier) {
      info.subjectKeyId = derContent(value);
    } else if (oid === Oid.basicConstraints) {
      const first = derChildren(value)[0];
      info.isCa = first?.tag === Tag.boolean && derContent(first)[0] !== 0;
    } else if (oid === Oid.extKeyUsage) {
      info.extKeyUsages = derChildren(value).map(decodeOid);
    }
  }
  return info;
}
