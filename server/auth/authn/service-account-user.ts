// Service-account identities: the `system:serviceaccount:NS:NAME` user name, its groups and
// the `extra` entries a bound token carries.
import type { UserInfo } from "../user.ts";

/** The `iss` of tokens kapi issues through TokenRequest (kubeadm's default issuer). */
export const serviceAccountIssuer = "https://kubernetes.default.svc.cluster.local";

/** The `iss` of legacy Secret-based tokens. */
export const legacyIssuer = "kubernetes/serviceaccount";

/** The audiences the API server itself answers to (`--api-audiences` defaults to the issuer). */
export const apiAudiences = [serviceAccountIssuer];

/** Well-known `extra` keys of service-account users. */
export const extraKeys = {
  podName: "authentication.kubernetes.io/pod-name",
  podUid: "authentication.kubernetes.io/pod-uid",
  nodeName: "authentication.kubernetes.io/node-name",
  nodeUid: "authentication.kubernetes.io/node-uid",
  credentialId: "authentication.kubernetes.io/credential-id",
};

const usernamePrefix = "system:serviceaccount:";
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `system:serviceaccount:NS:NAME`. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `${usernamePrefix}${namespace}:${name}`;
}

/** The namespace and name inside a service-account user name, or null if it is not one. */
export function splitServiceAccountUsername(username: string): { namespace: string; name: string } | null {
  if (!username.startsWith(usernamePrefix)) return null;
  const parts = username.slice(usernamePrefix.length).split(":");
  if (parts.length !== 2) return null;
  const [namespace, name] = parts;
  if (namespace.length > 63 || !dnsLabel.test(namespace)) return null;
  if (name.length > 253 || !dnsSubdomain.test(name)) return null;
  return { namespace, name };
}

/** The groups every service account of a namespace belongs to. */
export function serviceAccountGroups(namespace: string): string[] {
  return ["system:serviceaccounts", `system:serviceaccounts:${namespace}`];
}

/** What a validated service-account token says about its bearer. */
export interface ServiceAccountInfo {
  namespace: string;
  name: string;
  uid: string;
  podName?: string;
  podUid?: string;
  nodeName?: string;
  nodeUid?: string;
  credentialId?: string;
}

/** The user a service-account token authenticates as (before system:authenticated is added). */
export function serviceAccountUser(sa: ServiceAccountInfo): UserInfo {
  const user: UserInfo = { name: serviceAccountUsername(sa.namespace, sa.name), uid: sa.uid, groups: serviceAccountGroups(sa.namespace) };
  const extra: Record<string, string[]> = {};
  if (sa.podName && sa.podUid) {
    extra[extraKeys.podName] = [sa.podName];
    extra[extraKeys.podUid] = [sa.podUid];
  }
  if (sa.credentialId) extra[extraKeys.credentialId] = [sa.credentialId];
  if (sa.nodeName) {
    extra[extraKeys.nodeName] = [sa.nodeName];
    if (sa.nodeUid) extra[extraKeys.nodeUid] = [sa.nodeUid];
  }
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
