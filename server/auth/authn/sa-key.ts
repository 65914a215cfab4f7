// The key that signs service-account tokens. With a data dir it lives in `pki/sa.key`
// (`pki/sa.pub` beside it, as kubeadm lays them out) and survives restarts, so issued tokens
// stay valid; without one (in-memory tests) a fresh key is made per server.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** A signing key with what the JWS header needs. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** JWS algorithm: RS256 for RSA keys, ES256/384/512 for EC keys. */
  alg: string;
  /** Key ID: unpadded base64url SHA-256 of the DER public key, as kube-apiserver derives it. */
  kid: string;
}

/** Loads `dataDir/pki/sa.key`, creating an ECDSA P-256 key (and `sa.pub`) when it is missing. */
export function loadOrCreateServiceAccountKey(dataDir?: string): SigningKey {
  if (!dataDir) return signingKey(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey);
  const dir = join(dataDir, "pki");
  const keyPath = join(dir, "sa.key");
  if (existsSync(keyPath)) {
    try {
      return signingKey(createPrivateKey(readFileSync(keyPath, "utf8")));
    } catch (err) {
      throw new Error(`${keyPath}: unusable service-account signing key: ${(err as Error).message}`);
    }
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = signingKey(generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey);
  writeAtomic(keyPath, key.privateKey.export({ type: "sec1", format: "pem" }).toString(), 0o600);
  writeAtomic(join(dir, "sa.pub"), key.publicKey.export({ type: "spki", format: "pem" }).toString(), 0o644);
  return key;
}

function signingKey(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: "spki", format: "der" });
  const kid = createHash("sha256").update(der).digest("base64url");
  return { privateKey, publicKey, alg: algorithmFor(privateKey), kid };
}

function algorithmFor(key: KeyObject): string {
  if (key.asymmetricKeyType === "rsa") return "RS256";
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === "prime256v1" || curve === "P-256") return "ES256";
    if (curve === "secp384r1" || curve === "P-384") return "ES384";
    if (curve === "secp521r1" || curve === "P-521") return "ES512";
  }
  throw new Error(`unsupported key type ${key.asymmetricKeyType}: must be RSA or ECDSA P-256/384/521`);
}

function writeAtomic(path: string, data: string, mode: number): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, data, { mode });
  chmodSync(temporary, mode);
  renameSync(temporary, path);
}
