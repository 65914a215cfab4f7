// `kapi auth can-i` and `kapi auth whoami` compared with real kubectl 1.33 against the same
// `kapi serve`: answers, exit codes, --list tables, errors, and the review bodies each sends.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { availableKubectls } from "./support/kubectl.ts";
import { startRecordingServer, type RecordingServer } from "./support/recording-server.ts";
import { expectSameAsKubectl, seen } from "./support/get-compare.ts";

let srv: RecordingServer;
const k133 = availableKubectls().find((k) => k.version === "1.33")!;
const account = "system:serviceaccount:default:read-only-user";
const as = `--as=${account}`;

async function create(path: string, body: unknown): Promise<void> {
  const res = await srv.api("POST", path, body);
  if (res.status !== 201) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

beforeAll(async () => {
  srv = await startRecordingServer();
  await create("/api/v1/namespaces/default/serviceaccounts", { metadata: { name: "read-only-user" } });
  const rbac = "/apis/rbac.authorization.k8s.io/v1";
  await create(`${rbac}/clusterroles`, {
    metadata: { name: "read-only" },
    rules: [
      { apiGroups: [""], resources: ["pods"], verbs: ["list", "get"] },
      { apiGroups: [""], resources: ["pods/log"], verbs: ["get"] },
      { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get"], resourceNames: ["web"] },
      { nonResourceURLs: ["/metrics", "/logs/*"], verbs: ["get"] },
    ],
  });
  await create(`${rbac}/clusterrolebindings`, {
    metadata: { name: "read-only-user" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "read-only" },
    subjects: [{ kind: "ServiceAccount", name: "read-only-user", namespace: "default" }],
  });
  await create(`${rbac}/namespaces/default/roles`, { metadata: { name: "cm-editor" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["create", "update", "delete"] }] });
  await create(`${rbac}/namespaces/default/rolebindings`, {
    metadata: { name: "cm-editors" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cm-editor" },
    subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "editors" }],
  });
});
afterAll(async () => {
  await srv.stop();
});

describe("auth can-i matches kubectl 1.33", () => {
  test.each([
    [["auth", "can-i", "get", "pods", "-A"]],
    [["auth", "can-i", "get", "pods", "-A", as]],
    [["auth", "can-i", "list", "pods", "-n", "kube-system", as]],
    [["auth", "can-i", "delete", "pods", as]],
    [["auth", "can-i", "get", "pods", "--subresource=log", as]],
    [["auth", "can-i", "get", "pods/log", as]],
    [["auth", "can-i", "get", "deployments.apps/web", as]],
    [["auth", "can-i", "get", "deployments.apps/api", as]],
    [["auth", "can-i", "get", "deployments", as]],
    [["auth", "can-i", "get", "/metrics", as]],
    [["auth", "can-i", "get", "/logs/kube.log", as]],
    [["auth", "can-i", "post", "/metrics", as]],
    [["auth", "can-i", "create", "configmaps", "--as=jane", "--as-group=editors"]],
    [["auth", "can-i", "create", "configmaps", "-n", "kube-system", "--as=jane", "--as-group=editors"]],
    [["auth", "can-i", "create", "configmaps", "--as=jane"]],
    [["auth", "can-i", "get", "pods", "-q", as]],
    [["auth", "can-i", "delete", "pods", "-q", as]],
    [["auth", "can-i", "get", "widgets", as]],
    [["auth", "can-i", "*", "*"]],
    [["auth", "can-i", "get"]],
    [["auth", "can-i", "get", "pods", "extra", "args"]],
    [["auth", "can-i", "--list", as]],
    [["auth", "can-i", "--list", "-n", "kube-system", as]],
    [["auth", "can-i", "--list", "--no-headers", as]],
    [["auth", "can-i", "--list", "--as=jane", "--as-group=editors"]],
    [["auth", "can-i", "--list", "-A", as]],
  ])("kapi %p", async (args) => {
    await expectSameAsKubectl(srv, k133, args);
  });

  test("the review kapi sends equals kubectl's: protobuf, same fields", async () => {
    const args = ["auth", "can-i", "get", "pods/web", "--subresource=log", "-n", "kube-system", as];
    const theirs = await srv.kubectl(k133, args);
    const mine = await srv.kapi(args);
    const sent = (r: typeof mine) => r.requests.find((q) => q.path.endsWith("/selfsubjectaccessreviews"))!;
    expect(sent(mine).protobuf).toBe(sent(theirs).protobuf);
    expect(sent(mine).protobuf).toBe(true);
    const review = (r: typeof mine) => sent(r).json;
    expect(review(mine)).toEqual(review(theirs));
    expect(review(mine)).toEqual({
      kind: "SelfSubjectAccessReview",
      apiVersion: "authorization.k8s.io/v1",
      metadata: {},
      spec: { resourceAttributes: { namespace: "kube-system", verb: "get", resource: "pods", subresource: "log", name: "web" } },
      status: { allowed: false },
    });
    expect(mine.stdout).toBe("yes\n");
  });
});

describe("auth whoami matches kubectl 1.33", () => {
  test.each([
    [["auth", "whoami"]],
    [["auth", "whoami", "-o", "json"]],
    [["auth", "whoami", "-o", "yaml"]],
    [["auth", "whoami", as]],
    [["auth", "whoami", "--as=jane", "--as-group=editors", "--as-group=devs", "-o", "json"]],
    [["auth", "whoami", "-o", "wide"]],
  ])("kapi %p", async (args) => {
    const r = await expectSameAsKubectl(srv, k133, args);
    if (args.length === 2) expect(seen(await srv.kapi(args)).stdout).toMatch(/^ATTRIBUTE\s+VALUE\nUsername\s+kubernetes-admin\nGroups\s+\[system:masters system:authenticated\]\n$/);
    expect(r.code === 0 || r.stderr.length > 0).toBe(true);
  });
});
