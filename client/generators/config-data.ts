// ConfigMap and Secret objects built the way kubectl's `create configmap` and
// `create secret generic|tls|docker-registry` build them, field order included (the order of
// the Go structs, which is what kubectl's JSON bodies and `-o json` show).

import { X509Certificate, createHash, createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { configKeyErrors, envFileSource, fileSource, isUtf8, literalSource, sortedRecord, type KeyValue } from "./sources.ts";
import { objectMeta } from "./meta.ts";
import { goJson } from "../object-output.ts";

type Obj = Record<string, unknown>;

/** The data flags shared by configmap and secret generic. */
export interface DataSources {
  literals: string[];
  files: string[];
  envFiles: string[];
}

/** Options of `create configmap`. */
export interface ConfigMapOptions extends DataSources {
  name: string;
  namespace?: string;
  appendHash: boolean;
}

/** Options of `create secret generic`. */
export interface SecretOptions extends DataSources {
  name: string;
  namespace?: string;
  type: string;
  appendHash: boolean;
}

function collect(sources: DataSources): KeyValue[] {
  if (sources.envFiles.length > 0 && (sources.files.length > 0 || sources.literals.length > 0)) {
    throw new Error("from-env-file cannot be combined with from-file or from-literal");
  }
  return [...sources.files.flatMap((f) => fileSource(f)), ...sources.literals.map(literalSource), ...sources.envFiles.flatMap((f) => envFileSource(f))];
}

/** `create configmap NAME --from-…`. */
export function configMap(o: ConfigMapOptions): Obj {
  const data: [string, string][] = [];
  const binary: [string, string][] = [];
  const seen = new Set<string>();
  for (const { key, value } of collect(o)) {
    const errors = configKeyErrors(key);
    if (errors.length) throw new Error(`${JSON.stringify(key)} is not a valid key name for a ConfigMap: ${errors.join("; ")}`);
    if (seen.has(key)) throw new Error(`cannot add key ${JSON.stringify(key)}, another key by that name already exists in Data for ConfigMap ${JSON.stringify(o.name)}`);
    seen.add(key);
    if (isUtf8(value)) data.push([key, new TextDecoder().decode(value)]);
    else binary.push([key, Buffer.from(value).toString("base64")]);
  }
  const body: Obj = {};
  if (data.length) body.data = sortedRecord(data);
  if (binary.length) body.binaryData = sortedRecord(binary);
  const hashed = { ...(binary.length ? { binaryData: body.binaryData } : {}), data: body.data ?? null, kind: "ConfigMap", name: o.name };
  const name = o.appendHash ? `${o.name}-${contentHash(hashed)}` : o.name;
  return { kind: "ConfigMap", apiVersion: "v1", metadata: objectMeta(name, o.namespace), ...body };
}

/** `create secret generic NAME --from-…`. */
export function genericSecret(o: SecretOptions): Obj {
  const data: [string, string][] = [];
  const seen = new Set<string>();
  for (const { key, value } of collect(o)) {
    const errors = configKeyErrors(key);
    if (errors.length) throw new Error(`${JSON.stringify(key)} is not a valid key name for a Secret: ${errors.join("; ")}`);
    if (seen.has(key)) throw new Error(`cannot add key ${key}, another key by that name already exists`);
    seen.add(key);
    data.push([key, Buffer.from(value).toString("base64")]);
  }
  return secret(o.name, o.namespace, data.length ? sortedRecord(data) : undefined, o.type, o.appendHash);
}

/** `create secret tls NAME --cert --key`. */
export function tlsSecret(o: { name: string; namespace?: string; cert: string; key: string; appendHash: boolean }): Obj {
  if (!o.cert || !o.key) throw new Error("key and cert must be specified");
  const read = (path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      const why = (err as { code?: string }).code === "ENOENT" ? "no such file or directory" : (err as Error).message;
      throw new Error(`Cannot read file ${path}, open ${path}: ${why}`);
    }
  };
  const cert = read(o.cert);
  const key = read(o.key);
  checkKeyPair(cert.toString("latin1"), key.toString("latin1"));
  const data = { "tls.crt": cert.toString("base64"), "tls.key": key.toString("base64") };
  return secret(o.name, o.namespace, data, "kubernetes.io/tls", o.appendHash);
}

// The checks Go's tls.X509KeyPair makes, with its messages.
function checkKeyPair(certPem: string, keyPem: string): void {
  const blocks = (pem: string) => [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----/g)].map((m) => m[1]!);
  const certBlocks = blocks(certPem);
  const keyBlocks = blocks(keyPem);
  if (!certBlocks.includes("CERTIFICATE")) {
    if (certBlocks.some((b) => b.endsWith("PRIVATE KEY"))) {
      throw new Error("tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched");
    }
    throw new Error("tls: failed to find any PEM data in certificate input");
  }
  if (!keyBlocks.some((b) => b.endsWith("PRIVATE KEY"))) {
    if (keyBlocks.includes("CERTIFICATE")) throw new Error("tls: found a certificate rather than a key in the PEM for the private key");
    throw new Error("tls: failed to find any PEM data in key input");
  }
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
  } catch {
    throw new Error("x509: malformed certificate");
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(keyPem);
  } catch {
    throw new Error("tls: failed to parse private key");
  }
  if (!x509.checkPrivateKey(privateKey)) throw new Error("tls: private key does not match public key");
}

/** Options of `create secret docker-registry`. */
export interface DockerRegistryOptions {
  name: string;
  namespace?: string;
  server: string;
  username: string;
  password: string;
  email: string;
  files: string[];
  appendHash: boolean;
}

/** `create secret docker-registry NAME …`: a `.dockerconfigjson`, or the given files. */
export function dockerRegistrySecret(o: DockerRegistryOptions): Obj {
  const data: [string, string][] = [];
  if (o.files.length > 0) {
    for (const { key, value } of o.files.flatMap((f) => fileSource(f))) data.push([key, Buffer.from(value).toString("base64")]);
  } else {
    if (!o.username || !o.password || !o.server) {
      throw new Error("either --from-file or the combination of --docker-username, --docker-password and --docker-server is required");
    }
    const entry: Obj = { username: o.username, password: o.password };
    if (o.email) entry.email = o.email;
    entry.auth = Buffer.from(`${o.username}:${o.password}`).toString("base64");
    const config = JSON.stringify({ auths: { [o.server]: entry } });
    data.push([".dockerconfigjson", Buffer.from(config).toString("base64")]);
  }
  return secret(o.name, o.namespace, sortedRecord(data), "kubernetes.io/dockerconfigjson", o.appendHash);
}

function secret(name: string, namespace: string | undefined, data: Record<string, string> | undefined, type: string, appendHash: boolean): Obj {
  const finalName = appendHash ? `${name}-${contentHash({ data: data ?? null, kind: "Secret", name, type })}` : name;
  const obj: Obj = { kind: "Secret", apiVersion: "v1", metadata: objectMeta(finalName, namespace) };
  if (data) obj.data = data;
  if (type) obj.type = type;
  return obj;
}

// kubectl's name suffix for --append-hash: SHA-256 of the content as sorted JSON, the first
// ten hex digits with the vowel-like digits swapped for letters (no accidental words).
function contentHash(content: Obj): string {
  const hex = createHash("sha256").update(goJson(content)).digest("hex").slice(0, 10);
  const swap: Record<string, string> = { "0": "g", "1": "h", "3": "k", a: "m", e: "t" };
  return hex.replace(/[013ae]/g, (c) => swap[c]!);
}
