import { describe, expect, test } from "bun:test";
import { fieldErrorBody, invalid, type FieldError } from "./status.ts";
import {
  generateName,
  goQuote,
  isDns1123Label,
  isQualifiedName,
  nameIsDns1035Label,
  nameIsDnsLabel,
  nameIsDnsSubdomain,
  nameIsPathSegment,
  validateAnnotations,
  validateDns1035Label,
  validateDnsLabel,
  validateDnsSubdomain,
  validateFinalizers,
  validateLabels,
  validateLabelSelector,
  validateNamespaceName,
  validateObjectMeta,
  validateObjectMetaName,
  validateOwnerReferences,
  validatePathSegmentName,
} from "./validation.ts";

const SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035 =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function lines(errs: FieldError[]): string[] {
  return errs.map((e) => `${e.field}: ${fieldErrorBody(e)}`);
}

describe("DNS names", () => {
  test("RFC 1123 subdomain", () => {
    expect(validateDnsSubdomain("my-app.example.com", "metadata.name")).toEqual([]);
    expect(lines(validateDnsSubdomain("My_App", "metadata.name"))).toEqual([`metadata.name: Invalid value: "My_App": ${SUBDOMAIN}`]);
    expect(lines(validateDnsSubdomain("a".repeat(254), "n"))).toEqual([`n: Invalid value: "${"a".repeat(254)}": must be no more than 253 characters`]);
    expect(validateDnsSubdomain("a".repeat(253), "n")).toEqual([]);
    expect(validateDnsSubdomain("", "n").map((e) => e.detail)).toEqual([SUBDOMAIN]);
  });

  test("RFC 1123 label", () => {
    expect(validateDnsLabel("kube-system", "n")).toEqual([]);
    expect(validateDnsLabel("a.b", "n").map((e) => e.detail)).toEqual(["must not contain dots"]);
    expect(validateDnsLabel("-a", "n").map((e) => e.detail)).toEqual([LABEL]);
    expect(isDns1123Label("a".repeat(64))).toEqual(["must be no more than 63 characters"]);
    expect(isDns1123Label("1abc")).toEqual([]);
  });

  test("RFC 1035 label", () => {
    expect(validateDns1035Label("my-svc", "n")).toEqual([]);
    expect(validateDns1035Label("1svc", "n").map((e) => e.detail)).toEqual([DNS1035]);
    expect(validateDns1035Label("a".repeat(64), "n").map((e) => e.detail)).toEqual(["must be no more than 63 characters"]);
  });

  test("namespace names are RFC 1123 labels", () => {
    expect(validateNamespaceName("default", "metadata.namespace")).toEqual([]);
    expect(lines(validateNamespaceName("Default", "metadata.namespace"))).toEqual([`metadata.namespace: Invalid value: "Default": ${LABEL}`]);
  });

  test("lengths are counted in bytes, as Go's len()", () => {
    expect(isQualifiedName("é".repeat(32))).toContain("name part must be no more than 63 characters");
  });
});

describe("path segment names", () => {
  test("rejects . and .. and / and %", () => {
    expect(validatePathSegmentName("system:admin", "n")).toEqual([]);
    expect(validatePathSegmentName(".", "n").map((e) => e.detail)).toEqual(["may not be '.'"]);
    expect(validatePathSegmentName("..", "n").map((e) => e.detail)).toEqual(["may not be '..'"]);
    expect(validatePathSegmentName("a/b%c", "n").map((e) => e.detail)).toEqual(["may not contain '/'", "may not contain '%'"]);
    expect(nameIsPathSegment("..", true)).toEqual([]);
    expect(nameIsPathSegment("a/", true)).toEqual(["may not contain '/'"]);
  });
});

