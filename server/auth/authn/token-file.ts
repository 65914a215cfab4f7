// Static bearer tokens from `--token-auth-file`, in kube-apiserver's CSV format:
//   token,user,uid[,"group1,group2"]
// Extra columns are ignored; a later line with the same token wins.
import { readFileSync } from "node:fs";
import type { UserInfo } from "../user.ts";
import type { TokenAuthenticator } from "./token-types.ts";

/** Reads and parses a token file; throws when it cannot be used (the server must not start). */
export function loadTokenFile(path: string): Map<string, UserInfo> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new Error(`unable to read token file '${path}': ${(err as Error).message}`);
  }
  return parseTokenFile(text, path);
}

/** Parses token-file CSV text into a token → user map. */
export function parseTokenFile(text: string, path = "token file"): Map<string, UserInfo> {
  const tokens = new Map<string, UserInfo>();
  let recordNumber = 0;
  for (const record of parseCsv(text, path)) {
    if (record.length < 3) throw new Error(`token file '${path}' must have at least 3 columns (token, user name, user uid), found ${record.length}`);
    recordNumber++;
    // Empty tokens are skipped rather than fatal, as upstream does (with a warning).
    if (record[0] === "") {
      console.warn(`empty token has been found in token file '${path}', record number '${recordNumber}'`);
      continue;
    }
    if (tokens.has(record[0])) console.warn(`duplicate token has been found in token file '${path}', record number '${recordNumber}'`);
    const user: UserInfo = { name: record[1], uid: record[2], groups: record.length >= 4 ? record[3].split(",") : [] };
    tokens.set(record[0], user);
  }
  return tokens;
}

/** A token authenticator over a parsed token file; these tokens are valid for the API audiences only. */
export function tokenFileAuthenticator(tokens: Map<string, UserInfo>, apiAudiences: string[]): TokenAuthenticator {
  return async (token, audiences) => {
    const user = tokens.get(token);
    if (!user) return null;
    const granted = apiAudiences.filter((a) => audiences.includes(a));
    if (!granted.length) return null;
    return { user: { ...user, groups: [...user.groups] }, audiences: granted };
  };
}

/** RFC 4180 records (Go encoding/csv rules: quoted fields, "" escapes, blank lines skipped). */
function parseCsv(text: string, path: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  let atFieldStart = true;
  let line = 1;
  const endField = () => {
    record.push(field);
    field = "";
    atFieldStart = true;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") throw new Error(`parse error on line ${line} of '${path}': extraneous or missing " in quoted-field`);
      } else {
        if (c === "\n") line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && atFieldStart) {
      quoted = true;
      atFieldStart = false;
    } else if (c === ",") {
      endField();
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      if (record.length || field !== "" || !atFieldStart) {
        endField();
        records.push(record);
      }
      record = [];
      line++;
    } else if (c === '"') {
      throw new Error(`parse error on line ${line} of '${path}': bare " in non-quoted-field`);
    } else {
      field += c;
      atFieldStart = false;
    }
  }
  if (quoted) throw new Error(`parse error on line ${line} of '${path}': extraneous or missing " in quoted-field`);
  if (record.length || field !== "" || !atFieldStart) {
    endField();
    records.push(record);
  }
  return records;
}
