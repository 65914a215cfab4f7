// Facts the generator cannot read from generated.proto: which kinds are served, Go pointer
// fields, inline embeddings, enum values and well-known types. All taken from upstream Go types.
import type { KindFacts, SpecialKind, TypeFacts } from "../api/schema/facts.ts";

/** Served (and soon served) kinds; the generator keeps every type reachable from these. */
export const kinds: KindFacts[] = [
  ...["Namespace", "Pod", "Service", "Endpoints", "ConfigMap", "Secret", "ServiceAccount", "Event", "Node"].flatMap(
    (k): KindFacts[] => [["", "v1", k, `core.${k}`], ["", "v1", `${k}List`, `core.${k}List`]],
  ),
  ["", "v1", "Binding", "core.Binding"],
  ["", "v1", "Status", "meta.Status"],
  ["", "v1", "DeleteOptions", "meta.DeleteOptions"],
  ...pairs("apps", "v1", "apps", ["Deployment", "ReplicaSet"]),
  ["autoscaling", "v1", "Scale", "autoscaling.Scale"],
  ...pairs("batch", "v1", "batch", ["Job", "CronJob"]),
  ...pairs("rbac.authorization.k8s.io", "v1", "rbac", ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]),
  ...pairs("coordination.k8s.io", "v1", "coordination", ["Lease"]),
  ...pairs("events.k8s.io", "v1", "events", ["Event"]),
  ...["TokenRequest", "TokenReview", "SelfSubjectReview"].map((k): KindFacts => ["authentication.k8s.io", "v1", k, `authentication.${k}`]),
  ["authentication.k8s.io", "v1beta1", "SelfSubjectReview", "authentication.SelfSubjectReview"],
  ["authentication.k8s.io", "v1alpha1", "SelfSubjectReview", "authentication.SelfSubjectReview"],
  ...["SubjectAccessReview", "SelfSubjectAccessReview", "LocalSubjectAccessReview", "SelfSubjectRulesReview"].map(
    (k): KindFacts => ["authorization.k8s.io", "v1", k, `authorization.${k}`],
  ),
  ["meta.k8s.io", "v1", "Table", "meta.Table"],
  ["meta.k8s.io", "v1", "PartialObjectMetadata", "meta.PartialObjectMetadata"],
  ["meta.k8s.io", "v1", "PartialObjectMetadataList", "meta.PartialObjectMetadataList"],
];

function pairs(group: string, version: string, alias: string, names: string[]): KindFacts[] {
  return names.flatMap((k): KindFacts[] => [[group, version, k, `${alias}.${k}`], [group, version, `${k}List`, `${alias}.${k}List`]]);
}

/** Well-known types whose JSON form is not an object of their proto fields. */
export const specialTypes: Record<string, SpecialKind> = {
  "meta.Time": "time",
  "meta.MicroTime": "microtime",
  "meta.Duration": "duration",
  "meta.FieldsV1": "fields",
  "resource.Quantity": "quantity",
  "intstr.IntOrString": "intorstring",
  "runtime.RawExtension": "raw",
  "authentication.ExtraValue": "stringlist",
  "authorization.ExtraValue": "stringlist",
};

/** Embedded Go structs serialised inline in JSON (`json:",inline"`), as Type.protoField. */
export const inlineFields = new Set([
  "core.Volume.volumeSource",
  "core.EphemeralContainer.ephemeralContainerCommon",
  "core.Probe.handler",
  ...["ConfigMapEnvSource", "SecretEnvSource", "ConfigMapKeySelector", "SecretKeySelector", "ConfigMapProjection", "SecretProjection", "ConfigMapVolumeSource"].map(
    (t) => `core.${t}.localObjectReference`,
  ),
]);

/** JSON names that differ from the protobuf field name, as Type.protoField → json. */
export const jsonNames: Record<string, string> = {
  "authentication.BoundObjectReference.uID": "uid",
};

