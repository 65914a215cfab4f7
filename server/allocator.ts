// Allocates service cluster IPs (10.96.0.0/12) and node ports (30000-32767), remembering
// what existing services hold.
import type { Allocator } from "./registry/resource-type.ts";
import type { Catalog } from "./registry/catalog.ts";
import type { ObjectReader } from "./registry/object-store.ts";

const ipBase = (10 << 24) | (96 << 16);
const ipCount = 1 << 20;

/** An allocator seeded lazily from the services already stored. */
export function serviceAllocator(catalog: Catalog, reader: ObjectReader): Allocator {
  let seeded: Promise<{ ips: Set<string>; ports: Set<number> }> | undefined;
  const seed = () =>
    (seeded ??= (async () => {
      const services = catalog.lookup("", "v1", "services")!;
      const list = await reader.list(services, "", {});
      const ips = new Set<string>();
      const ports = new Set<number>();
      for (const svc of list.items) {
        if (svc.spec?.clusterIP) ips.add(svc.spec.clusterIP);
        for (const p of svc.spec?.ports ?? []) if (p.nodePort) ports.add(p.nodePort);
      }
      return { ips, ports };
    })());
  return {
    async clusterIP() {
      const { ips } = await seed();
      // 10.96.0.1 is reserved for the `kubernetes` service.
      for (let n = 2; n < ipCount - 1; n++) {
        const ip = formatIp(ipBase + n);
        if (!ips.has(ip)) {
          ips.add(ip);
          return ip;
        }
      }
      throw new Error("no cluster IPs left in 10.96.0.0/12");
    },
    async nodePort() {
      const { ports } = await seed();
      for (let port = 30000; port <= 32767; port++) {
        if (!ports.has(port)) {
          ports.add(port);
          return port;
        }
      }
      throw new Error("no node ports left in 30000-32767");
    },
  };
}

function formatIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}