describe("qualified names, labels and annotations", () => {
  test("qualified names", () => {
    expect(isQualifiedName("app.kubernetes.io/name")).toEqual([]);
    expect(isQualifiedName("a/b/c")).toEqual([
      `a qualified name ${QNAME} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
    expect(isQualifiedName("/a")).toEqual(["prefix part must be non-empty"]);
    expect(isQualifiedName("")).toEqual(["name part must be non-empty", `name part ${QNAME}`]);
    expect(isQualifiedName("app.kubernetes_io/name")).toEqual([`prefix part ${SUBDOMAIN}`]);
  });

  test("labels report keys and values at the labels path", () => {
    expect(validateLabels({ app: "web", "example.com/tier": "" }, "metadata.labels")).toEqual([]);
    expect(lines(validateLabels({ "bad key": "-v" }, "metadata.labels"))).toEqual([
      `metadata.labels: Invalid value: "bad key": name part ${QNAME}`,
      `metadata.labels: Invalid value: "-v": ${LABEL_VALUE}`,
    ]);
    expect(lines(validateLabels({ a: "v".repeat(64) }, "l"))).toEqual([
      `l: Invalid value: "${"v".repeat(64)}": must be no more than 63 characters`,
    ]);
  });

  test("checking a value again gives the same answer, however many values were checked between", () => {
    const valid = { "example.com/again": "yes" };
    const invalid = { "bad key": "-v" };
    const first = [validateLabels(valid, "l"), validateLabels(invalid, "l")];
    // More distinct valid values than are remembered, so the remembered set starts over.
    for (let i = 0; i < 10_000; i++) expect(validateLabels({ [`k${i}`]: `v${i}` }, "l")).toEqual([]);
    expect([validateLabels(valid, "l"), validateLabels(invalid, "l")]).toEqual(first);
    expect(first[0]).toEqual([]);
    expect(first[1]).toHaveLength(2);
  });

  test("annotation keys are case-insensitive qualified names", () => {
    expect(validateAnnotations({ "Example.COM/Key": "anything at all / = ," }, "metadata.annotations")).toEqual([]);
    expect(lines(validateAnnotations({ "a b": "" }, "metadata.annotations"))).toEqual([
      `metadata.annotations: Invalid value: "a b": name part ${QNAME}`,
    ]);
  });

  test("annotations may total at most 256 KiB", () => {
    expect(validateAnnotations({ a: "x".repeat(262143) }, "metadata.annotations")).toEqual([]);
    const errs = validateAnnotations({ a: "x".repeat(262144) }, "metadata.annotations");
    expect(lines(errs)).toEqual(["metadata.annotations: Too long: may not be more than 262144 bytes"]);
    expect(errs[0]!.type).toBe("FieldValueTooLong");
  });
});

describe("finalizers and owner references", () => {
  test("finalizers must be qualified names", () => {
    expect(validateFinalizers(["kubernetes.io/pvc-protection", "orphan"], "metadata.finalizers")).toEqual([]);
    expect(lines(validateFinalizers(["a/b/c"], "metadata.finalizers"))).toEqual([
      `metadata.finalizers: Invalid value: "a/b/c": a qualified name ${QNAME} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ]);
    expect(lines(validateFinalizers(["orphan", "foregroundDeletion"], "metadata.finalizers"))).toEqual([
      'metadata.finalizers: Invalid value: ["orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
    ]);
  });

  test("owner references", () => {
    const ok = { apiVersion: "apps/v1", kind: "ReplicaSet", name: "rs", uid: "u1", controller: true };
    expect(validateOwnerReferences([ok], "metadata.ownerReferences")).toEqual([]);
    expect(lines(validateOwnerReferences([{}], "metadata.ownerReferences"))).toEqual([
      'metadata.ownerReferences.apiVersion: Invalid value: "": version must not be empty',
      'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
      'metadata.ownerReferences.name: Invalid value: "": must not be empty',
      'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
    ]);
    expect(validateOwnerReferences([{ ...ok, apiVersion: "a/b/c" }], "o").map((e) => e.field)).toEqual(["o.apiVersion"]);
    const event = { apiVersion: "v1", kind: "Event", name: "e", uid: "u" };
    expect(validateOwnerReferences([event], "o").map((e) => e.detail)).toEqual(["/v1, Kind=Event is disallowed from being an owner"]);
    const second = { ...ok, kind: "Deployment", name: "d", uid: "u2" };
    expect(validateOwnerReferences([ok, second], "o").map((e) => e.detail)).toEqual([
      'Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/rs and Deployment/d',
    ]);
  });
});

