// The cluster roles kube-apiserver's bootstrap policy ships (apart from the per-controller
// `system:controller:*` roles, whose controllers run inside kapi without identities of their
// own). Lists are sorted, as upstream's rule builder sorts them.
import type { PolicyRule } from "./rules.ts";

const read = ["get", "list", "watch"];
const write = ["create", "update", "patch", "delete", "deletecollection"];
const readWrite = [...read, ...write];
const eventWrite = ["create", "update", "patch"];

const core = "";
const apps = "apps";
const authn = "authentication.k8s.io";
const authz = "authorization.k8s.io";
const autoscaling = "autoscaling";
const batch = "batch";
const certificates = "certificates.k8s.io";
const coordination = "coordination.k8s.io";
const extensions = "extensions";
const networking = "networking.k8s.io";
const policy = "policy";
const storage = "storage.k8s.io";

/** A resource rule: verbs on resources of groups (optionally named). */
export function rule(verbs: string[], groups: string[], resources: string[], names: string[] = []): PolicyRule {
  return { verbs: sorted(verbs), apiGroups: sorted(groups), resources: sorted(resources), resourceNames: sorted(names), nonResourceURLs: [] };
}

/** A non-resource rule: verbs on URL paths. */
export function urls(verbs: string[], paths: string[]): PolicyRule {
  return { verbs: sorted(verbs), apiGroups: [], resources: [], resourceNames: [], nonResourceURLs: sorted(paths) };
}

function sorted(values: string[]): string[] {
  return [...new Set(values)].sort();
}

/** One bootstrap ClusterRole. */
export interface BootstrapRole {
  name: string;
  rules: PolicyRule[];
  labels?: Record<string, string>;
  /** Label selectors whose matching roles' rules this role aggregates. */
  aggregateFrom?: string[];
}

const toAdmin = { "rbac.authorization.k8s.io/aggregate-to-admin": "true" };
const toEdit = { "rbac.authorization.k8s.io/aggregate-to-edit": "true" };
const toView = { "rbac.authorization.k8s.io/aggregate-to-view": "true" };
const events = rule(eventWrite, [core, "events.k8s.io"], ["events"]);

