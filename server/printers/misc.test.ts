import { describe, expect, test } from "bun:test";
import { printerFor } from "./index.ts";
import { NOW, ago, meta } from "./testing.ts";

describe("rbac", () => {
  test("role bindings", () => {
    const p = printerFor("rbac.authorization.k8s.io", "rolebindings");
    expect(p.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      "Name:0",
      "Role:0",
      "Age:0",
      "Users:1",
      "Groups:1",
      "ServiceAccounts:1",
    ]);
    expect(p.columns[3]!.description).toBe("Users in the roleBinding");
    const rb = {
      metadata: meta("read-pods", 600),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
      subjects: [
        { kind: "User", name: "jane" },
        { kind: "User", name: "bob" },
        { kind: "Group", name: "devs" },
        { kind: "ServiceAccount", name: "ci", namespace: "tools" },
      ],
    };
    expect(p.cells(rb, NOW)).toEqual(["read-pods", "Role/pod-reader", "10m", "jane, bob", "devs", "tools/ci"]);
  });

  test("cluster role bindings", () => {
    const p = printerFor("rbac.authorization.k8s.io", "clusterrolebindings");
    expect(p.columns[5]!.description).toBe("ServiceAccounts in the clusterRoleBinding");
    const crb = { metadata: meta("admin", 600), roleRef: { kind: "ClusterRole", name: "cluster-admin" } };
    expect(p.cells(crb, NOW)).toEqual(["admin", "ClusterRole/cluster-admin", "10m", "", "", ""]);
  });

  test("roles use the default convertor", () => {
    const p = printerFor("rbac.authorization.k8s.io", "roles");
    expect(p.columns.map((c) => [c.name, c.type, c.format])).toEqual([
      ["Name", "string", "name"],
      ["Created At", "date", ""],
    ]);
    expect(p.cells({ metadata: { name: "r", creationTimestamp: "2024-05-01T10:00:00Z" } }, NOW)).toEqual(["r", "2024-05-01T10:00:00Z"]);
    expect(printerFor("apiextensions.k8s.io", "customresourcedefinitions")).toBe(p);
  });
});

