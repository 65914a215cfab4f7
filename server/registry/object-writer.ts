// Create, update and delete with kube-apiserver semantics: metadata rules, strategies,
// optimistic concurrency, dry run, finalizers and graceful deletion.
import type { KeyValue, Store } from "../../store/index.ts";
import { AlreadyExistsError, ConflictError, NotFoundError } from "../../store/index.ts";
import { alreadyExists, badRequest, conflict, invalid, notFound, type FieldError } from "../../api/status.ts";
import { objectKey, ObjectReader, parseResourceVersion } from "./object-store.ts";
import { decodeObject, encodeForStorage } from "./stored-form.ts";
import { nowTimestamp, prepareMetaForCreate, prepareMetaForUpdate, reconcileNamespace, validateMeta, validateMetaUpdate } from "./object-meta.ts";
import { apiVersionOf, type Allocator, type KubeObject, type ResourceType } from "./resource-type.ts";
import { clone } from "./strategies/common.ts";
import type { UserInfo } from "../auth/user.ts";
import { trackCreatedManagedFields, trackManagedFields } from "./managed-fields.ts";
import { withSchemaErrors } from "../validation/schema-checks.ts";

/** Options shared by writes. */
export interface WriteOptions {
  dryRun?: boolean;
  /** The manager of this write; when set, metadata.managedFields records it (an Update). */
  fieldManager?: string;
  /** The requesting user of a write made through the API; runs the type's `admit` hook. */
  user?: UserInfo;
  /** The caller gives `input` away (a freshly decoded body): a create fills it in instead of copying it first. */
  handOver?: boolean;
}

/** DeleteOptions as the API defines them. */
export interface DeleteParams extends WriteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Options of an update: a subresource, and the entry the caller read (see {@link ObjectWriter.updateStored}). */
export type UpdateOptions = WriteOptions & { subresource?: string; current?: { kv: KeyValue; object: KubeObject } };

/** The outcome of a delete: the object and whether it is gone from storage. */
export interface DeleteOutcome {
  object: KubeObject;
  deleted: boolean;
}

const maxRetries = 16;

/** What a write produced: the stored entry, or the object itself when nothing new was stored (dry run, finalizers done). */
export type Written = { kv: KeyValue; object?: undefined } | { object: KubeObject; kv?: undefined };

/** The API object of a write. */
export function writtenObject(t: ResourceType, written: Written): KubeObject {
  return written.kv ? decodeObject(t, written.kv) : written.object!;
}

/** Typed writes over a Store. */
export class ObjectWriter {
  readonly reader: ObjectReader;

  constructor(
    readonly store: Store,
    readonly allocator?: Allocator,
    readonly namespaceGuard?: (namespace: string, t: ResourceType, name: string) => Promise<void>,
  ) {
    this.reader = new ObjectReader(store);
  }

  /** POST: validates and stores a new object; returns it as stored. */
  async create(t: ResourceType, namespace: string, input: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    return writtenObject(t, await this.createStored(t, namespace, input, opts));
  }

  /** As {@link create}, returning the stored entry (a handler can answer with its text, unparsed). */
  async createStored(t: ResourceType, namespace: string, input: KubeObject, opts: WriteOptions = {}): Promise<Written> {
    const obj = opts.handOver ? input : clone(input);
    obj.metadata ??= {};
    reconcileNamespace(t, obj, namespace);
    prepareMetaForCreate(t, obj);
    if (t.namespaced && this.namespaceGuard) await this.namespaceGuard(namespace, t, obj.metadata.name ?? "");
    let managedFieldsJson: string | undefined;
    await asDecodeError(t, async () => {
      t.defaults?.(obj);
      // Upstream records managers after decoding and defaulting, before admission and the strategy.
      if (opts.fieldManager) managedFieldsJson = trackCreatedManagedFields(t, obj, opts.fieldManager);
      await t.prepareForCreate?.(obj, { namespace, allocate: this.allocator });
      if (opts.user && t.admit) await t.admit(obj, undefined, { user: opts.user, namespace, name: "", store: this.store });
      const errors = [...validateMeta(t, obj), ...(t.validateCreate?.(obj) ?? [])];
      // Writes made through the API also get the schema's required, enum and set-once checks.
      this.check(t, obj, opts.user ? withSchemaErrors(apiVersionOf(t), t.kind, obj, errors) : errors);
    });
    const stored = encodeForStorage(t, obj, managedFieldsJson);
    if (opts.dryRun) {
      const existing = await this.store.get(objectKey(t, namespace, obj.metadata.name));
      if (existing) throw alreadyExists({ group: t.group, resource: t.resource }, obj.metadata.name);
      const preview = decodeObject(t, { key: "", value: stored, createRevision: 0, modRevision: 0 }, 0);
      delete preview.metadata.resourceVersion;
      return { object: preview };
    }
    try {
      return { kv: await this.store.create(objectKey(t, namespace, obj.metadata.name), stored) };
    } catch (err) {
      if (err instanceof AlreadyExistsError) throw alreadyExists({ group: t.group, resource: t.resource }, obj.metadata.name);
      throw err;
    }
  }

