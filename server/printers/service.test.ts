import { describe, expect, test } from "bun:test";
import { printerFor } from "./index.ts";
import { NOW, meta } from "./testing.ts";

const services = printerFor("", "services");
const endpoints = printerFor("", "endpoints");
const slices = printerFor("discovery.k8s.io", "endpointslices");

function svc(name: string, spec: any, status: any = {}): any {
  return { apiVersion: "v1", kind: "Service", metadata: meta(name, 7200), spec, status };
}

describe("service printer", () => {
  test("columns", () => {
    expect(services.columns.map((c) => `${c.name}:${c.priority}`)).toEqual([
      "Name:0",
      "Type:0",
      "Cluster-IP:0",
      "External-IP:0",
      "Port(s):0",
      "Age:0",
      "Selector:1",
    ]);
  });

  test("ClusterIP", () => {
    const s = svc("kubernetes", {
      type: "ClusterIP",
      clusterIP: "10.96.0.1",
      clusterIPs: ["10.96.0.1"],
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
    });
    expect(services.cells(s, NOW)).toEqual(["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "120m", "<none>"]);
  });

  test("headless with a selector and several ports", () => {
    const s = svc("db", {
      type: "ClusterIP",
      clusterIP: "None",
      selector: { tier: "db", app: "pg" },
      ports: [
        { port: 5432, protocol: "TCP" },
        { port: 9187, protocol: "TCP" },
        { port: 53, protocol: "UDP" },
      ],
    });
    expect(services.cells(s, NOW)).toEqual(["db", "ClusterIP", "None", "<none>", "5432/TCP,9187/TCP,53/UDP", "120m", "app=pg,tier=db"]);
  });

  test("NodePort with external IPs", () => {
    const s = svc("web", {
      type: "NodePort",
      clusterIPs: ["10.96.12.5"],
      externalIPs: ["198.51.100.1", "198.51.100.2"],
      ports: [
        { port: 80, nodePort: 30080, protocol: "TCP" },
        { port: 443, nodePort: 30443, protocol: "TCP" },
      ],
      selector: { app: "web" },
    });
    expect(services.cells(s, NOW).slice(1, 5)).toEqual(["NodePort", "10.96.12.5", "198.51.100.1,198.51.100.2", "80:30080/TCP,443:30443/TCP"]);
  });

  test("LoadBalancer pending, then provisioned, then with external IPs", () => {
    const s = svc("lb", {
      type: "LoadBalancer",
      clusterIP: "10.96.1.1",
      ports: [
        { port: 80, protocol: "TCP", nodePort: 31000 },
        { port: 443, protocol: "TCP", nodePort: 30443 },
      ],
    });
    expect(services.cells(s, NOW).slice(3, 5)).toEqual(["<pending>", "80:31000/TCP,443:30443/TCP"]);
    s.status = {
      loadBalancer: {
        ingress: [{ ip: "203.0.113.10" }, { hostname: "a1b2c3-very-long-name.elb.example.com" }, { ip: "203.0.113.10" }],
      },
    };
    // The server prints wide, so the list is never clipped to 16 characters.
    expect(services.cells(s, NOW)[3]).toBe("203.0.113.10,a1b2c3-very-long-name.elb.example.com");
    s.spec.externalIPs = ["198.51.100.9"];
    expect(services.cells(s, NOW)[3]).toBe("203.0.113.10,a1b2c3-very-long-name.elb.example.com,198.51.100.9");
  });

  test("ExternalName and no ports", () => {
    const s = svc("ext", { type: "ExternalName", externalName: "db.example.com" });
    expect(services.cells(s, NOW).slice(1, 5)).toEqual(["ExternalName", "<none>", "db.example.com", "<none>"]);
  });
});

describe("endpoints printer", () => {
  function ep(subsets: any[] | undefined): any {
    return { apiVersion: "v1", kind: "Endpoints", metadata: meta("web", 60), subsets };
  }

  test("no subsets", () => {
    expect(endpoints.cells(ep(undefined), NOW)).toEqual(["web", "<none>", "60s"]);
  });

  test("a few addresses", () => {
    const e = ep([{ addresses: [{ ip: "10.244.0.5" }, { ip: "fd00::5" }], ports: [{ name: "http", port: 8080, protocol: "TCP" }] }]);
    expect(endpoints.cells(e, NOW)[1]).toBe("10.244.0.5:8080,[fd00::5]:8080");
  });

  test("many addresses across ports and subsets", () => {
    const addresses = ["10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"].map((ip) => ({ ip }));
    const e = ep([
      { addresses, ports: [{ port: 80 }, { port: 443 }] },
      { addresses: [{ ip: "10.0.1.1" }], notReadyAddresses: [{ ip: "10.0.1.2" }], ports: [{ port: 80 }] },
    ]);
    expect(endpoints.cells(e, NOW)[1]).toBe("10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 6 more...");
  });

  test("headless without ports lists bare IPs", () => {
    const e = ep([{ addresses: [{ ip: "10.0.0.1" }, { ip: "10.0.0.2" }] }]);
    expect(endpoints.cells(e, NOW)[1]).toBe("10.0.0.1,10.0.0.2");
  });
});

describe("endpointslice printer", () => {
  test("ports and endpoints", () => {
    const slice = {
      metadata: meta("web-abc12", 60),
      addressType: "IPv4",
      ports: [{ name: "http", port: 80, protocol: "TCP" }, { name: "named" }, {}, { port: 9000 }],
      endpoints: [{ addresses: ["10.0.0.1"] }, { addresses: ["10.0.0.2", "10.0.0.3", "10.0.0.4"] }],
    };
    expect(slices.cells(slice, NOW)).toEqual(["web-abc12", "IPv4", "80,named,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...", "60s"]);
  });

  test("empty slice", () => {
    expect(slices.cells({ metadata: meta("e", 60), addressType: "IPv6" }, NOW)).toEqual(["e", "IPv6", "<unset>", "<unset>", "60s"]);
  });
});
