// Key/value sources for `create configmap` and `create secret generic|docker-registry`:
// --from-literal, --from-file (file, key=file, or a directory) and --from-env-file, with
// kubectl's parsing rules and error wording.

import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";

/** One key and its raw bytes, in the order the sources listed them. */
export interface KeyValue {
  key: string;
  value: Uint8Array;
}

const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/** Why `key` is not a valid ConfigMap/Secret key (IsConfigMapKey), or [] when it is. */
export function configKeyErrors(key: string): string[] {
  const errors: string[] = [];
  if (key.length > 253) errors.push("must be no more than 253 characters");
  if (!CONFIG_KEY.test(key)) {
    errors.push(
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    );
  }
  errors.push(...dotErrors(key));
  return errors;
}

/** Why `name` is not a valid environment variable name (IsEnvVarName), or []. */
export function envNameErrors(name: string): string[] {
  const errors: string[] = [];
  if (!ENV_NAME.test(name)) {
    errors.push(
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    );
  }
  errors.push(...dotErrors(name));
  return errors;
}

function dotErrors(key: string): string[] {
  if (key === ".") return ["must not be '.'"];
  if (key === "..") return ["must not be '..'"];
  if (key.startsWith("..")) return ["must not start with '..'"];
  return [];
}

/** `--from-literal=key=value`. */
export function literalSource(source: string): KeyValue {
  const at = source.indexOf("=");
  if (at <= 0) throw new Error(`invalid literal source ${source}, expected key=value`);
  return { key: source.slice(0, at), value: new TextEncoder().encode(source.slice(at + 1)) };
}

/** `--from-file=[key=]path`: one entry per file; a directory contributes its regular files. */
export function fileSource(source: string): KeyValue[] {
  const [key, path] = splitFileSource(source);
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (err) {
    throw new Error(`error reading ${path}: ${osReason(err)}`);
  }
  if (!isDir) return [{ key: key ?? basename(path), value: readBytes(path) }];
  if (key !== undefined) throw new Error("cannot give a key name for a directory path");
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ key: name, value: readBytes(join(path, name)) }));
}

function splitFileSource(source: string): [string | undefined, string] {
  const parts = source.split("=");
  if (parts.length === 1) return [undefined, source];
  if (parts.length > 2) throw new Error("key names or file paths cannot contain '='");
  const [key, path] = parts as [string, string];
  if (key === "") throw new Error(`key name for file path ${path} missing`);
  if (path === "") throw new Error(`file path for key name ${key} missing`);
  return [key, path];
}

/**
 * `--from-env-file`: `KEY=value` lines; leading blanks and `#` comments skipped, a bare
 * `KEY` takes the variable from the environment.
 */
export function envFileSource(path: string, env: Record<string, string | undefined> = process.env): KeyValue[] {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new Error(`error reading ${path}: ${osReason(err)}`);
  }
  const out: KeyValue[] = [];
  const lines = new TextDecoder("utf-8", { fatal: false, ignoreBOM: false }).decode(bytes).split("\n");
  lines.forEach((rawLine, i) => {
    const line = rawLine.replace(/\r$/, "").replace(/^\s+/, "");
    if (line.includes("\uFFFD")) throw new Error(`env file ${path} contains invalid utf8 bytes at line ${i + 1}`);
    if (line === "" || line.startsWith("#")) return;
    const at = line.indexOf("=");
    const key = at >= 0 ? line.slice(0, at) : line;
    const errors = envNameErrors(key);
    if (errors.length) throw new Error(`${JSON.stringify(key)} is not a valid key name: ${errors.join("; ")}`);
    const value = at >= 0 ? line.slice(at + 1) : (env[key] ?? "");
    out.push({ key, value: new TextEncoder().encode(value) });
  });
  return out;
}

function readBytes(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new Error(`error reading ${path}: ${osReason(err)}`);
  }
}

function osReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  return code === "ENOENT" ? "no such file or directory" : code === "EACCES" ? "permission denied" : code === "EISDIR" ? "is a directory" : String((err as Error).message);
}

/** True when the bytes are valid UTF-8 (ConfigMap data), false for binaryData. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Sorts a record's keys, as Go's JSON writes a map. */
export function sortedRecord<T>(entries: [string, T][]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}