describe("storage", () => {
  test("persistent volumes", () => {
    const p = printerFor("", "persistentvolumes");
    const pv = {
      metadata: meta("pv-1", 600, { namespace: undefined }),
      spec: {
        capacity: { storage: "10Gi" },
        accessModes: ["ReadWriteMany", "ReadWriteOnce", "ReadWriteOnce"],
        persistentVolumeReclaimPolicy: "Retain",
        claimRef: { namespace: "default", name: "data" },
        storageClassName: "standard",
        volumeMode: "Filesystem",
      },
      status: { phase: "Bound" },
    };
    expect(p.cells(pv, NOW)).toEqual(["pv-1", "10Gi", "RWO,RWX", "Retain", "Bound", "default/data", "standard", "<unset>", "", "10m", "Filesystem"]);
  });

  test("persistent volume claims, pending and bound", () => {
    const p = printerFor("", "persistentvolumeclaims");
    const pvc: any = {
      metadata: meta("data", 600, { annotations: { "volume.beta.kubernetes.io/storage-class": "legacy" } }),
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, storageClassName: "standard" },
      status: { phase: "Pending" },
    };
    expect(p.cells(pvc, NOW)).toEqual(["data", "Pending", "", "", "", "legacy", "<unset>", "10m", "<unset>"]);
    pvc.spec.volumeName = "pv-1";
    pvc.spec.volumeMode = "Block";
    pvc.status = { phase: "Bound", capacity: { storage: "2Gi" }, accessModes: ["ReadWriteOncePod"] };
    delete pvc.metadata.annotations;
    expect(p.cells(pvc, NOW)).toEqual(["data", "Bound", "pv-1", "2Gi", "RWOP", "standard", "<unset>", "10m", "Block"]);
  });

  test("storage classes", () => {
    const p = printerFor("storage.k8s.io", "storageclasses");
    const sc = {
      metadata: meta("standard", 600, { annotations: { "storageclass.kubernetes.io/is-default-class": "true" } }),
      provisioner: "rancher.io/local-path",
      volumeBindingMode: "WaitForFirstConsumer",
    };
    expect(p.cells(sc, NOW)).toEqual(["standard (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false, "10m"]);
  });
});

describe("networking", () => {
  test("ingresses", () => {
    const p = printerFor("networking.k8s.io", "ingresses");
    const ing: any = {
      metadata: meta("web", 600),
      spec: {
        ingressClassName: "nginx",
        rules: [{ host: "a.example.com" }, {}, { host: "b.example.com" }, { host: "c.example.com" }, { host: "d.example.com" }],
        tls: [{ hosts: ["a.example.com"] }],
      },
      status: { loadBalancer: { ingress: [{ ip: "192.0.2.5" }] } },
    };
    expect(p.cells(ing, NOW)).toEqual(["web", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...", "192.0.2.5", "80, 443", "10m"]);
    expect(p.cells({ metadata: meta("bare", 600), spec: { rules: [{}] } }, NOW)).toEqual(["bare", "<none>", "*", "", "80", "10m"]);
  });

  test("ingress classes", () => {
    const p = printerFor("networking.k8s.io", "ingressclasses");
    const ic = {
      metadata: meta("nginx", 600),
      spec: { controller: "k8s.io/ingress-nginx", parameters: { apiGroup: "k8s.example.com", kind: "IngressParameters", name: "p" } },
    };
    expect(p.cells(ic, NOW)).toEqual(["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/p", "10m"]);
  });

  test("network policies", () => {
    const p = printerFor("networking.k8s.io", "networkpolicies");
    expect(p.cells({ metadata: meta("deny", 600), spec: { podSelector: {} } }, NOW)).toEqual(["deny", "<none>", "10m"]);
    expect(p.cells({ metadata: meta("db", 600), spec: { podSelector: { matchLabels: { role: "db" } } } }, NOW)[1]).toBe("role=db");
  });
});

describe("cluster kinds", () => {
  test("leases", () => {
    const p = printerFor("coordination.k8s.io", "leases");
    expect(p.columns.map((c) => c.name)).toEqual(["Name", "Holder", "Age"]);
    const lease = { metadata: meta("kapi-node", 600), spec: { holderIdentity: "kapi-node", leaseDurationSeconds: 40 } };
    expect(p.cells(lease, NOW)).toEqual(["kapi-node", "kapi-node", "10m"]);
    expect(p.cells({ metadata: meta("free", 600), spec: {} }, NOW)).toEqual(["free", "", "10m"]);
  });

  test("priority classes", () => {
    const p = printerFor("scheduling.k8s.io", "priorityclasses");
    const pc = { metadata: meta("system-node-critical", 600), value: 2000001000, preemptionPolicy: "PreemptLowerPriority" };
    expect(p.cells(pc, NOW)).toEqual(["system-node-critical", 2000001000, false, "10m", "PreemptLowerPriority"]);
  });

  test("webhook configurations and runtime classes", () => {
    const wh = { metadata: meta("hooks", 600), webhooks: [{ name: "a" }, { name: "b" }] };
    expect(printerFor("admissionregistration.k8s.io", "validatingwebhookconfigurations").cells(wh, NOW)).toEqual(["hooks", 2, "10m"]);
    expect(printerFor("node.k8s.io", "runtimeclasses").cells({ metadata: meta("gvisor", 600), handler: "runsc" }, NOW)).toEqual([
      "gvisor",
      "runsc",
      "10m",
    ]);
  });

  test("certificate signing requests", () => {
    const p = printerFor("certificates.k8s.io", "certificatesigningrequests");
    expect(p.columns.map((c) => c.name)).toEqual(["Name", "Age", "SignerName", "Requestor", "RequestedDuration", "Condition"]);
    const csr: any = {
      metadata: meta("jane", 600),
      spec: { signerName: "kubernetes.io/kube-apiserver-client", username: "admin", expirationSeconds: 86400 },
      status: { conditions: [{ type: "Approved", status: "True" }], certificate: "LS0t" },
    };
    expect(p.cells(csr, NOW)).toEqual(["jane", "10m", "kubernetes.io/kube-apiserver-client", "admin", "24h", "Approved,Issued"]);
    csr.status = { conditions: [{ type: "Denied" }, { type: "Failed" }] };
    delete csr.spec.expirationSeconds;
    expect(p.cells(csr, NOW).slice(4)).toEqual(["<none>", "Denied,Failed"]);
  });

  test("pod disruption budgets", () => {
    const p = printerFor("policy", "poddisruptionbudgets");
    const pdb = { metadata: meta("web", 600), spec: { minAvailable: "50%" }, status: { disruptionsAllowed: 1 } };
    expect(p.cells(pdb, NOW)).toEqual(["web", "50%", "N/A", 1, "10m"]);
    expect(p.cells({ metadata: meta("x", 600), spec: { maxUnavailable: 1 } }, NOW).slice(1, 4)).toEqual(["N/A", "1", 0]);
  });

  test("api services", () => {
    const p = printerFor("apiregistration.k8s.io", "apiservices");
    expect(p.cells({ metadata: meta("v1.apps", 600), spec: {}, status: { conditions: [{ type: "Available", status: "True" }] } }, NOW)).toEqual([
      "v1.apps",
      "Local",
      "True",
      "10m",
    ]);
    const remote = {
      metadata: meta("v1beta1.metrics.k8s.io", 600),
      spec: { service: { namespace: "kube-system", name: "metrics-server" } },
      status: { conditions: [{ type: "Available", status: "False", reason: "MissingEndpoints" }] },
    };
    expect(p.cells(remote, NOW)).toEqual(["v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)", "10m"]);
  });
});

describe("horizontal pod autoscalers", () => {
  const p = printerFor("autoscaling", "horizontalpodautoscalers");

  test("autoscaling/v2 metrics", () => {
    const hpa = {
      metadata: meta("web", 600),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } },
          { type: "Resource", resource: { name: "memory", target: { type: "AverageValue", averageValue: "500Mi" } } },
          { type: "Pods", pods: { metric: { name: "rps" }, target: { type: "AverageValue", averageValue: "10" } } },
        ],
      },
      status: {
        currentReplicas: 2,
        currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 12, averageValue: "60m" } } }],
      },
    };
    expect(p.cells(hpa, NOW)).toEqual(["web", "Deployment/web", "cpu: 12%/50%, memory: <unknown>/500Mi + 1 more...", "1", 10, 2, "10m"]);
  });

  test("autoscaling/v1 target CPU", () => {
    const hpa = {
      metadata: meta("v1", 600),
      spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, maxReplicas: 3, targetCPUUtilizationPercentage: 80 },
      status: { currentReplicas: 1 },
    };
    expect(p.cells(hpa, NOW)).toEqual(["v1", "Deployment/web", "cpu: <unknown>/80%", "<unset>", 3, 1, "10m"]);
    expect(p.cells({ metadata: meta("none", 600), spec: { maxReplicas: 1 } }, NOW)[2]).toBe("<none>");
  });
});
