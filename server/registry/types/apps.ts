// apps/v1 Deployments and ReplicaSets.
import type { ResourceType } from "../resource-type.ts";
import { clearStatus, defaultDeployment, defaultWorkload, validateWorkload, validateWorkloadUpdate } from "../strategies/workload.ts";

const statusVerbs = ["get", "patch", "update"];
const scale = { name: "scale", kind: "Scale", group: "autoscaling", version: "v1", verbs: statusVerbs };

const deployments: ResourceType = {
  group: "apps",
  version: "v1",
  kind: "Deployment",
  listKind: "DeploymentList",
  resource: "deployments",
  singular: "deployment",
  namespaced: true,
  shortNames: ["deploy"],
  categories: ["all"],
  subresources: [scale, { name: "status", kind: "Deployment", verbs: statusVerbs }],
  tracksGeneration: true,
  generationIncludesAnnotations: true,
  hasStatusSubresource: true,
  defaults: defaultDeployment,
  prepareForCreate: clearStatus,
  validateCreate: validateWorkload,
  validateUpdate: validateWorkloadUpdate,
};

const replicasets: ResourceType = {
  group: "apps",
  version: "v1",
  kind: "ReplicaSet",
  listKind: "ReplicaSetList",
  resource: "replicasets",
  singular: "replicaset",
  namespaced: true,
  shortNames: ["rs"],
  categories: ["all"],
  subresources: [scale, { name: "status", kind: "ReplicaSet", verbs: statusVerbs }],
  tracksGeneration: true,
  hasStatusSubresource: true,
  selectableFields: (rs) => ({ "status.replicas": String(rs.status?.replicas ?? 0) }),
  defaults: defaultWorkload,
  prepareForCreate: clearStatus,
  validateCreate: validateWorkload,
  validateUpdate: validateWorkloadUpdate,
};

/** The apps group types. */
export const appsTypes: ResourceType[] = [deployments, replicasets];