  /**
   * PUT (main resource or a subresource such as status): optimistic concurrency on
   * metadata.resourceVersion when given; otherwise last write wins with internal retries.
   */
  async update(t: ResourceType, namespace: string, name: string, input: KubeObject, opts: WriteOptions & { subresource?: string } = {}): Promise<KubeObject> {
    return writtenObject(t, await this.updateStored(t, namespace, name, input, opts));
  }

  /**
   * As {@link update}, returning the stored entry when there is one. `current`, the entry the
   * caller read and the object decoded from it (not modified here), saves reading it again on
   * the first attempt.
   */
  async updateStored(t: ResourceType, namespace: string, name: string, input: KubeObject, opts: UpdateOptions = {}): Promise<Written> {
    const gr = { group: t.group, resource: t.resource };
    if (input.metadata?.name && input.metadata.name !== name) {
      throw badRequest(`the name of the object (${input.metadata.name}) does not match the name on the URL (${name})`);
    }
    const wanted = input.metadata?.resourceVersion;
    const wantedRevision = wanted ? parseResourceVersion(wanted) : undefined;
    for (let attempt = 0; attempt < maxRetries; attempt++) {
      const given = attempt === 0 ? opts.current : undefined;
      const kv = given ? given.kv : await this.store.get(objectKey(t, namespace, name));
      if (!kv) {
        if (t.allowCreateOnUpdate && !opts.subresource) return this.createStored(t, namespace, { ...input, metadata: { ...input.metadata, name } }, opts);
        throw notFound(gr, name);
      }
      if (wantedRevision !== undefined && wantedRevision !== kv.modRevision) throw conflict(gr, name);
      const old = given ? given.object : decodeObject(t, kv);
      const obj = await asDecodeError(t, async () => this.applyUpdateRules(t, namespace, name, input, old, opts));
      if (opts.fieldManager) trackManagedFields(t, old, obj, opts.fieldManager, opts.subresource);
      else if (!obj.metadata.managedFields && old.metadata.managedFields) obj.metadata.managedFields = old.metadata.managedFields;
      if (opts.dryRun) return { object: obj };
      if (finalizersDone(t, obj)) return { object: (await this.remove(t, namespace, name, kv.modRevision, obj)).object };
      try {
        return { kv: await this.store.update(kv.key, encodeForStorage(t, obj), kv.modRevision) };
      } catch (err) {
        if (err instanceof NotFoundError) throw notFound(gr, name);
        if (err instanceof ConflictError) {
          if (wantedRevision !== undefined) throw conflict(gr, name);
          continue;
        }
        throw err;
      }
    }
    throw conflict(gr, name);
  }

  /** pods/binding: stores spec.nodeName and the PodScheduled condition, compare-and-swap on the pod's revision. */
  async bindPod(t: ResourceType, namespace: string, name: string, pod: KubeObject, opts: WriteOptions = {}): Promise<KubeObject> {
    if (opts.dryRun) return pod;
    const revision = parseResourceVersion(pod.metadata.resourceVersion);
    try {
      return decodeObject(t, await this.store.update(objectKey(t, namespace, name), encodeForStorage(t, pod), revision));
    } catch (err) {
      if (err instanceof ConflictError) throw conflict({ group: t.group, resource: t.resource }, name);
      if (err instanceof NotFoundError) throw notFound({ group: t.group, resource: t.resource }, name);
      throw err;
    }
  }

