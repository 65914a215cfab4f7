import { describe, expect, test } from "bun:test";
import { containerArgv, containerEnv, EnvError, expand, fieldValue, type EnvSources } from "./container-env.ts";

const pod = {
  metadata: { name: "web", namespace: "shop", uid: "u-1", labels: { app: "web", tier: "front" }, annotations: { note: "hi" } },
  spec: { nodeName: "node-1", serviceAccountName: "default" },
  status: { podIP: "127.0.0.1", hostIP: "127.0.0.1" },
};
const sources: EnvSources = {
  configMap: async (_ns, name) => (name === "cm" ? { metadata: { name }, data: { a: "1", b: "2" } } : undefined),
  secret: async (_ns, name) => (name === "sec" ? { metadata: { name }, data: { token: Buffer.from("t0k").toString("base64") } } : undefined),
};
const base = { apiHost: "127.0.0.1", apiPort: 6443, host: { PATH: "/bin" } };

describe("$(VAR) expansion", () => {
  test("defined references expand, unknown ones stay, $$ escapes", () => {
    const env = { A: "x", B: "y" };
    expect(expand("$(A)-$(B)", env)).toBe("x-y");
    expect(expand("$(C)", env)).toBe("$(C)");
    expect(expand("$$(A) $$ $", env)).toBe("$(A) $ $");
    expect(expand("$(A", env)).toBe("$(A");
    expect(expand("$(constructor)", env)).toBe("$(constructor)");
  });

  test("command and args are expanded; args alone are the argv", () => {
    expect(containerArgv({ command: ["echo"], args: ["$(A)"] }, { A: "hello" })).toEqual(["echo", "hello"]);
    expect(containerArgv({ args: ["sh", "-c", "true"] }, {})).toEqual(["sh", "-c", "true"]);
    expect(containerArgv({}, {})).toEqual([]);
  });
});

describe("downward API", () => {
  test("fieldRef paths", () => {
    expect(fieldValue(pod, "metadata.name")).toBe("web");
    expect(fieldValue(pod, "metadata.namespace")).toBe("shop");
    expect(fieldValue(pod, "metadata.uid")).toBe("u-1");
    expect(fieldValue(pod, "metadata.labels['tier']")).toBe("front");
    expect(fieldValue(pod, "metadata.annotations['note']")).toBe("hi");
    expect(fieldValue(pod, "spec.nodeName")).toBe("node-1");
    expect(fieldValue(pod, "status.podIPs")).toBe("127.0.0.1");
  });
});

describe("containerEnv", () => {
  test("service variables, envFrom with prefix, then env in order", async () => {
    const env = await containerEnv(pod, { envFrom: [{ prefix: "CM_", configMapRef: { name: "cm" } }, { secretRef: { name: "sec" } }], env: [{ name: "X", value: "$(CM_a)$(token)" }] }, sources, base);
    expect(env).toMatchObject({ PATH: "/bin", HOSTNAME: "web", KUBERNETES_SERVICE_HOST: "127.0.0.1", KUBERNETES_SERVICE_PORT: "6443", CM_a: "1", CM_b: "2", token: "t0k", X: "1t0k" });
  });

  test("missing sources fail unless optional", async () => {
    const run = (c: Record<string, unknown>) => containerEnv(pod, c, sources, base);
    await expect(run({ env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "nope", key: "a" } } }] })).rejects.toThrow(new EnvError('configmap "nope" not found'));
    await expect(run({ env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "cm", key: "zz" } } }] })).rejects.toThrow("couldn't find key zz in ConfigMap shop/cm");
    await expect(run({ env: [{ name: "A", valueFrom: { secretKeyRef: { name: "nope", key: "a" } } }] })).rejects.toThrow('secret "nope" not found');
    await expect(run({ envFrom: [{ secretRef: { name: "nope" } }] })).rejects.toThrow('secret "nope" not found');
    const optional = await run({ env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "nope", key: "a", optional: true } } }], envFrom: [{ configMapRef: { name: "nope", optional: true } }] });
    expect(optional.A).toBeUndefined();
  });
});
