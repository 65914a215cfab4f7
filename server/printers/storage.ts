// Printers for persistent volumes, persistent volume claims and storage classes.
import { ageColumn, column, nameColumn, wide } from "./columns.ts";
import { docs } from "./docs.ts";
import { objectAge, objectName } from "./format.ts";
import type { TablePrinter } from "./types.ts";

const betaStorageClassAnnotation = "volume.beta.kubernetes.io/storage-class";

/** Access modes as RWO, ROX, RWX, RWOP in that fixed order, without duplicates. */
export function accessModesString(modes: string[] | undefined): string {
  const set = new Set(modes ?? []);
  const out: string[] = [];
  if (set.has("ReadWriteOnce")) out.push("RWO");
  if (set.has("ReadOnlyMany")) out.push("ROX");
  if (set.has("ReadWriteMany")) out.push("RWX");
  if (set.has("ReadWriteOncePod")) out.push("RWOP");
  return out.join(",");
}

function storageClassOf(obj: any): string {
  const annotations = obj.metadata?.annotations ?? {};
  if (betaStorageClassAnnotation in annotations) return annotations[betaStorageClassAnnotation];
  return obj.spec?.storageClassName ?? "";
}

function persistentVolumeCells(pv: any, now: Date): unknown[] {
  const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ""}/${pv.spec.claimRef.name ?? ""}` : "";
  const phase = pv.metadata?.deletionTimestamp ? "Terminating" : (pv.status?.phase ?? "");
  return [
    objectName(pv),
    String(pv.spec?.capacity?.storage ?? "0"),
    accessModesString(pv.spec?.accessModes),
    pv.spec?.persistentVolumeReclaimPolicy ?? "",
    phase,
    claim,
    storageClassOf(pv),
    pv.spec?.volumeAttributesClassName ?? "<unset>",
    pv.status?.reason ?? "",
    objectAge(pv, now),
    pv.spec?.volumeMode ?? "<unset>",
  ];
}

function persistentVolumeClaimCells(pvc: any, now: Date): unknown[] {
  const phase = pvc.metadata?.deletionTimestamp ? "Terminating" : (pvc.status?.phase ?? "");
  const bound = Boolean(pvc.spec?.volumeName);
  return [
    objectName(pvc),
    phase,
    pvc.spec?.volumeName ?? "",
    bound ? String(pvc.status?.capacity?.storage ?? "0") : "",
    bound ? accessModesString(pvc.status?.accessModes) : "",
    storageClassOf(pvc),
    pvc.spec?.volumeAttributesClassName ?? "<unset>",
    objectAge(pvc, now),
    pvc.spec?.volumeMode ?? "<unset>",
  ];
}

function isDefaultClass(sc: any): boolean {
  const annotations = sc.metadata?.annotations ?? {};
  return (
    annotations["storageclass.kubernetes.io/is-default-class"] === "true" ||
    annotations["storageclass.beta.kubernetes.io/is-default-class"] === "true"
  );
}

function storageClassCells(sc: any, now: Date): unknown[] {
  return [
    objectName(sc) + (isDefaultClass(sc) ? " (default)" : ""),
    sc.provisioner ?? "",
    sc.reclaimPolicy ?? "Delete",
    sc.volumeBindingMode ?? "Immediate",
    sc.allowVolumeExpansion ?? false,
    objectAge(sc, now),
  ];
}

/** core/v1 persistentvolumes. */
export const persistentVolumePrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Capacity", "string", docs["PersistentVolumeSpec.capacity"]),
    column("Access Modes", "string", docs["PersistentVolumeSpec.accessModes"]),
    column("Reclaim Policy", "string", docs["PersistentVolumeSpec.persistentVolumeReclaimPolicy"]),
    column("Status", "string", docs["PersistentVolumeStatus.phase"]),
    column("Claim", "string", docs["PersistentVolumeSpec.claimRef"]),
    column("StorageClass", "string", "StorageClass of the pv"),
    column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
    column("Reason", "string", docs["PersistentVolumeStatus.reason"]),
    ageColumn(),
    wide("VolumeMode", docs["PersistentVolumeSpec.volumeMode"]),
  ],
  cells: persistentVolumeCells,
};

/** core/v1 persistentvolumeclaims. */
export const persistentVolumeClaimPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Status", "string", docs["PersistentVolumeClaimStatus.phase"]),
    column("Volume", "string", docs["PersistentVolumeClaimSpec.volumeName"]),
    column("Capacity", "string", docs["PersistentVolumeClaimStatus.capacity"]),
    column("Access Modes", "string", docs["PersistentVolumeClaimStatus.accessModes"]),
    column("StorageClass", "string", "StorageClass of the pvc"),
    column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
    ageColumn(),
    wide("VolumeMode", docs["PersistentVolumeClaimSpec.volumeMode"]),
  ],
  cells: persistentVolumeClaimCells,
};

/** storage.k8s.io/v1 storageclasses. */
export const storageClassPrinter: TablePrinter = {
  columns: [
    nameColumn(),
    column("Provisioner", "string", docs["StorageClass.provisioner"]),
    column("ReclaimPolicy", "string", docs["StorageClass.reclaimPolicy"]),
    column("VolumeBindingMode", "string", docs["StorageClass.volumeBindingMode"]),
    column("AllowVolumeExpansion", "string", docs["StorageClass.allowVolumeExpansion"]),
    ageColumn(),
  ],
  cells: storageClassCells,
};
