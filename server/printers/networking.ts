// Printers for networking.k8s.io/v1: ingresses, ingress classes and network policies.
import { ageColumn, column, nameColumn } from "./columns.ts";
import { docs } from "./docs.ts";
import { formatLabelSelector, objectAge, objectName } from "./format.ts";
import { loadBalancerStatusString } from "./service.ts";
import type { TablePrinter } from "./types.ts";

/** HOSTS: up to three rule hosts, "*" when none is set. */
export function formatIngressHosts(rules: any[] | undefined): string {
  const list: string[] = [];
  const max = 3;
  let more = false;
  for (const rule of rules ?? []) {
    if (list.length === max) more = true;
    if (!more && rule?.host) list.push(rule.host);
  }
  if (list.length === 0) return "*";
  const joined = list.join(",");
  return more ? `${joined} + ${(rules ?? []).length - max} more...` : joined;
}

function ingressCells(ing: any, now: Date): unknown[] {
  return [
    objectName(ing),
    ing.spec?.ingressClassName ?? "<none>",
    formatIngressHosts(ing.spec?.rules),
    loadBalancerStatusString(ing.status?.loadBalancer),
    (ing.spec?.tls ?? []).length > 0 ? "80, 443" : "80",
    objectAge(ing, now),
  ];
}

function ingressClassCells(ic: any, now: Date): unknown[] {
  const params = ic.spec?.parameters;
  let parameters = "<none>";
  if (params) {
    parameters = (params.kind ?? "") + (params.apiGroup != null ? `.${params.apiGroup}` : "") + `/${params.name ?? ""}`;
  }
  return [objectName(ic), ic.spec?.controller ?? "", parameters, objectAge(ic, now)];
}

function networkPolicyCells(np: any, now: Date): unknown[] {
  return [objectName(np), formatLabelSelector(np.spec?.podSelector ?? {}), objectAge(np, now)];
}

/** networking.k8s.io/v1 ingresses. */
export const ingressPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
    column("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
    column("Address", "string", "Address is a list containing ingress points for the load-balancer"),
    column("Ports", "string", "Ports of TLS configurations that open"),
    ageColumn(),
  ],
  cells: ingressCells,
};

/** networking.k8s.io/v1 ingressclasses. */
export const ingressClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Controller", "string", "Controller that is responsible for handling this class"),
    column("Parameters", "string", "A reference to a resource with additional parameters"),
    ageColumn(),
  ],
  cells: ingressClassCells,
};

/** networking.k8s.io/v1 networkpolicies. */
export const networkPolicyPrinter: TablePrinter = {
  columns: [nameColumn(), column("Pod-Selector", "string", docs["NetworkPolicySpec.podSelector"]), ageColumn()],
  cells: networkPolicyCells,
};
