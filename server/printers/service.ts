// Printers for services, endpoints and endpoint slices.
import { ageColumn, column, nameColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import { formatLabels, joinHostPort, listWithMore, objectAge, objectName, sortedUnique } from "./format.ts";
import type { TablePrinter } from "./types.ts";

/** Load-balancer ingress IPs or hostnames, sorted and de-duplicated (never clipped: the server prints wide). */
export function loadBalancerStatusString(status: any): string {
  const values: string[] = [];
  for (const ingress of status?.ingress ?? []) {
    if (ingress?.ip) values.push(ingress.ip);
    else if (ingress?.hostname) values.push(ingress.hostname);
  }
  return sortedUnique(values).join(",");
}

function serviceExternalIP(svc: any): string {
  const externalIPs: string[] = svc.spec?.externalIPs ?? [];
  switch (svc.spec?.type) {
    case "ClusterIP":
    case "NodePort":
      return externalIPs.length > 0 ? externalIPs.join(",") : "<none>";
    case "LoadBalancer": {
      const lb = loadBalancerStatusString(svc.status?.loadBalancer);
      if (externalIPs.length > 0) return [...(lb ? lb.split(",") : []), ...externalIPs].join(",");
      return lb || "<pending>";
    }
    case "ExternalName":
      return svc.spec?.externalName ?? "";
  }
  return "<unknown>";
}

/** PORT(S): `80/TCP,443:30443/TCP`. */
export function servicePorts(ports: any[] | undefined): string {
  return (ports ?? [])
    .map((p) => {
      const protocol = p?.protocol ?? "TCP";
      return p?.nodePort > 0 ? `${p.port}:${p.nodePort}/${protocol}` : `${p?.port}/${protocol}`;
    })
    .join(",");
}

function serviceCells(svc: any, now: Date): unknown[] {
  const clusterIP = svc.spec?.clusterIP || svc.spec?.clusterIPs?.[0] || "<none>";
  return [
    objectName(svc),
    svc.spec?.type ?? "",
    clusterIP,
    serviceExternalIP(svc),
    servicePorts(svc.spec?.ports) || "<none>",
    objectAge(svc, now),
    formatLabels(svc.spec?.selector),
  ];
}

/** The ENDPOINTS cell: up to three `ip:port` pairs, then " + N more...". */
export function formatEndpoints(endpoints: any): string {
  const subsets: any[] = endpoints.subsets ?? [];
  if (subsets.length === 0) return "<none>";
  const max = 3;
  const list: string[] = [];
  let more = false;
  let count = 0;
  for (const subset of subsets) {
    const addresses: any[] = subset?.addresses ?? [];
    const ports: any[] = subset?.ports ?? [];
    // Headless services may have no ports: then the bare IPs are listed.
    const portList: (number | undefined)[] = ports.length === 0 ? [undefined] : ports.map((p) => p?.port);
    for (const port of portList) {
      count += addresses.length;
      for (const addr of addresses) {
        if (list.length === max) {
          more = true;
          break;
        }
        list.push(port === undefined ? addr?.ip : joinHostPort(addr?.ip ?? "", port));
      }
    }
  }
  const joined = list.join(",");
  return more ? `${joined} + ${count - max} more...` : joined;
}

function endpointsCells(ep: any, now: Date): unknown[] {
  return [objectName(ep), formatEndpoints(ep), objectAge(ep, now)];
}

function sliceCells(slice: any, now: Date): unknown[] {
  const max = 3;
  const ports: string[] = [];
  let portsMore = false;
  for (const port of slice.ports ?? []) {
    if (ports.length < max) ports.push(port?.port != null ? String(port.port) : (port?.name ?? "*"));
    else portsMore = true;
  }
  const addresses: string[] = [];
  let addrMore = false;
  let addrCount = 0;
  for (const endpoint of slice.endpoints ?? []) {
    for (const address of endpoint?.addresses ?? []) {
      if (addresses.length < max) addresses.push(address);
      else addrMore = true;
      addrCount++;
    }
  }
  return [
    objectName(slice),
    slice.addressType ?? "",
    listWithMore(ports, portsMore, (slice.ports ?? []).length, max),
    listWithMore(addresses, addrMore, addrCount, max),
    objectAge(slice, now),
  ];
}

/** core/v1 services. */
export const servicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Type", "string", docs["ServiceSpec.type"]),
    column("Cluster-IP", "string", docs["ServiceSpec.clusterIP"]),
    column("External-IP", "string", docs["ServiceSpec.externalIPs"]),
    column("Port(s)", "string", docs["ServiceSpec.ports"]),
    ageColumn(),
    wide("Selector", docs["ServiceSpec.selector"]),
  ],
  cells: serviceCells,
};

/** core/v1 endpoints. */
export const endpointsPrinter: TablePrinter = {
  columns: [nameColumn(), column("Endpoints", "string", docs["Endpoints.subsets"]), ageColumn()],
  cells: endpointsCells,
};

/** discovery.k8s.io/v1 endpointslices. */
export const endpointSlicePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("AddressType", "string", docs["EndpointSlice.addressType"]),
    column("Ports", "string", docs["EndpointSlice.ports"]),
    column("Endpoints", "string", docs["EndpointSlice.endpoints"]),
    ageColumn(),
  ],
  cells: sliceCells,
};
