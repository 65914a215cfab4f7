// The core (legacy, group "") resource types kapi serves.
import type { ResourceType } from "../resource-type.ts";
import { defaultPod, podSelectableFields, prepareForCreatePod, validatePodSpec, validatePodUpdate } from "../strategies/pod.ts";
import { defaultService, prepareForCreateService, prepareForUpdateService, validateService, validateServiceUpdate } from "../strategies/service.ts";
import { normalizeSecret, validateConfigMap, validateImmutableData, validateSecret } from "../strategies/config-data.ts";
import { prepareForCreateNamespace, prepareForUpdateNamespace, validateNamespace } from "../strategies/namespace.ts";
import { immutable } from "../strategies/common.ts";
import { createServiceAccountToken } from "../../auth/authn/token-request.ts";
import { servePodLog } from "../../node/pod-log.ts";

const core = { group: "", version: "v1" };
const statusVerbs = ["get", "patch", "update"];

const namespaces: ResourceType = {
  ...core,
  kind: "Namespace",
  listKind: "NamespaceList",
  resource: "namespaces",
  singular: "namespace",
  namespaced: false,
  shortNames: ["ns"],
  verbs: ["create", "delete", "get", "list", "patch", "update", "watch"],
  subresources: [
    { name: "finalize", kind: "Namespace", verbs: ["update"] },
    { name: "status", kind: "Namespace", verbs: statusVerbs },
  ],
  hasStatusSubresource: true,
  returnDeletedObject: true,
  selectableFields: (ns) => ({ "status.phase": ns.status?.phase ?? "" }),
  prepareForCreate: prepareForCreateNamespace,
  prepareForUpdate: prepareForUpdateNamespace,
  validateCreate: validateNamespace,
  validateUpdate: validateNamespace,
};

const pods: ResourceType = {
  ...core,
  kind: "Pod",
  listKind: "PodList",
  resource: "pods",
  singular: "pod",
  namespaced: true,
  shortNames: ["po"],
  categories: ["all"],
  subresources: [
    { name: "binding", kind: "Binding", verbs: ["create"] },
    { name: "log", kind: "Pod", verbs: ["get"], custom: servePodLog },
    { name: "status", kind: "Pod", verbs: statusVerbs },
  ],
  hasStatusSubresource: true,
  returnDeletedObject: true,
  selectableFields: podSelectableFields,
  defaults: defaultPod,
  prepareForCreate: prepareForCreatePod,
  validateCreate: (pod) => validatePodSpec(pod.spec, "spec"),
  validateUpdate: validatePodUpdate,
};

const services: ResourceType = {
  ...core,
  kind: "Service",
  listKind: "ServiceList",
  resource: "services",
  singular: "service",
  namespaced: true,
  shortNames: ["svc"],
  categories: ["all"],
  subresources: [{ name: "status", kind: "Service", verbs: statusVerbs }],
  hasStatusSubresource: true,
  returnDeletedObject: true,
  selectableFields: (svc) => ({ "spec.clusterIP": svc.spec?.clusterIP ?? "", "spec.type": svc.spec?.type ?? "" }),
  defaults: defaultService,
  prepareForCreate: prepareForCreateService,
  prepareForUpdate: prepareForUpdateService,
  validateCreate: validateService,
  validateUpdate: validateServiceUpdate,
};

const endpoints: ResourceType = {
  ...core,
  kind: "Endpoints",
  listKind: "EndpointsList",
  resource: "endpoints",
  singular: "endpoints",
  namespaced: true,
  shortNames: ["ep"],
  subresources: [],
  allowCreateOnUpdate: true,
};

const configmaps: ResourceType = {
  ...core,
  kind: "ConfigMap",
  listKind: "ConfigMapList",
  resource: "configmaps",
  singular: "configmap",
  namespaced: true,
  shortNames: ["cm"],
  subresources: [],
  validateCreate: validateConfigMap,
  validateUpdate: (cm, old) => [...validateConfigMap(cm), ...validateImmutableData(cm, old, ["data", "binaryData"])],
};

const secrets: ResourceType = {
  ...core,
  kind: "Secret",
  listKind: "SecretList",
  resource: "secrets",
  singular: "secret",
  namespaced: true,
  subresources: [],
  selectableFields: (s) => ({ type: s.type ?? "" }),
  defaults: normalizeSecret,
  validateCreate: validateSecret,
  validateUpdate: (s, old) => [...validateSecret(s), ...immutable("type", s.type, old.type), ...validateImmutableData(s, old, ["data"])],
};

const serviceaccounts: ResourceType = {
  ...core,
  kind: "ServiceAccount",
  listKind: "ServiceAccountList",
  resource: "serviceaccounts",
  singular: "serviceaccount",
  namespaced: true,
  shortNames: ["sa"],
  subresources: [{ name: "token", kind: "TokenRequest", group: "authentication.k8s.io", version: "v1", verbs: ["create"], custom: createServiceAccountToken }],
};

const events: ResourceType = {
  ...core,
  kind: "Event",
  listKind: "EventList",
  resource: "events",
  singular: "event",
  namespaced: true,
  shortNames: ["ev"],
  subresources: [],
  allowCreateOnUpdate: true,
  selectableFields: (e) => ({
    "involvedObject.kind": e.involvedObject?.kind ?? "",
    "involvedObject.namespace": e.involvedObject?.namespace ?? "",
    "involvedObject.name": e.involvedObject?.name ?? "",
    "involvedObject.uid": e.involvedObject?.uid ?? "",
    "involvedObject.apiVersion": e.involvedObject?.apiVersion ?? "",
    "involvedObject.resourceVersion": e.involvedObject?.resourceVersion ?? "",
    "involvedObject.fieldPath": e.involvedObject?.fieldPath ?? "",
    reason: e.reason ?? "",
    reportingComponent: e.reportingComponent ?? "",
    source: e.source?.component ?? "",
    type: e.type ?? "",
  }),
};

const nodes: ResourceType = {
  ...core,
  kind: "Node",
  listKind: "NodeList",
  resource: "nodes",
  singular: "node",
  namespaced: false,
  shortNames: ["no"],
  subresources: [{ name: "status", kind: "Node", verbs: statusVerbs }],
  hasStatusSubresource: true,
  selectableFields: (n) => ({ "spec.unschedulable": String(n.spec?.unschedulable === true) }),
};

/** Core group types in the order discovery lists them. */
export const coreTypes: ResourceType[] = [
  configmaps,
  endpoints,
  events,
  namespaces,
  nodes,
  pods,
  secrets,
  serviceaccounts,
  services,
];
