import { describe, expect, test } from "bun:test";
import { printerFor } from "./index.ts";
import { NOW, meta } from "./testing.ts";

const nodes = printerFor("", "nodes");

function node(name: string, labels: Record<string, string>, ready: string | undefined, extra: any = {}): any {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: meta(name, 5 * 86400, { namespace: undefined, labels }),
    spec: extra.spec ?? {},
    status: {
      conditions: [
        { type: "MemoryPressure", status: "False" },
        ...(ready === undefined ? [] : [{ type: "Ready", status: ready, reason: "KubeletReady" }]),
      ],
      addresses: extra.addresses ?? [
        { type: "InternalIP", address: "192.168.49.2" },
        { type: "Hostname", address: name },
      ],
      nodeInfo: {
        kubeletVersion: "v1.33.1",
        osImage: "Debian GNU/Linux 12 (bookworm)",
        kernelVersion: "6.1.0-18-amd64",
        containerRuntimeVersion: "containerd://1.7.13",
        ...extra.nodeInfo,
      },
    },
  };
}

describe("node printer", () => {
  test("columns", () => {
    expect(nodes.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      "Name:0",
      "Status:0",
      "Roles:0",
      "Age:0",
      "Version:0",
      "Internal-IP:1",
      "External-IP:1",
      "OS-Image:1",
      "Kernel-Version:1",
      "Container-Runtime:1",
    ]);
  });

  test("a ready control-plane node", () => {
    const n = node("cp-1", { "node-role.kubernetes.io/control-plane": "", "kubernetes.io/hostname": "cp-1" }, "True");
    expect(nodes.cells(n, NOW)).toEqual([
      "cp-1",
      "Ready",
      "control-plane",
      "5d",
      "v1.33.1",
      "192.168.49.2",
      "<none>",
      "Debian GNU/Linux 12 (bookworm)",
      "6.1.0-18-amd64",
      "containerd://1.7.13",
    ]);
  });

  test("not ready, cordoned, several roles sorted, legacy role label", () => {
    const n = node(
      "w-1",
      { "node-role.kubernetes.io/worker": "", "node-role.kubernetes.io/": "x", "kubernetes.io/role": "ingress" },
      "Unknown",
      { spec: { unschedulable: true }, addresses: [{ type: "ExternalIP", address: "203.0.113.7" }] },
    );
    expect(nodes.cells(n, NOW).slice(1, 3)).toEqual(["NotReady,SchedulingDisabled", "ingress,worker"]);
    expect(nodes.cells(n, NOW).slice(5, 7)).toEqual(["<none>", "203.0.113.7"]);
  });

  test("ready and unschedulable", () => {
    const n = node("w-2", {}, "True", { spec: { unschedulable: true } });
    expect(nodes.cells(n, NOW).slice(1, 3)).toEqual(["Ready,SchedulingDisabled", "<none>"]);
  });

  test("no Ready condition yet, no node info", () => {
    const n = node("new", {}, undefined, { nodeInfo: { osImage: "", kernelVersion: "", containerRuntimeVersion: "", kubeletVersion: "" } });
    expect(nodes.cells(n, NOW)).toEqual(["new", "Unknown", "<none>", "5d", "", "192.168.49.2", "<none>", "<unknown>", "<unknown>", "<unknown>"]);
  });
});
