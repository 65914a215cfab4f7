import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { Oid, parseCertificate } from "./cert-info.ts";
import {
  derBitString,
  derBoolean,
  derChildren,
  derContent,
  derExplicit,
  derImplicit,
  derInteger,
  derNamedBits,
  derNull,
  derOctetString,
  derOid,
  derSequence,
  derSet,
  derTime,
  derUtf8String,
  readDer,
} from "./der.ts";
import { ipToBytes } from "./ip.ts";
import { derToPem } from "./pem.ts";

/** A PEM certificate and its PEM private key. */
export interface CertKeyPair {
  certPem: string;
  keyPem: string;
}

/** Subject of a client certificate: Kubernetes reads CN as the user and every O as a group. */
export interface ClientCertSpec {
  commonName: string;
  organizations?: string[];
}

/** Names a serving certificate answers for. */
export interface ServingCertSpec {
  commonName?: string;
  dnsNames?: string[];
  /** IPv4 or IPv6 literals. */
  ips?: string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;
// Tolerates small clock skew between the machine issuing and the one verifying (kubeadm does the same).
const BACKDATE_MS = 5 * 60 * 1000;

const KeyUsageBit = { digitalSignature: 0, keyCertSign: 5, cRLSign: 6 } as const;

interface CertTemplate {
  subject: Buffer;
  issuer: Buffer;
  publicKey: KeyObject;
  signer: KeyObject;
  days: number;
  extensions: Buffer[];
}

function newKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" });
}

/** SEC1 "EC PRIVATE KEY", as client-go's keyutil and kubeadm write ECDSA keys. */
function privateKeyPem(key: KeyObject): string {
  return key.export({ type: "sec1", format: "pem" }).toString();
}

function encodeName(spec: ClientCertSpec): Buffer {
  const attribute = (oid: string, value: string) => derSet(derSequence(derOid(oid), derUtf8String(value)));
  // Go's pkix.Name order: O before CN, one RDN per value.
  const rdns = (spec.organizations ?? []).map((o) => attribute(Oid.organization, o));
  if (spec.commonName) rdns.push(attribute(Oid.commonName, spec.commonName));
  return derSequence(...rdns);
}

function signatureAlgorithm(signer: KeyObject): Buffer {
  if (signer.asymmetricKeyType === "ec") return derSequence(derOid(Oid.ecdsaWithSha256));
  if (signer.asymmetricKeyType === "rsa") return derSequence(derOid(Oid.sha256WithRsa), derNull());
  throw new Error(`unsupported CA key type ${signer.asymmetricKeyType}`);
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = publicKey.export({ type: "spki", format: "der" });
  const bits = derChildren(readDer(spki))[1]!;
  return createHash("sha1").update(derContent(bits).subarray(1)).digest();
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  return derSequence(derOid(oid), ...(critical ? [derBoolean(true)] : []), derOctetString(value));
}

function randomSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, and a full 16 bytes (no leading zero to drop)
  serial[15]! |= 0x01; // never zero
  return serial;
}

function buildCertificate(template: CertTemplate): string {
  const now = Math.floor(Date.now() / 1000) * 1000;
  const algorithm = signatureAlgorithm(template.signer);
  const tbs = derSequence(
    derExplicit(0, derInteger(2)),
    derInteger(randomSerial()),
    algorithm,
    template.issuer,
    derSequence(derTime(new Date(now - BACKDATE_MS)), derTime(new Date(now + template.days * DAY_MS))),
    template.subject,
    template.publicKey.export({ type: "spki", format: "der" }),
    derExplicit(3, derSequence(...template.extensions)),
  );
  const signature = sign("sha256", tbs, template.signer);
  return derToPem(derSequence(tbs, algorithm, derBitString(signature)), "CERTIFICATE");
}

/** Creates a self-signed ECDSA P-256 certificate authority. */
export function createCa(commonName: string, days = 3650): CertKeyPair {
  const { privateKey, publicKey } = newKeyPair();
  const subject = encodeName({ commonName });
  const certPem = buildCertificate({
    subject,
    issuer: subject,
    publicKey,
    signer: privateKey,
    days,
    extensions: [
      extension(Oid.keyUsage, true, derNamedBits([KeyUsageBit.digitalSignature, KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign])),
      extension(Oid.basicConstraints, true, derSequence(derBoolean(true))),
      extension(Oid.subjectKeyIdentifier, false, derOctetString(keyIdentifier(publicKey))),
    ],
  });
  return { certPem, keyPem: privateKeyPem(privateKey) };
}

function issueLeaf(ca: CertKeyPair, subject: ClientCertSpec, days: number, usages: string[], sans: Buffer[]): CertKeyPair {
  const caInfo = parseCertificate(ca.certPem);
  const signer = createPrivateKey(ca.keyPem);
  const { privateKey, publicKey } = newKeyPair();
  const extensions = [
    extension(Oid.keyUsage, true, derNamedBits([KeyUsageBit.digitalSignature])),
    extension(Oid.extKeyUsage, false, derSequence(...usages.map(derOid))),
    extension(Oid.basicConstraints, true, derSequence()),
    extension(Oid.subjectKeyIdentifier, false, derOctetString(keyIdentifier(publicKey))),
    extension(
      Oid.authorityKeyIdentifier,
      false,
      derSequence(derImplicit(0, caInfo.subjectKeyId ?? keyIdentifier(createPublicKey(signer)))),
    ),
  ];
  if (sans.length > 0) extensions.push(extension(Oid.subjectAltName, false, derSequence(...sans)));
  const certPem = buildCertificate({
    subject: encodeName(subject),
    issuer: caInfo.subjectDer,
    publicKey,
    signer,
    days,
    extensions,
  });
  return { certPem, keyPem: privateKeyPem(privateKey) };
}

/** Issues a serverAuth certificate for the given DNS names and IP addresses. */
export function issueServingCert(ca: CertKeyPair, spec: ServingCertSpec, days = 365): CertKeyPair {
  const seen = new Set<string>();
  const sans: Buffer[] = [];
  for (const name of spec.dnsNames ?? []) {
    const dns = name.trim().toLowerCase();
    if (!dns || seen.has(`dns:${dns}`)) continue;
    seen.add(`dns:${dns}`);
    if (!/^[\x21-\x7e]+$/.test(dns)) throw new Error(`invalid DNS name for a certificate: ${name}`);
    sans.push(derImplicit(2, Buffer.from(dns, "ascii")));
  }
  for (const ip of spec.ips ?? []) {
    const bytes = ipToBytes(ip.trim());
    if (!bytes) throw new Error(`invalid IP address for a certificate: ${ip}`);
    if (seen.has(`ip:${bytes.toString("hex")}`)) continue;
    seen.add(`ip:${bytes.toString("hex")}`);
    sans.push(derImplicit(7, bytes));
  }
  return issueLeaf(ca, { commonName: spec.commonName ?? "kube-apiserver" }, days, [Oid.serverAuth], sans);
}

/** Issues a clientAuth certificate: CN is the Kubernetes user name, each O a group. */
export function issueClientCert(ca: CertKeyPair, spec: ClientCertSpec, days = 365): CertKeyPair {
  if (!spec.commonName) throw new Error("a client certificate needs a common name");
  return issueLeaf(ca, spec, days, [Oid.clientAuth], []);
}
