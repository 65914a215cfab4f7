import { describe, expect, test } from "bun:test";
import { compactRules, compactString, covers } from "./covers.ts";
import { normalizeRule } from "./rules.ts";

const rules = (...raw: object[]) => raw.map(normalizeRule);

describe("covers", () => {
  const cases: { name: string; owner: object[]; wanted: object[]; covered: boolean }[] = [
    { name: "identical rules", owner: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], covered: true },
    { name: "a subset of verbs", owner: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["list"], apiGroups: [""], resources: ["pods"] }], covered: true },
    { name: "more verbs than held", owner: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["get", "delete"], apiGroups: [""], resources: ["pods"] }], covered: false },
    { name: "split across two owner rules", owner: [{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }, { verbs: ["list"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }], covered: true },
    { name: "wildcards cover everything", owner: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }], wanted: [{ verbs: ["escalate"], apiGroups: ["x.io"], resources: ["things/status"], resourceNames: ["a"] }], covered: true },
    { name: "a wildcard is not covered by a list", owner: [{ verbs: ["get", "list"], apiGroups: [""], resources: ["pods"] }], wanted: [{ verbs: ["*"], apiGroups: [""], resources: ["pods"] }], covered: false },
    { name: "*/status covers pods/status", owner: [{ verbs: ["get"], apiGroups: [""], resources: ["*/status"] }], wanted: [{ verbs: ["get"], apiGroups: [""], resources: ["pods/status"] }], covered: true },
    { name: "unnamed covers named", owner: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }], wanted: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }], covered: true },
    { name: "named does not cover unnamed", owner: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["a"] }], wanted: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }], covered: false },
    { name: "a URL prefix covers longer paths", owner: [{ verbs: ["get"], nonResourceURLs: ["/logs/*"] }], wanted: [{ verbs: ["get"], nonResourceURLs: ["/logs/a"] }], covered: true },
    { name: "an exact URL does not cover a prefix rule", owner: [{ verbs: ["get"], nonResourceURLs: ["/logs"] }], wanted: [{ verbs: ["get"], nonResourceURLs: ["/logs/*"] }], covered: false },
    { name: "nothing requested", owner: [], wanted: [], covered: true },
  ];
  for (const c of cases) {
    test(c.name, () => {
      expect(covers(rules(...c.owner), rules(...c.wanted)).covered).toBe(c.covered);
    });
  }

  test("the missing part is broken down per verb, resource and name", () => {
    const { missing } = covers(rules({ verbs: ["get"], apiGroups: [""], resources: ["pods"] }), rules({ verbs: ["get", "delete"], apiGroups: [""], resources: ["pods", "secrets"] }));
    expect(missing.map(compactString)).toEqual([
      '{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["delete"]}',
    ]);
  });
});

describe("compactRules and compactString", () => {
  test("verbs of one group/resource merge; names and URLs print in upstream's field order", () => {
    const compact = compactRules(
      rules(
        { verbs: ["get"], apiGroups: [""], resources: ["secrets"] },
        { verbs: ["list"], apiGroups: [""], resources: ["secrets"] },
        { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] },
        { verbs: ["get"], nonResourceURLs: ["/metrics"] },
      ),
    );
    expect(compact.map(compactString).sort()).toEqual([
      '{APIGroups:[""], Resources:["configmaps"], ResourceNames:["a"], Verbs:["get"]}',
      '{APIGroups:[""], Resources:["secrets"], Verbs:["get" "list"]}',
      '{NonResourceURLs:["/metrics"], Verbs:["get"]}',
    ]);
  });
});