const pointerList: Record<string, string> = {
  "core.PodSpec": "terminationGracePeriodSeconds activeDeadlineSeconds automountServiceAccountToken shareProcessNamespace priority enableServiceLinks preemptionPolicy setHostnameAsFQDN hostUsers runtimeClassName hostnameOverride",
  "core.Container": "restartPolicy",
  "core.EphemeralContainerCommon": "restartPolicy",
  "core.SecurityContext": "privileged runAsUser runAsGroup runAsNonRoot readOnlyRootFilesystem allowPrivilegeEscalation procMount",
  "core.PodSecurityContext": "runAsUser runAsGroup runAsNonRoot fsGroup fsGroupChangePolicy supplementalGroupsPolicy seLinuxChangePolicy",
  "core.SeccompProfile": "localhostProfile",
  "core.AppArmorProfile": "localhostProfile",
  "core.WindowsSecurityContextOptions": "gmsaCredentialSpecName gmsaCredentialSpec runAsUserName hostProcess",
  "core.Probe": "terminationGracePeriodSeconds",
  "core.GRPCAction": "service",
  "core.ConfigMap": "immutable",
  "core.Secret": "immutable",
  "core.ConfigMapVolumeSource": "defaultMode optional",
  "core.SecretVolumeSource": "defaultMode optional",
  "core.ConfigMapProjection": "optional",
  "core.SecretProjection": "optional",
  "core.KeyToPath": "mode",
  "core.DownwardAPIVolumeFile": "mode",
  "core.DownwardAPIVolumeSource": "defaultMode",
  "core.ProjectedVolumeSource": "defaultMode",
  "core.ConfigMapKeySelector": "optional",
  "core.SecretKeySelector": "optional",
  "core.ConfigMapEnvSource": "optional",
  "core.SecretEnvSource": "optional",
  "core.FileKeySelector": "optional",
  "core.ServiceAccountTokenProjection": "expirationSeconds",
  "core.CSIVolumeSource": "readOnly fsType",
  "core.HostPathVolumeSource": "type",
  "core.ISCSIVolumeSource": "initiatorName",
  "core.AzureDiskVolumeSource": "cachingMode fsType readOnly kind",
  "core.ClusterTrustBundleProjection": "name signerName optional",
  "core.PodCertificateProjection": "maxExpirationSeconds",
  "core.ServiceSpec": "ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass internalTrafficPolicy trafficDistribution",
  "core.ClientIPConfig": "timeoutSeconds",
  "core.ServicePort": "appProtocol",
  "core.EndpointPort": "appProtocol",
  "core.EndpointAddress": "nodeName",
  "core.LoadBalancerIngress": "ipMode",
  "core.PortStatus": "error",
  "core.TopologySpreadConstraint": "minDomains nodeAffinityPolicy nodeTaintsPolicy",
  "core.Toleration": "tolerationSeconds",
  "core.PersistentVolumeClaimSpec": "storageClassName volumeMode volumeAttributesClassName",
  "core.TypedLocalObjectReference": "apiGroup",
  "core.TypedObjectReference": "apiGroup namespace",
  "core.ContainerStatus": "started stopSignal",
  "core.NodeSwapStatus": "capacity",
  "core.NodeFeatures": "supplementalGroupsPolicy containerUlimits",
  "core.NodeRuntimeHandlerFeatures": "recursiveReadOnlyMounts userNamespaces",
  "core.VolumeMount": "recursiveReadOnly mountPropagation",
  "core.VolumeMountStatus": "recursiveReadOnly",
  "core.PodResourceClaim": "resourceClaimName resourceClaimTemplateName",
  "core.PodResourceClaimStatus": "resourceClaimName",
  "core.Lifecycle": "stopSignal",
  "core.ResourceHealth": "message",
  "apps.DeploymentSpec": "replicas revisionHistoryLimit progressDeadlineSeconds podReplacementPolicy",
  "apps.DeploymentStatus": "terminatingReplicas collisionCount",
  "apps.ReplicaSetSpec": "replicas",
  "apps.ReplicaSetStatus": "terminatingReplicas",
  "batch.JobSpec": "parallelism completions activeDeadlineSeconds backoffLimit backoffLimitPerIndex maxFailedIndexes manualSelector ttlSecondsAfterFinished completionMode suspend podReplacementPolicy managedBy",
  "batch.JobStatus": "terminating failedIndexes ready",
  "batch.CronJobSpec": "timeZone startingDeadlineSeconds suspend successfulJobsHistoryLimit failedJobsHistoryLimit",
  "batch.PodFailurePolicyOnExitCodesRequirement": "containerName",
  "batch.SuccessPolicyRule": "succeededIndexes succeededCount",
  "meta.DeleteOptions": "gracePeriodSeconds orphanDependents propagationPolicy ignoreStoreReadErrorWithClusterBreakingPotential",
  "meta.ObjectMeta": "deletionGracePeriodSeconds",
  "meta.ListMeta": "remainingItemCount",
  "meta.OwnerReference": "controller blockOwnerDeletion",
  "meta.Preconditions": "uid resourceVersion",
  "authentication.TokenRequestSpec": "expirationSeconds",
  "coordination.LeaseSpec": "holderIdentity leaseDurationSeconds leaseTransitions strategy preferredHolder",
};

/** Go pointer fields (zero values are kept), as Type.jsonField. */
export const pointerFields = new Set(Object.entries(pointerList).flatMap(([t, names]) => names.split(" ").map((n) => `${t}.${n}`)));

const protocols = ["SCTP", "TCP", "UDP"];
const pullPolicies = ["Always", "IfNotPresent", "Never"];
const taintEffects = ["NoExecute", "NoSchedule", "PreferNoSchedule"];
const profileTypes = ["Localhost", "RuntimeDefault", "Unconfined"];