describe("object metadata", () => {
  test("name or generateName is required", () => {
    const errs = validateObjectMetaName("", "", nameIsDnsSubdomain, "metadata");
    expect(lines(errs)).toEqual(["metadata.name: Required value: name or generateName is required"]);
    expect(invalid("", "Pod", "", errs).message).toBe('Pod "" is invalid: metadata.name: Required value: name or generateName is required');
  });

  test("generateName is validated as a prefix; a trailing dash is allowed", () => {
    expect(validateObjectMetaName("web-abcde", "web-", nameIsDnsSubdomain, "metadata")).toEqual([]);
    expect(validateObjectMetaName("a-bcdfg", "a-", nameIsDnsLabel, "metadata")).toEqual([]);
    expect(nameIsDns1035Label("svc-", true)).toEqual([]);
    expect(lines(validateObjectMetaName("x", "Web-", nameIsDnsSubdomain, "metadata"))).toEqual([
      `metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN}`,
    ]);
    expect(lines(validateObjectMetaName("Bad", undefined, nameIsDnsSubdomain, "metadata"))).toEqual([
      `metadata.name: Invalid value: "Bad": ${SUBDOMAIN}`,
    ]);
  });

  test("validateObjectMeta checks namespace by scope and every metadata part", () => {
    expect(validateObjectMeta({ name: "p", namespace: "default" }, true, nameIsDnsSubdomain)).toEqual([]);
    expect(lines(validateObjectMeta({ name: "p" }, true, nameIsDnsSubdomain))).toEqual(["metadata.namespace: Required value"]);
    expect(lines(validateObjectMeta({ name: "n", namespace: "x" }, false, nameIsDnsLabel))).toEqual([
      "metadata.namespace: Forbidden: not allowed on this type",
    ]);
    const errs = validateObjectMeta(
      { name: "p", namespace: "default", generation: -1, labels: { "-": "" }, annotations: { "/": "" }, finalizers: ["a/b/c"], ownerReferences: [{}] },
      true,
      nameIsDnsSubdomain,
    );
    expect(errs.map((e) => e.field)).toEqual([
      "metadata.generation",
      "metadata.labels",
      "metadata.annotations",
      "metadata.annotations",
      "metadata.annotations",
      "metadata.ownerReferences.apiVersion",
      "metadata.ownerReferences.kind",
      "metadata.ownerReferences.name",
      "metadata.ownerReferences.uid",
      "metadata.finalizers",
    ]);
    expect(lines(errs)[0]).toBe("metadata.generation: Invalid value: -1: must be greater than or equal to 0");
    expect(errs.slice(2, 5).map((e) => e.detail)).toEqual(["prefix part must be non-empty", "name part must be non-empty", `name part ${QNAME}`]);
  });
});

describe("validateLabelSelector", () => {
  test("operators, values and keys", () => {
    expect(validateLabelSelector({ matchLabels: { a: "b" }, matchExpressions: [{ key: "c", operator: "In", values: ["d"] }] }, "spec.selector")).toEqual([]);
    expect(validateLabelSelector(null, "spec.selector")).toEqual([]);
    const errs = validateLabelSelector(
      {
        matchExpressions: [
          { key: "a", operator: "In", values: [] },
          { key: "b", operator: "Exists", values: ["x"] },
          { key: "c", operator: "Gt", values: ["1"] },
          { key: "d e", operator: "NotIn", values: ["-"] },
        ],
      },
      "spec.selector",
    );
    expect(lines(errs)).toEqual([
      "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
      'spec.selector.matchExpressions[2].operator: Invalid value: "Gt": not a valid selector operator',
      `spec.selector.matchExpressions[3].key: Invalid value: "d e": name part ${QNAME}`,
      `spec.selector.matchExpressions[3].values[0]: Invalid value: "-": ${LABEL_VALUE}`,
    ]);
  });
});

describe("generateName", () => {
  test("appends five characters from upstream's alphabet", () => {
    for (let i = 0; i < 50; i++) expect(generateName("web-")).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  test("truncates the base to 58 characters so the name fits 63", () => {
    const name = generateName("a".repeat(100));
    expect(name).toHaveLength(63);
    expect(name.startsWith("a".repeat(58))).toBe(true);
    expect(nameIsDnsLabel(name, false)).toEqual([]);
  });
});

describe("goQuote", () => {
  test("renders like Go's %q", () => {
    expect(goQuote('a"b\\c\n\x01\x7f')).toBe('"a\\"b\\\\c\\n\\x01\\x7f"');
    expect(goQuote("héllo")).toBe('"héllo"');
  });
});
