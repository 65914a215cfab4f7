import { describe, expect, test } from "bun:test";
import { fenceposts, intOrPercent, sameTemplate, templateHash } from "./deployment-util.ts";

const template = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx" }] } };
const deployment = (replicas: number, rollingUpdate: Record<string, unknown>, type = "RollingUpdate") => ({ metadata: {}, spec: { replicas, strategy: { type, rollingUpdate } } });

describe("deployment helpers", () => {
  test("the template hash is stable, uses upstream's alphabet and changes with the template or collisions", () => {
    const hash = templateHash(template);
    expect(hash).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    expect(templateHash(structuredClone(template))).toBe(hash);
    expect(templateHash({ ...template, spec: { containers: [{ name: "web", image: "nginx:2" }] } })).not.toBe(hash);
    expect(templateHash(template, 1)).not.toBe(hash);
  });

  test("templates compare without the hash label and without nulls", () => {
    const rsTemplate = { metadata: { labels: { app: "web", "pod-template-hash": "abc" } }, spec: template.spec };
    expect(sameTemplate(rsTemplate, template)).toBe(true);
    expect(sameTemplate(rsTemplate, { metadata: { creationTimestamp: null, labels: { app: "web" } }, spec: template.spec })).toBe(true);
    expect(sameTemplate(rsTemplate, { ...template, spec: { containers: [{ name: "web", image: "other" }] } })).toBe(false);
  });

  test("maxSurge rounds up, maxUnavailable down; both zero means one unavailable", () => {
    expect(intOrPercent("25%", 3, true)).toBe(1);
    expect(intOrPercent("25%", 3, false)).toBe(0);
    expect(intOrPercent(2, 3, false)).toBe(2);
    expect(fenceposts(deployment(10, { maxSurge: "25%", maxUnavailable: "25%" }))).toEqual({ surge: 3, unavailable: 2 });
    expect(fenceposts(deployment(1, { maxSurge: 0, maxUnavailable: "10%" }))).toEqual({ surge: 0, unavailable: 1 });
    expect(fenceposts(deployment(3, {}, "Recreate"))).toEqual({ surge: 0, unavailable: 0 });
  });
});