  private async applyUpdateRules(t: ResourceType, namespace: string, name: string, input: KubeObject, old: KubeObject, opts: WriteOptions & { subresource?: string }): Promise<KubeObject> {
    const subresource = opts.subresource;
    let obj = clone(input);
    obj.metadata ??= {};
    if (obj.metadata.uid && obj.metadata.uid !== old.metadata.uid) {
      throw conflict({ group: t.group, resource: t.resource }, name, `Precondition failed: UID in precondition: ${obj.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
    }
    obj.metadata.name = name;
    reconcileNamespace(t, obj, namespace);
    if (subresource === "status") {
      obj = { ...clone(old), status: obj.status };
    } else if (subresource === "finalize") {
      obj = { ...clone(old), spec: { ...clone(old.spec ?? {}), finalizers: obj.spec?.finalizers ?? [] } };
    } else {
      if (t.hasStatusSubresource) obj.status = clone(old.status);
      t.defaults?.(obj);
      t.prepareForUpdate?.(obj, old);
    }
    prepareMetaForUpdate(t, obj, old);
    if (subresource === "status" || subresource === "finalize") obj.metadata = { ...clone(old.metadata) };
    if (opts.user && t.admit && !subresource) await t.admit(obj, old, { user: opts.user, namespace, name, store: this.store });
    const errors = [...validateMetaUpdate(t, obj, old)];
    if (subresource !== "status") errors.push(...(t.validateUpdate?.(obj, old) ?? []));
    this.check(t, obj, opts.user && !subresource ? withSchemaErrors(apiVersionOf(t), t.kind, obj, errors, old) : errors);
    obj.metadata.resourceVersion = old.metadata.resourceVersion;
    return obj;
  }

  /** DELETE of one object, honouring preconditions, finalizers and graceful deletion. */
  async delete(t: ResourceType, namespace: string, name: string, params: DeleteParams = {}): Promise<DeleteOutcome> {
    const gr = { group: t.group, resource: t.resource };
    validatePropagation(params.propagationPolicy);
    for (let attempt = 0; attempt < maxRetries; attempt++) {
      const kv = await this.store.get(objectKey(t, namespace, name));
      if (!kv) throw notFound(gr, name);
      const current = decodeObject(t, kv);
      checkPreconditions(t, name, current, params.preconditions);
      const obj = clone(current);
      const pending = markForDeletion(t, obj, params);
      if (!pending) {
        if (params.dryRun) return { object: current, deleted: true };
        try {
          return await this.remove(t, namespace, name, kv.modRevision, current);
        } catch (err) {
          if (err instanceof ConflictError) continue;
          throw err;
        }
      }
      if (params.dryRun || !pending.changed) return { object: params.dryRun ? obj : current, deleted: false };
      try {
        return { object: decodeObject(t, await this.store.update(kv.key, encodeForStorage(t, obj), kv.modRevision)), deleted: false };
      } catch (err) {
        if (err instanceof ConflictError) continue;
        throw err;
      }
    }
    throw conflict(gr, name);
  }

  private async remove(t: ResourceType, namespace: string, name: string, revision: number, last: KubeObject): Promise<DeleteOutcome> {
    try {
      const result = await this.store.delete(objectKey(t, namespace, name), { expectedRevision: revision });
      const object = decodeObject(t, result.prevKv, result.prevKv.modRevision);
      return { object: last.metadata.deletionTimestamp ? { ...object, metadata: { ...object.metadata } } : object, deleted: true };
    } catch (err) {
      if (err instanceof NotFoundError) throw notFound({ group: t.group, resource: t.resource }, name);
      throw err;
    }
  }

  private check(t: ResourceType, obj: KubeObject, errors: FieldError[]): void {
    if (errors.length) throw invalid(t.group, t.kind, obj.metadata?.name ?? "", errors);
  }
}

/**
 * Strategies read bodies that only the (partial) shape checks have typed; a value of the
 * wrong JSON type deep inside surfaces as a TypeError, which is the client's decode error.
 */
async function asDecodeError<T>(t: ResourceType, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TypeError || err instanceof RangeError) {
      throw badRequest(`${t.kind} in version "${t.version}" cannot be handled as a ${t.kind}: ${err.message}`);
    }
    throw err;
  }
}

function validatePropagation(policy: string | undefined): void {
  if (policy && !["Orphan", "Background", "Foreground"].includes(policy)) {
    throw invalid("meta.k8s.io", "DeleteOptions", "", [
      { type: "FieldValueNotSupported", field: "propagationPolicy", value: policy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' },
    ]);
  }
}

/** Upstream checks delete preconditions in BeforeDelete, naming the Kind. */
function checkPreconditions(t: ResourceType, name: string, obj: KubeObject, pre: DeleteParams["preconditions"]): void {
  const byKind = { group: t.group, resource: t.kind };
  if (pre?.uid && pre.uid !== obj.metadata.uid) {
    throw conflict(byKind, name, `the UID in the precondition (${pre.uid}) does not match the UID in record (${obj.metadata.uid}). The object might have been deleted and then recreated`);
  }
  if (pre?.resourceVersion && pre.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(byKind, name, `the ResourceVersion in the precondition (${pre.resourceVersion}) does not match the ResourceVersion in record (${obj.metadata.resourceVersion}). The object might have been modified`);
  }
}

/** True when an object marked for deletion has no finalizers left. */
function finalizersDone(t: ResourceType, obj: KubeObject): boolean {
  if (!obj.metadata.deletionTimestamp) return false;
  if ((obj.metadata.finalizers ?? []).length) return false;
  if (t.resource === "namespaces" && (obj.spec?.finalizers ?? []).length) return false;
  // A pod in graceful termination stays until its node confirms with a zero grace period.
  return !(obj.metadata.deletionGracePeriodSeconds > 0);
}

/**
 * Sets deletionTimestamp (and the cascading finalizers) when the object cannot go at once.
 * Returns null for an immediate delete.
 */
function markForDeletion(t: ResourceType, obj: KubeObject, params: DeleteParams): { changed: boolean } | null {
  const meta = obj.metadata;
  const finalizers: string[] = [...(meta.finalizers ?? [])];
  const before = JSON.stringify([finalizers, meta.deletionTimestamp, meta.deletionGracePeriodSeconds, obj.status?.phase]);
  const cascade = params.propagationPolicy === "Foreground" ? "foregroundDeletion" : params.propagationPolicy === "Orphan" ? "orphan" : undefined;
  if (cascade && !finalizers.includes(cascade) && !meta.deletionTimestamp) finalizers.push(cascade);
  const grace = graceSeconds(t, obj, params);
  const nsFinalizers = t.resource === "namespaces" ? (obj.spec?.finalizers ?? []) : [];
  if (!finalizers.length && !nsFinalizers.length && grace === 0) return null;
  if (finalizers.length) meta.finalizers = finalizers;
  if (!meta.deletionTimestamp) {
    meta.deletionTimestamp = nowTimestamp(new Date(Date.now() + grace * 1000));
    meta.deletionGracePeriodSeconds = grace;
    if (meta.generation > 0) meta.generation++;
  } else if (grace < (meta.deletionGracePeriodSeconds ?? 0)) {
    meta.deletionGracePeriodSeconds = grace;
  }
  if (t.resource === "namespaces") obj.status = { ...(obj.status ?? {}), phase: "Terminating" };
  const after = JSON.stringify([finalizers, meta.deletionTimestamp, meta.deletionGracePeriodSeconds, obj.status?.phase]);
  return { changed: before !== after };
}

/** Pods bound to a node that has not finished them terminate gracefully; all else at once. */
function graceSeconds(t: ResourceType, obj: KubeObject, params: DeleteParams): number {
  if (t.resource !== "pods" || t.group !== "") return 0;
  const phase = obj.status?.phase;
  if (!obj.spec?.nodeName || phase === "Succeeded" || phase === "Failed") return 0;
  const grace = params.gracePeriodSeconds ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, grace);
}