/** The bootstrap ClusterRoles, in upstream's (name) order. */
export const bootstrapClusterRoles: BootstrapRole[] = [
  { name: "admin", rules: [], aggregateFrom: ["rbac.authorization.k8s.io/aggregate-to-admin"] },
  { name: "cluster-admin", rules: [rule(["*"], ["*"], ["*"]), urls(["*"], ["*"])] },
  { name: "edit", rules: [], labels: toAdmin, aggregateFrom: ["rbac.authorization.k8s.io/aggregate-to-edit"] },
  {
    name: "system:aggregate-to-admin",
    labels: toAdmin,
    rules: [rule(["create"], [authz], ["localsubjectaccessreviews"]), rule(readWrite, ["rbac.authorization.k8s.io"], ["rolebindings", "roles"])],
  },
  {
    name: "system:aggregate-to-edit",
    labels: toEdit,
    rules: [
      rule(read, [core], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"]),
      rule(["impersonate"], [core], ["serviceaccounts"]),
      rule(write, [core], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"]),
      rule(["create"], [core], ["pods/eviction"]),
      rule(write, [core], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"]),
      rule(["create"], [core], ["serviceaccounts/token"]),
      rule(write, [apps], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"]),
      rule(write, [autoscaling], ["horizontalpodautoscalers"]),
      rule(write, [batch], ["cronjobs", "jobs"]),
      rule(write, [extensions], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses", "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"]),
      rule(write, [policy], ["poddisruptionbudgets"]),
      rule(write, [networking], ["ingresses", "networkpolicies"]),
      rule(readWrite, [coordination], ["leases"]),
    ],
  },
  {
    name: "system:aggregate-to-view",
    labels: toView,
    rules: [
      rule(read, [core], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"]),
      rule(read, [core], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"]),
      rule(read, [core], ["namespaces"]),
      rule(read, ["discovery.k8s.io"], ["endpointslices"]),
      rule(read, [apps], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"]),
      rule(read, [autoscaling], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
      rule(read, [batch], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"]),
      rule(read, [extensions], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale", "replicasets/status", "replicationcontrollers/scale"]),
      rule(read, [policy], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
      rule(read, [networking], ["ingresses", "ingresses/status", "networkpolicies"]),
    ],
  },
  { name: "system:auth-delegator", rules: [rule(["create"], [authn], ["tokenreviews"]), rule(["create"], [authz], ["subjectaccessreviews"])] },
  {
    name: "system:basic-user",
    rules: [rule(["create"], [authz], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"]), rule(["create"], [authn], ["selfsubjectreviews"])],
  },
  { name: "system:certificates.k8s.io:certificatesigningrequests:nodeclient", rules: [rule(["create"], [certificates], ["certificatesigningrequests/nodeclient"])] },
  { name: "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient", rules: [rule(["create"], [certificates], ["certificatesigningrequests/selfnodeclient"])] },
  {
    name: "system:discovery",
    rules: [urls(["get"], ["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"])],
  },
  { name: "system:kube-aggregator", rules: [rule(read, [core], ["endpoints", "services"])] },
  {
    name: "system:kube-controller-manager",
    rules: [
      events,
      rule(["create"], [coordination], ["leases"]),
      rule(["get", "update"], [coordination], ["leases"], ["kube-controller-manager"]),
      rule(["create"], [core], ["secrets", "serviceaccounts"]),
      rule(["delete"], [core], ["secrets"]),
      rule(["get"], [core], ["configmaps", "namespaces", "secrets", "serviceaccounts"]),
      rule(["update"], [core], ["secrets", "serviceaccounts"]),
      rule(["create"], [authn], ["tokenreviews"]),
      rule(["create"], [authz], ["subjectaccessreviews"]),
      rule(["list", "watch"], ["*"], ["*"]),
      rule(["create"], [core], ["serviceaccounts/token"]),
    ],
  },
  { name: "system:kube-dns", rules: [rule(["list", "watch"], [core], ["endpoints", "services"])] },
  {
    name: "system:kube-scheduler",
    rules: [
      events,
      rule(["create"], [coordination], ["leases"]),
      rule(["get", "update"], [coordination], ["leases"], ["kube-scheduler"]),
      rule(read, [core], ["nodes"]),
      rule(["delete", ...read], [core], ["pods"]),
      rule(["create"], [core], ["bindings", "pods/binding"]),
      rule(["patch", "update"], [core], ["pods/status"]),
      rule(read, [core], ["replicationcontrollers", "services"]),
      rule(read, [apps, extensions], ["replicasets"]),
      rule(read, [apps], ["statefulsets"]),
      rule(read, [policy], ["poddisruptionbudgets"]),
      rule(read, [core], ["persistentvolumeclaims", "persistentvolumes"]),
      rule(["create"], [authn], ["tokenreviews"]),
      rule(["create"], [authz], ["subjectaccessreviews"]),
      rule(read, [storage], ["csinodes"]),
      rule(read, [core], ["namespaces"]),
      rule(read, [storage], ["csidrivers"]),
      rule(read, [storage], ["csistoragecapacities"]),
    ],
  },
  { name: "system:kubelet-api-admin", rules: [rule(read, [core], ["nodes"]), rule(["proxy"], [core], ["nodes"]), rule(["*"], [core], ["nodes/log", "nodes/metrics", "nodes/proxy", "nodes/stats"])] },
  {
    name: "system:monitoring",
    rules: [urls(["get"], ["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics", "/metrics/slis", "/readyz", "/readyz/*"])],
  },
  {
    name: "system:node",
    rules: [
      rule(["create"], [authn], ["tokenreviews"]),
      rule(["create"], [authz], ["localsubjectaccessreviews", "subjectaccessreviews"]),
      rule(read, [core], ["services"]),
      rule(["create", ...read], [core], ["nodes"]),
      rule(["patch", "update"], [core], ["nodes/status"]),
      rule(["patch", "update"], [core], ["nodes"]),
      rule(eventWrite, [core], ["events"]),
      rule(read, [core], ["pods"]),
      rule(["create", "delete"], [core], ["pods"]),
      rule(["patch", "update"], [core], ["pods/status"]),
      rule(["create"], [core], ["pods/eviction"]),
      rule(read, [core], ["configmaps", "secrets"]),
      rule(["get"], [core], ["persistentvolumeclaims", "persistentvolumes"]),
      rule(["get"], [core], ["endpoints"]),
      rule(["create", ...read], [certificates], ["certificatesigningrequests"]),
      rule(["create", "delete", "get", "patch", "update"], [coordination], ["leases"]),
      rule(["get"], [storage], ["volumeattachments"]),
      rule(["create"], [core], ["serviceaccounts/token"]),
      rule(["get", "patch", "update"], [core], ["persistentvolumeclaims/status"]),
      rule(read, [storage], ["csidrivers"]),
      rule(["create", "delete", "get", "patch", "update"], [storage], ["csinodes"]),
      rule(read, ["node.k8s.io"], ["runtimeclasses"]),
    ],
  },
  { name: "system:node-bootstrapper", rules: [rule(["create", ...read], [certificates], ["certificatesigningrequests"])] },
  { name: "system:node-problem-detector", rules: [rule(["get"], [core], ["nodes"]), rule(["patch"], [core], ["nodes/status"]), events] },
  {
    name: "system:node-proxier",
    rules: [rule(["list", "watch"], [core], ["endpoints", "services"]), rule(read, [core], ["nodes"]), events, rule(["list", "watch"], ["discovery.k8s.io"], ["endpointslices"])],
  },
  {
    name: "system:persistent-volume-provisioner",
    rules: [
      rule(["create", "delete", "get", "list", "watch"], [core], ["persistentvolumes"]),
      rule(["get", "list", "update", "watch"], [core], ["persistentvolumeclaims"]),
      rule(read, [storage], ["storageclasses"]),
      rule(["watch"], [core], ["events"]),
      events,
    ],
  },
  { name: "system:public-info-viewer", rules: [urls(["get"], ["/healthz", "/livez", "/readyz", "/version", "/version/"])] },
  { name: "system:service-account-issuer-discovery", rules: [urls(["get"], ["/.well-known/openid-configuration", "/openid/v1/jwks"])] },
  {
    name: "system:volume-scheduler",
    rules: [rule(["get", "list", "patch", "update", "watch"], [core], ["persistentvolumes"]), rule(read, [storage], ["storageclasses"]), rule(["get", "list", "patch", "update", "watch"], [core], ["persistentvolumeclaims"])],
  },
  { name: "view", rules: [], labels: toEdit, aggregateFrom: ["rbac.authorization.k8s.io/aggregate-to-view"] },
];

/** One bootstrap ClusterRoleBinding: a ClusterRole of the same name bound to subjects. */
export interface BootstrapBinding {
  name: string;
  subjects: { kind: "User" | "Group" | "ServiceAccount"; name: string; namespace?: string }[];
}

/** The bootstrap ClusterRoleBindings. */
export const bootstrapClusterRoleBindings: BootstrapBinding[] = [
  { name: "cluster-admin", subjects: [{ kind: "Group", name: "system:masters" }] },
  { name: "system:basic-user", subjects: [{ kind: "Group", name: "system:authenticated" }] },
  { name: "system:discovery", subjects: [{ kind: "Group", name: "system:authenticated" }] },
  { name: "system:kube-controller-manager", subjects: [{ kind: "User", name: "system:kube-controller-manager" }] },
  { name: "system:kube-dns", subjects: [{ kind: "ServiceAccount", name: "kube-dns", namespace: "kube-system" }] },
  { name: "system:kube-scheduler", subjects: [{ kind: "User", name: "system:kube-scheduler" }] },
  { name: "system:monitoring", subjects: [{ kind: "Group", name: "system:monitoring" }] },
  { name: "system:node", subjects: [] },
  { name: "system:node-proxier", subjects: [{ kind: "User", name: "system:kube-proxy" }] },
  { name: "system:public-info-viewer", subjects: [{ kind: "Group", name: "system:authenticated" }, { kind: "Group", name: "system:unauthenticated" }] },
  { name: "system:service-account-issuer-discovery", subjects: [{ kind: "Group", name: "system:serviceaccounts" }] },
  { name: "system:volume-scheduler", subjects: [{ kind: "User", name: "system:kube-scheduler" }] },
];
