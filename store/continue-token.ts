// Opaque list continuation: the snapshot revision and the last key returned.
import { InvalidContinueError } from "./errors.ts";

/** What a continue token carries. */
export interface ContinuePosition {
  revision: number;
  lastKey: string;
}

/** Encodes a position as an opaque URL-safe token. */
export function encodeContinue(position: ContinuePosition): string {
  const json = JSON.stringify({ v: 1, rev: position.revision, key: position.lastKey });
  return Buffer.from(json, "utf8").toString("base64url");
}

/** Decodes a token and checks it belongs to `prefix`; `InvalidContinueError` otherwise. */
export function decodeContinue(token: string, prefix: string): ContinuePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidContinueError("not decodable");
  }
  const { v, rev, key } = (parsed ?? {}) as Record<string, unknown>;
  if (v !== 1 || !Number.isSafeInteger(rev) || (rev as number) < 0 || typeof key !== "string") {
    throw new InvalidContinueError("malformed");
  }
  if (!key.startsWith(prefix)) throw new InvalidContinueError("issued for another prefix");
  return { revision: rev as number, lastKey: key };
}
