// Registers the built-in node as the kubelet does: a Node with labels, capacity, addresses,
// conditions and node info; a Lease in kube-node-lease renewed every 10 s; and the node
// status (heartbeat times) refreshed every minute.
import { arch, availableParallelism, hostname, release, totalmem } from "node:os";
import { readFileSync, statfsSync } from "node:fs";
import { GIT_VERSION } from "../../api/build-info.ts";
import type { Catalog } from "../registry/catalog.ts";
import type { ObjectWriter } from "../registry/object-writer.ts";
import type { KubeObject } from "../registry/resource-type.ts";
import { createEventRecorder, type EventRecorder } from "../controllers/events.ts";

/** Who the node is. */
export interface NodeIdentity {
  name: string;
  ip: string;
  runtime: string;
  /** Where pod files live (ephemeral-storage capacity is measured there). */
  dataDir: string;
}

/** Heartbeat periods (tests shorten them). */
export interface HeartbeatSettings {
  leaseMs: number;
  statusMs: number;
}

const defaults: HeartbeatSettings = { leaseMs: 10_000, statusMs: 60_000 };
const leaseDurationSeconds = 40;

/** Registers the node, then keeps its Lease and status fresh until stopped. */
export async function registerNode(catalog: Catalog, writer: ObjectWriter, node: NodeIdentity, events: EventRecorder, settings: Partial<HeartbeatSettings> = {}): Promise<{ stop(): void }> {
  const { leaseMs, statusMs } = { ...defaults, ...settings };
  const nodes = catalog.lookup("", "v1", "nodes")!;
  const leases = catalog.lookup("coordination.k8s.io", "v1", "leases")!;
  const nodeController = createEventRecorder(catalog, writer, { component: "node-controller" });
  let registered = await register();
  events.record(registered, "Normal", "Starting", "Starting kubelet.");
  events.record(registered, "Normal", "NodeReady", `Node ${node.name} status is now: NodeReady`);

  /** Creates the Node, or refreshes the labels and status of the one a previous run left. */
  async function register(): Promise<KubeObject> {
    const desired = nodeObject(node);
    if (!(await writer.reader.getKv(nodes, "", node.name))) {
      const created = await writer.create(nodes, "", { ...desired, status: nodeStatus(node, []) });
      nodeController.record(created, "Normal", "RegisteredNode", `Node ${node.name} event: Registered Node ${node.name} in Controller`);
      return created;
    }
    const current = await writer.reader.get(nodes, "", node.name);
    current.metadata.labels = { ...(current.metadata.labels ?? {}), ...desired.metadata.labels };
    current.metadata.annotations = { ...(current.metadata.annotations ?? {}), ...desired.metadata.annotations };
    await writer.update(nodes, "", node.name, current);
    return refreshStatus();
  }

  /** Heartbeat in the node status; a Node deleted meanwhile is registered again, as the kubelet does. */
  async function refreshStatus(): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      const current = await writer.reader.getKv(nodes, "", node.name);
      if (!current) return register();
      const obj = await writer.reader.get(nodes, "", node.name);
      const status = nodeStatus(node, obj.status?.conditions ?? []);
      try {
        return await writer.update(nodes, "", node.name, { ...obj, status }, { subresource: "status" });
      } catch (err) {
        if ((err as { code?: number }).code !== 409 || attempt > 5) throw err;
      }
    }
  }

  async function renewLease(): Promise<void> {
    const spec = { holderIdentity: node.name, leaseDurationSeconds, renewTime: microTime() };
    const lease = await writer.reader.getKv(leases, "kube-node-lease", node.name);
    if (!lease) {
      const ownerReferences = [{ apiVersion: "v1", kind: "Node", name: node.name, uid: registered.metadata.uid }];
      await writer.create(leases, "kube-node-lease", { metadata: { name: node.name, ownerReferences }, spec });
      return;
    }
    const current = await writer.reader.get(leases, "kube-node-lease", node.name);
    await writer.update(leases, "kube-node-lease", node.name, { ...current, spec: { ...current.spec, ...spec } });
  }

  const report = (what: string) => (err: unknown) => {
    if ((err as Error).name !== "StoreClosedError") console.error(`node ${what}:`, (err as Error).message);
  };
  await renewLease();
  const leaseTimer = setInterval(() => void renewLease().catch(report("lease")), leaseMs);
  const statusTimer = setInterval(
    () =>
      void refreshStatus()
        .then((current) => (registered = current))
        .catch(report("status")),
    statusMs,
  );
  return {
    stop() {
      clearInterval(leaseTimer);
      clearInterval(statusTimer);
    },
  };
}

function nodeArch(): string {
  const names: Record<string, string> = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386", ppc64: "ppc64le", s390x: "s390x" };
  return names[arch()] ?? arch();
}

/** The Node object kapi registers (status is filled in by nodeStatus). */
export function nodeObject(node: NodeIdentity): KubeObject {
  const cpuArch = nodeArch();
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name: node.name,
      labels: {
        "beta.kubernetes.io/arch": cpuArch,
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": cpuArch,
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
        "node-role.kubernetes.io/control-plane": "",
      },
      annotations: { "node.alpha.kubernetes.io/ttl": "0", "volumes.kubernetes.io/controller-managed-attach-detach": "true" },
    },
    spec: {},
  };
}

/** Capacity, conditions (heartbeat now), addresses and node info. */
export function nodeStatus(node: NodeIdentity, previous: Record<string, any>[]): Record<string, any> {
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  const condition = (type: string, status: string, reason: string, message: string) => {
    const before = previous.find((c) => c.type === type);
    const lastTransitionTime = before?.status === status ? before.lastTransitionTime : now;
    return { type, status, lastHeartbeatTime: now, lastTransitionTime, reason, message };
  };
  const capacity = {
    cpu: String(availableParallelism()),
    "ephemeral-storage": `${diskKi(node.dataDir)}Ki`,
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    memory: `${Math.floor(totalmem() / 1024)}Ki`,
    pods: "110",
  };
  return {
    capacity,
    allocatable: { ...capacity },
    conditions: [
      condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ],
    addresses: [
      { address: node.ip, type: "InternalIP" },
      { address: node.name, type: "Hostname" },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: firstLine("/etc/machine-id"),
      systemUUID: firstLine("/sys/class/dmi/id/product_uuid").toLowerCase(),
      bootID: firstLine("/proc/sys/kernel/random/boot_id"),
      kernelVersion: release(),
      osImage: `kapi node on ${hostname()}`,
      containerRuntimeVersion: `${node.runtime}://${GIT_VERSION}`,
      kubeletVersion: GIT_VERSION,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: nodeArch(),
    },
  };
}

function firstLine(path: string): string {
  try {
    return readFileSync(path, "utf8").split("\n")[0].trim();
  } catch {
    return "";
  }
}

function diskKi(dir: string): number {
  try {
    const fs = statfsSync(dir);
    return Math.floor((fs.blocks * fs.bsize) / 1024);
  } catch {
    return 0;
  }
}

/** metav1.MicroTime: RFC 3339 with six fractional digits. */
function microTime(): string {
  return new Date().toISOString().replace(/Z$/, "000Z");
}
