// Name and metadata validation with kube-apiserver's rules and message wording
// (k8s.io/apimachinery pkg/util/validation, pkg/api/validation, pkg/apis/meta/v1/validation).

import type { LabelSelectorObject } from "./label-selector.ts";
import type { FieldError } from "./status.ts";

// Go's len(): limits upstream are in bytes, not UTF-16 code units. (Counted, not encoded:
// encoding allocates, and a create checks a dozen of these.)
function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

const GO_ESCAPES: Record<string, string> = {
  '"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\x07": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v",
};

/** Go's %q rendering of a string (strconv.Quote) for messages built outside FieldError. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const code = ch.codePointAt(0)!;
    if (GO_ESCAPES[ch]) out += GO_ESCAPES[ch];
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Go's json.Marshal rendering (HTML-escaped) for non-string values in messages. */
export function goJson(value: unknown): string {
  return (JSON.stringify(value) ?? "null").replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function regexError(msg: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${format}')`;
  const shown = examples.map((e) => `'${e}', `).join(" or ");
  return `${msg} (e.g. ${shown}regex used for validation is '${format}')`;
}

function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

const QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QNAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT = `(${QNAME_FMT})?`;
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

const qnameRe = new RegExp(`^${QNAME_FMT}$`);
const labelValueRe = new RegExp(`^${LABEL_VALUE_FMT}$`);
const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL_FMT}$`);
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);
const dns1035LabelRe = new RegExp(`^${DNS1035_LABEL_FMT}$`);

/** IsDNS1123Subdomain: problems with `value` as an RFC 1123 subdomain (≤ 253), empty if valid. */
export function isDns1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!dns1123SubdomainRe.test(value)) errs.push(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
  return errs;
}

/** IsDNS1123Label: problems with `value` as an RFC 1123 label (≤ 63), empty if valid. */
export function isDns1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push("must not contain dots");
    else errs.push(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
  }
  return errs;
}

/** IsDNS1035Label: problems with `value` as an RFC 1035 label (≤ 63), empty if valid. */
export function isDns1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1035LabelRe.test(value)) errs.push(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
  return errs;
}

// Label and annotation keys, finalizers and label values repeat from object to object, so
// values found valid are remembered, a bounded number of them, and not checked again.
const rememberedMax = 8192;
const validQualifiedNames = new Set<string>();
const validLabelValues = new Set<string>();

function rememberValid(set: Set<string>, value: string, errs: string[]): string[] {
  if (errs.length === 0) {
    if (set.size >= rememberedMax) set.clear();
    set.add(value);
  }
  return errs;
}

/** IsQualifiedName: `[prefix/]name` as used by label keys, annotation keys and finalizers. */
export function isQualifiedName(value: string): string[] {
  if (validQualifiedNames.has(value)) return [];
  return rememberValid(validQualifiedNames, value, qualifiedNameErrors(value));
}

function qualifiedNameErrors(value: string): string[] {
  const errs: string[] = [];
  const parts = value.split("/");
  if (parts.length > 2) {
    const rule = regexError(QNAME_MSG, QNAME_FMT, "MyName", "my.name", "123-abc");
    return [`a qualified name ${rule} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  }
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === "") errs.push("prefix part must be non-empty");
    else errs.push(...isDns1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name === "") errs.push("name part must be non-empty");
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63)}`);
  if (!qnameRe.test(name)) errs.push(`name part ${regexError(QNAME_MSG, QNAME_FMT, "MyName", "my.name", "123-abc")}`);
  return errs;
}

/** IsValidLabelValue: empty or a qualified-name-like string of at most 63 characters. */
export function isValidLabelValue(value: string): string[] {
  if (validLabelValues.has(value)) return [];
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!labelValueRe.test(value)) errs.push(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
  return rememberValid(validLabelValues, value, errs);
}

/** IsValidPathSegmentName: names that must be usable as one URL path segment (RBAC objects). */
export function isValidPathSegmentName(name: string): string[] {
  if (name === "." || name === "..") return [`may not be '${name}'`];
  return isValidPathSegmentPrefix(name);
}

function isValidPathSegmentPrefix(name: string): string[] {
  return ["/", "%"].filter((c) => name.includes(c)).map((c) => `may not contain '${c}'`);
}

/** A ValidateNameFunc: `prefix` is true when validating a generateName (a suffix will follow). */
export type NameValidator = (name: string, prefix: boolean) => string[];

// Upstream replaces the last two characters (not one) of a trailing-dash prefix with "a".
function maskTrailingDash(name: string): string {
  return name.endsWith("-") ? `${name.slice(0, Math.max(0, name.length - 2))}a` : name;
}

/** NameIsDNSSubdomain: the default for most resources. */
export function nameIsDnsSubdomain(name: string, prefix: boolean): string[] {
  return isDns1123Subdomain(prefix ? maskTrailingDash(name) : name);
}

/** NameIsDNSLabel: namespaces and other label-named resources. */
export function nameIsDnsLabel(name: string, prefix: boolean): string[] {
  return isDns1123Label(prefix ? maskTrailingDash(name) : name);
}

/** NameIsDNS1035Label: services. */
export function nameIsDns1035Label(name: string, prefix: boolean): string[] {
  return isDns1035Label(prefix ? maskTrailingDash(name) : name);
}

/** ValidatePathSegmentName: roles, bindings and other path-segment-named resources. */
export function nameIsPathSegment(name: string, prefix: boolean): string[] {
  return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
}

function child(field: string, name: string): string {
  return field ? `${field}.${name}` : name;
}

function invalid(field: string, value: unknown, detail: string): FieldError {
  return { type: "FieldValueInvalid", field, value, detail };
}

function each(field: string, value: string, msgs: string[]): FieldError[] {
  return msgs.map((m) => invalid(field, value, m));
}

/** RFC 1123 subdomain check of one value, as FieldValueInvalid errors at `field`. */
export function validateDnsSubdomain(value: string, field: string): FieldError[] {
  return each(field, value, isDns1123Subdomain(value));
}

/** RFC 1123 label check of one value. */
export function validateDnsLabel(value: string, field: string): FieldError[] {
  return each(field, value, isDns1123Label(value));
}

/** RFC 1035 label check of one value (service names). */
export function validateDns1035Label(value: string, field: string): FieldError[] {
  return each(field, value, isDns1035Label(value));
}

/** Path-segment check of one name (no `.`, `..`, `/`, `%`). */
export function validatePathSegmentName(value: string, field: string): FieldError[] {
  return each(field, value, isValidPathSegmentName(value));
}

/** ValidateNamespaceName: namespaces are RFC 1123 labels. */
export function validateNamespaceName(value: string, field: string): FieldError[] {
  return validateDnsLabel(value, field);
}

/** ValidateLabelName: a qualified name (label keys, condition types, finalizers). */
export function validateQualifiedName(value: string, field: string): FieldError[] {
  return each(field, value, isQualifiedName(value));
}

/** ValidateLabels: qualified-name keys and label values, all reported at `field` itself. */
export function validateLabels(labels: Record<string, string> | null | undefined, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!labels) return errors;
  for (const key of Object.keys(labels)) {
    const value = labels[key]!;
    for (const m of isQualifiedName(key)) errors.push(invalid(field, key, m));
    for (const m of isValidLabelValue(value)) errors.push(invalid(field, value, m));
  }
  return errors;
}

/** Total bytes allowed across all annotation keys and values. */
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** ValidateAnnotations: case-insensitive qualified-name keys, total size ≤ 256 KiB. */
export function validateAnnotations(annotations: Record<string, string> | null | undefined, field: string): FieldError[] {
  const entries = Object.entries(annotations ?? {});
  const errs = entries.flatMap(([k]) => each(field, k, isQualifiedName(k.toLowerCase())));
  const size = entries.reduce((n, [k, v]) => n + byteLength(k) + byteLength(v), 0);
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
    errs.push({ type: "FieldValueTooLong", field, detail: `may not be more than ${TOTAL_ANNOTATION_SIZE_LIMIT} bytes` });
  }
  return errs;
}

/** ValidateFinalizers: qualified names (reported at the list's path), not both orphan and foregroundDeletion. */
export function validateFinalizers(finalizers: string[] | null | undefined, field: string): FieldError[] {
  const list = finalizers ?? [];
  const errs = list.flatMap((f) => validateQualifiedName(f, field));
  if (list.includes("orphan") && list.includes("foregroundDeletion")) {
    errs.push(invalid(field, list, "finalizer orphan and foregroundDeletion cannot be both set"));
  }
  return errs;
}

/** The metav1.OwnerReference fields validation looks at. */
export interface OwnerReferenceLike {
  apiVersion?: string;
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

// schema.FromAPIVersionAndKind: more than one "/" is unparseable and leaves group and version empty.
function splitApiVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === "" || apiVersion === "/") return { group: "", version: "" };
  const parts = apiVersion.split("/");
  if (parts.length === 1) return { group: "", version: apiVersion };
  if (parts.length === 2) return { group: parts[0]!, version: parts[1]! };
  return { group: "", version: "" };
}

/** ValidateOwnerReferences: per-reference errors use the list's path (unindexed), as upstream does. */
export function validateOwnerReferences(refs: OwnerReferenceLike[] | null | undefined, field: string): FieldError[] {
  const list = refs ?? [];
  const errs: FieldError[] = [];
  let firstController = "";
  for (const ref of list) {
    const { group, version } = splitApiVersion(ref.apiVersion ?? "");
    const kind = ref.kind ?? "";
    if (!version) errs.push(invalid(child(field, "apiVersion"), ref.apiVersion ?? "", "version must not be empty"));
    if (!kind) errs.push(invalid(child(field, "kind"), kind, "must not be empty"));
    if (!ref.name) errs.push(invalid(child(field, "name"), ref.name ?? "", "must not be empty"));
    if (!ref.uid) errs.push(invalid(child(field, "uid"), ref.uid ?? "", "must not be empty"));
    if (group === "" && version === "v1" && kind === "Event") {
      errs.push(invalid(field, ref, "/v1, Kind=Event is disallowed from being an owner"));
    }
    if (ref.controller) {
      const current = `${kind}/${ref.name ?? ""}`;
      if (firstController) {
        const detail = `Only one reference can have Controller set to true. Found "true" in references for`;
        errs.push(invalid(field, list, `${detail} ${firstController} and ${current}`));
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

/**
 * The name part of ValidateObjectMetaAccessor: `generateName` is checked as a prefix, and an
 * empty `name` is `<field>.name: Required value: name or generateName is required`.
 */
export function validateObjectMetaName(
  name: string | undefined,
  generateName: string | undefined,
  nameValidator: NameValidator,
  field: string,
): FieldError[] {
  const errs: FieldError[] = [];
  if (generateName) errs.push(...each(child(field, "generateName"), generateName, nameValidator(generateName, true)));
  if (!name) {
    errs.push({ type: "FieldValueRequired", field: child(field, "name"), detail: "name or generateName is required" });
  } else {
    errs.push(...each(child(field, "name"), name, nameValidator(name, false)));
  }
  return errs;
}

/** The metav1.ObjectMeta fields create-time validation looks at. */
export interface ObjectMetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  generation?: number;
  labels?: Record<string, string> | null;
  annotations?: Record<string, string> | null;
  ownerReferences?: OwnerReferenceLike[] | null;
  finalizers?: string[] | null;
}

/** ValidateObjectMeta on create: name, namespace by scope, generation, labels, annotations, owners, finalizers. */
export function validateObjectMeta(
  meta: ObjectMetaLike,
  namespaced: boolean,
  nameValidator: NameValidator,
  field = "metadata",
): FieldError[] {
  const errs = validateObjectMetaName(meta.name, meta.generateName, nameValidator, field);
  const nsField = child(field, "namespace");
  if (namespaced && !meta.namespace) errs.push({ type: "FieldValueRequired", field: nsField });
  else if (namespaced) errs.push(...validateNamespaceName(meta.namespace!, nsField));
  else if (meta.namespace) errs.push({ type: "FieldValueForbidden", field: nsField, detail: "not allowed on this type" });
  if ((meta.generation ?? 0) < 0) {
    errs.push(invalid(child(field, "generation"), meta.generation, "must be greater than or equal to 0"));
  }
  errs.push(...validateLabels(meta.labels, child(field, "labels")));
  errs.push(...validateAnnotations(meta.annotations, child(field, "annotations")));
  errs.push(...validateOwnerReferences(meta.ownerReferences, child(field, "ownerReferences")));
  errs.push(...validateFinalizers(meta.finalizers, child(field, "finalizers")));
  return errs;
}

/** ValidateLabelSelector for a metav1.LabelSelector inside an object (e.g. `spec.selector`). */
export function validateLabelSelector(sel: LabelSelectorObject | null | undefined, field: string): FieldError[] {
  if (!sel) return [];
  const errs = validateLabels(sel.matchLabels, child(field, "matchLabels"));
  (sel.matchExpressions ?? []).forEach((expr, i) => {
    const path = `${child(field, "matchExpressions")}[${i}]`;
    const values = expr.values ?? [];
    if (expr.operator === "In" || expr.operator === "NotIn") {
      const detail = "must be specified when `operator` is 'In' or 'NotIn'";
      if (!values.length) errs.push({ type: "FieldValueRequired", field: `${path}.values`, detail });
    } else if (expr.operator === "Exists" || expr.operator === "DoesNotExist") {
      const detail = "may not be specified when `operator` is 'Exists' or 'DoesNotExist'";
      if (values.length) errs.push({ type: "FieldValueForbidden", field: `${path}.values`, detail });
    } else {
      errs.push(invalid(`${path}.operator`, expr.operator, "not a valid selector operator"));
    }
    errs.push(...validateQualifiedName(expr.key, `${path}.key`));
    values.forEach((v, j) => errs.push(...each(`${path}.values[${j}]`, v, isValidLabelValue(v))));
  });
  return errs;
}

const NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";

/** SimpleNameGenerator: `base` cut to 58 characters plus 5 random characters from upstream's alphabet. */
export function generateName(base: string): string {
  const head = base.length > 58 ? base.slice(0, 58) : base;
  const random = crypto.getRandomValues(new Uint8Array(5));
  return head + Array.from(random, (b) => NAME_ALPHABET[b % NAME_ALPHABET.length]).join("");
}