/** Enum values of string fields (upstream `+enum` types), as Type.jsonField. */
export const enums: Record<string, string[]> = {
  "core.Container.imagePullPolicy": pullPolicies,
  "core.Container.terminationMessagePolicy": ["FallbackToLogsOnError", "File"],
  "core.EphemeralContainerCommon.imagePullPolicy": pullPolicies,
  "core.EphemeralContainerCommon.terminationMessagePolicy": ["FallbackToLogsOnError", "File"],
  "core.ImageVolumeSource.pullPolicy": pullPolicies,
  "core.ContainerPort.protocol": protocols,
  "core.ServicePort.protocol": protocols,
  "core.EndpointPort.protocol": protocols,
  "core.PortStatus.protocol": protocols,
  "core.PodSpec.restartPolicy": ["Always", "Never", "OnFailure"],
  "core.PodSpec.dnsPolicy": ["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"],
  "core.PodSpec.preemptionPolicy": ["Never", "PreemptLowerPriority"],
  "core.PodStatus.phase": ["Failed", "Pending", "Running", "Succeeded", "Unknown"],
  "core.PodStatus.qosClass": ["BestEffort", "Burstable", "Guaranteed"],
  "core.ServiceSpec.type": ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
  "core.ServiceSpec.sessionAffinity": ["ClientIP", "None"],
  "core.ServiceSpec.externalTrafficPolicy": ["Cluster", "Local"],
  "core.ServiceSpec.internalTrafficPolicy": ["Cluster", "Local"],
  "core.ServiceSpec.ipFamilyPolicy": ["PreferDualStack", "RequireDualStack", "SingleStack"],
  "core.NamespaceStatus.phase": ["Active", "Terminating"],
  "core.NodeStatus.phase": ["Pending", "Running", "Terminated"],
  "core.Taint.effect": taintEffects,
  "core.Toleration.effect": taintEffects,
  "core.Toleration.operator": ["Equal", "Exists"],
  "core.NodeSelectorRequirement.operator": ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"],
  "core.HTTPGetAction.scheme": ["HTTP", "HTTPS"],
  "core.SeccompProfile.type": profileTypes,
  "core.AppArmorProfile.type": profileTypes,
  "core.TopologySpreadConstraint.whenUnsatisfiable": ["DoNotSchedule", "ScheduleAnyway"],
  "core.TopologySpreadConstraint.nodeAffinityPolicy": ["Honor", "Ignore"],
  "core.TopologySpreadConstraint.nodeTaintsPolicy": ["Honor", "Ignore"],
  "core.VolumeMount.mountPropagation": ["Bidirectional", "HostToContainer", "None"],
  "apps.DeploymentStrategy.type": ["Recreate", "RollingUpdate"],
  "batch.CronJobSpec.concurrencyPolicy": ["Allow", "Forbid", "Replace"],
  "batch.JobSpec.completionMode": ["Indexed", "NonIndexed"],
};

/** Fields whose requiredness upstream differs from what the proto markers suggest. */
export const notRequired = new Set([
  "authentication.SelfSubjectReview.status",
  "core.EphemeralContainerCommon.image",
  "core.VolumeSource.photonPersistentDisk",
  "core.VolumeSource.projected",
  "core.ResourceStatus.resources",
  "core.ResourceHealth.health",
  "core.PodCertificateProjection.userAnnotations",
]);

/** meta.k8s.io types with no protobuf form (Table is JSON only upstream too). */
export const jsonOnlyTypes: Record<string, TypeFacts> = {
  "meta.Table": {
    np: 1,
    f: [
      ["metadata", 0, "ListMeta"],
      ["columnDefinitions", 0, "[]TableColumnDefinition", { r: 1, lt: "atomic" }],
      ["rows", 0, "[]TableRow", { r: 1, lt: "atomic" }],
    ],
  },
  "meta.TableColumnDefinition": {
    np: 1,
    f: [
      ["name", 0, "string", { r: 1 }],
      ["type", 0, "string", { r: 1 }],
      ["format", 0, "string", { r: 1 }],
      ["description", 0, "string", { r: 1 }],
      ["priority", 0, "int32", { r: 1 }],
    ],
  },
  "meta.TableRow": {
    np: 1,
    f: [
      ["cells", 0, "[]any", { r: 1, lt: "atomic" }],
      ["conditions", 0, "[]TableRowCondition", { lt: "atomic" }],
      ["object", 0, "runtime.RawExtension"],
    ],
  },
  "meta.TableRowCondition": {
    np: 1,
    f: [
      ["type", 0, "string", { r: 1 }],
      ["status", 0, "string", { r: 1 }],
      ["reason", 0, "string"],
      ["message", 0, "string"],
    ],
  },
};
