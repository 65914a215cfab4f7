// Server-side field validation (the fieldValidation query parameter): unknown and duplicate
// fields fail the request under Strict, come back as `Warning` headers under Warn (the
// default), and are silently dropped under Ignore. Type errors fail under every directive.
import { badRequest, invalid } from "../../api/status.ts";
import { goFormat } from "../../api/patch/go-format.ts";
import { kindType } from "../../api/schema/index.ts";
import { decodeAgainstSchema, TypedDecodeError } from "./typed-decode.ts";
import { duplicateJsonKeys, duplicateYamlKeys, yamlDuplicateError } from "./duplicates.ts";

/** The fieldValidation directives. */
export type FieldValidation = "Strict" | "Warn" | "Ignore";

type JsonMap = Record<string, unknown>;

/** The kind a body must decode as. */
export interface ExpectedKind {
  apiVersion: string;
  kind: string;
}

/** Adds one `Warning: 299 - "<text>"` header per warning. */
export function addWarnings(res: Response, warnings: string[]): Response {
  for (const text of warnings) res.headers.append("warning", `299 - ${JSON.stringify(text)}`);
  return res;
}

function cannotHandle(expected: ExpectedKind, detail: string): string {
  const version = expected.apiVersion.split("/").pop();
  return `${expected.kind} in version "${version}" cannot be handled as a ${expected.kind}: ${detail}`;
}

function strictMessage(errors: string[]): string {
  return `strict decoding error: ${errors.join(", ")}`;
}

/**
 * Decodes a create or update body in place against its kind's schema. `text` is the raw body
 * (JSON or YAML) used to find repeated keys; protobuf bodies pass undefined.
 */
export async function validateBody(obj: JsonMap, expected: ExpectedKind, directive: FieldValidation, warnings: string[], raw?: { text: string; yaml: boolean }): Promise<void> {
  const type = kindType(expected.apiVersion, expected.kind);
  if (!type) return;
  let unknown: string[];
  try {
    unknown = decodeAgainstSchema(type, obj);
  } catch (err) {
    if (err instanceof TypedDecodeError) throw badRequest(cannotHandle(expected, err.message));
    throw err;
  }
  if (directive === "Ignore") return;
  const errors = unknown.map((p) => `unknown field ${JSON.stringify(p)}`);
  if (raw && !raw.yaml) errors.push(...duplicateJsonKeys(raw.text, obj).map((d) => `duplicate field ${JSON.stringify(d.path)}`));
  if (raw?.yaml) {
    const dups = await duplicateYamlKeys(raw.text);
    if (dups.length) errors.push(yamlDuplicateError(dups));
  }
  if (!errors.length) return;
  if (directive === "Strict") throw badRequest(cannotHandle(expected, strictMessage(errors)));
  warnings.push(...errors);
}

/** The patch formats that reach validatePatched. */
export type PatchKind = "json-patch" | "merge-patch" | "strategic-merge-patch";

/**
 * Repeated keys of a patch body, worded per patch type (JSON patches prefix "json patch").
 * Only computed when the directive looks at them.
 */
export function patchDuplicates(text: string, kind: PatchKind, directive: FieldValidation): string[] {
  if (directive === "Ignore") return [];
  const prefix = kind === "json-patch" ? "json patch " : "";
  return duplicateJsonKeys(text).map((d) => `${prefix}duplicate field ${JSON.stringify(d.path)}`);
}

/**
 * Decodes a patched object in place. Failures are 422s naming the `patch` field, whose value
 * upstream prints as the patched JSON (JSON and merge patch) or the patch map (strategic).
 * `patchAgain` makes the patched object again, as it was before decoding dropped anything,
 * for those messages: writing it out up front cost every patch a serialization of the object.
 */
export function validatePatched(obj: JsonMap, expected: ExpectedKind, kind: PatchKind, patch: unknown, directive: FieldValidation, duplicates: string[], warnings: string[], patchAgain: () => unknown): void {
  const type = kindType(expected.apiVersion, expected.kind);
  if (!type) return;
  const shown = kind === "strategic-merge-patch" ? () => goFormat(patch) : () => JSON.stringify(patchAgain());
  const reject = (detail: string) => invalid("", "", "", [{ type: "FieldValueInvalid", field: "patch", value: shown(), detail }]);
  let unknown: string[];
  try {
    unknown = decodeAgainstSchema(type, obj);
  } catch (err) {
    if (err instanceof TypedDecodeError) throw reject(err.message);
    throw err;
  }
  if (directive === "Ignore") return;
  const errors = [...duplicates, ...unknown.map((p) => `unknown field ${JSON.stringify(p)}`)];
  if (!errors.length) return;
  if (directive === "Strict") throw reject(strictMessage(errors));
  warnings.push(...errors);
}
