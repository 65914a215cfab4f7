// Real kubectl (1.27, 1.33, 1.35) against `kapi serve`: OpenAPI (default validation, explain)
// and the protobuf bodies of typed creates (kubectl ≥ 1.32).
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableKubectls, type Kubectl } from "./support/kubectl.ts";
import { startTestServer, type TestServer } from "./support/server.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

const ok = (k: Kubectl, args: string[], stdin?: string) => server.kubectlOk(k, args, stdin);

const podYaml = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
spec:
  containers:
  - name: c1
    image: nginx:1.27
    ports:
    - containerPort: 80
    resources:
      limits: {cpu: 500m, memory: 64Mi}
`;

const protobufVersion = (k: Kubectl) => Number(k.version.split(".")[1]) >= 32;

for (const k of availableKubectls()) {
  describe(`kubectl ${k.version}`, () => {
    const ns = `schema-${k.version.replace(".", "-")}`;
    const n = ["-n", ns];

    beforeAll(async () => {
      await ok(k, ["create", "namespace", ns]);
    });

    test("create -f and apply -f work with default validation", async () => {
      expect(await ok(k, ["create", "-f", "-", ...n], podYaml("made"))).toBe("pod/made created\n");
      expect(await ok(k, ["apply", "-f", "-", ...n], podYaml("applied"))).toBe("pod/applied created\n");
      const pod = JSON.parse(await ok(k, ["get", "pod", "applied", "-o", "json", ...n]));
      expect(pod.spec.containers[0].resources.limits).toEqual({ cpu: "500m", memory: "64Mi" });
      expect(pod.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]).toContain('"name":"applied"');
    });

    test("explain prints the field tree of pods, containers and deployment templates", async () => {
      const pod = await ok(k, ["explain", "pod"]);
      expect(pod).toMatch(/KIND:\s+Pod/);
      expect(pod).toMatch(/spec\t<PodSpec>/);
      expect(pod).toMatch(/metadata\t<ObjectMeta>/);
      const containers = await ok(k, ["explain", "pod.spec.containers"]);
      expect(containers).toMatch(/FIELD: containers <\[\]Container>/);
      expect(containers).toMatch(/name\t<string> -required-/);
      expect(containers).toMatch(/image\t<string>/);
      expect(containers).toMatch(/volumeMounts\t<\[\]VolumeMount>/);
      const template = await ok(k, ["explain", "deployment.spec.template"]);
      expect(template).toMatch(/FIELD: template <PodTemplateSpec>/);
      expect(template).toMatch(/spec\t<PodSpec>/);
    });

    test("typed create commands work (protobuf bodies from 1.32 on)", async () => {
      const created = await server.kubectl(k, ["create", "configmap", "c", "--from-literal=a=b", "-v=8", ...n]);
      expect(created.stdout).toBe("configmap/c created\n");
      const contentType = protobufVersion(k) ? "application/vnd.kubernetes.protobuf" : "application/json";
      expect(created.stderr).toMatch(new RegExp(`Content-Type[:=]"?\\s*${contentType.replace(/\./g, "\\.")}`, "i"));
      expect(await ok(k, ["create", "secret", "generic", "s", "--from-literal=k=v", ...n])).toBe("secret/s created\n");
      expect(await ok(k, ["create", "serviceaccount", "bot", ...n])).toBe("serviceaccount/bot created\n");
      expect(await ok(k, ["create", "deployment", "web", "--image=nginx", ...n])).toBe("deployment.apps/web created\n");
      expect(await ok(k, ["create", "role", "r", "--verb=get", "--resource=pods", ...n])).toBe("role.rbac.authorization.k8s.io/r created\n");
      expect(await ok(k, ["create", "rolebinding", "rb", "--role=r", "--user=u", ...n])).toBe("rolebinding.rbac.authorization.k8s.io/rb created\n");
      const secret = JSON.parse(await ok(k, ["get", "secret", "s", "-o", "json", ...n]));
      expect(secret.data).toEqual({ k: "dg==" });
      const deployment = JSON.parse(await ok(k, ["get", "deployment", "web", "-o", "json", ...n]));
      expect(deployment.spec.template.spec.containers).toMatchObject([{ name: "nginx", image: "nginx" }]);
      const role = JSON.parse(await ok(k, ["get", "role", "r", "-o", "json", ...n]));
      expect(role.rules).toEqual([{ verbs: ["get"], apiGroups: [""], resources: ["pods"] }]);
      const binding = JSON.parse(await ok(k, ["get", "rolebinding", "rb", "-o", "json", ...n]));
      expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "r" });
    });

    test("create token and auth whoami", async () => {
      const token = await ok(k, ["create", "token", "bot", "--duration=10m", ...n]);
      expect(token.split(".")).toHaveLength(3);
      expect(await ok(k, ["auth", "whoami"])).toMatch(/Username\s+kubernetes-admin/);
    });
  });
}
