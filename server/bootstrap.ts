// Objects every cluster has from the start: the four system namespaces and the
// `kubernetes` service with its endpoints.
import type { Catalog } from "./registry/catalog.ts";
import type { ObjectWriter } from "./registry/object-writer.ts";
import type { KubeObject } from "./registry/resource-type.ts";

/** The namespaces kube-apiserver creates at start. */
export const systemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

/** Creates what is missing; existing objects are left alone. */
export async function bootstrap(catalog: Catalog, writer: ObjectWriter, endpoint: { ip: string; port: number }): Promise<void> {
  const namespaces = catalog.lookup("", "v1", "namespaces")!;
  for (const name of systemNamespaces) {
    await ensure(writer, namespaces, "", { metadata: { name } });
  }
  const services = catalog.lookup("", "v1", "services")!;
  await ensure(writer, services, "default", {
    metadata: { name: "kubernetes", labels: { component: "apiserver", provider: "kubernetes" } },
    spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: endpoint.port }], sessionAffinity: "None", type: "ClusterIP" },
  });
  const endpoints = catalog.lookup("", "v1", "endpoints")!;
  await ensure(writer, endpoints, "default", {
    metadata: { name: "kubernetes", labels: { "endpointslice.kubernetes.io/skip-mirror": "true" } },
    subsets: [{ addresses: [{ ip: endpoint.ip }], ports: [{ name: "https", port: endpoint.port, protocol: "TCP" }] }],
  });
}

async function ensure(writer: ObjectWriter, t: Parameters<ObjectWriter["create"]>[0], namespace: string, obj: Record<string, any>): Promise<void> {
  try {
    await writer.create(t, namespace, obj as KubeObject);
  } catch (err) {
    if ((err as { code?: number }).code !== 409) throw err;
  }
}
