// The shape of one served resource: its names (for discovery and routing) and its strategy
// (defaulting, validation, field selectors, what create/update may change).
import type { FieldError } from "../../api/status.ts";
import type { Store } from "../../store/index.ts";
import type { UserInfo } from "../auth/user.ts";
import type { HandlerContext } from "../handlers/resource.ts";

/** A Kubernetes object as decoded JSON; strategies work on plain objects. */
export type KubeObject = Record<string, any> & {
  apiVersion?: string;
  kind?: string;
  metadata: Record<string, any>;
};

/** A subresource served under a resource (status, scale, binding, log, ...). */
export interface SubresourceType {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
  /** Serves the subresource in code (token, log, eviction, ...) instead of the built-in ones. */
  custom?: CustomHandler;
}

/** One request to a type or subresource served by code rather than by the generic store. */
export interface CustomCall {
  ctx: HandlerContext;
  t: ResourceType;
  namespace: string;
  /** The object name ("" for collection requests). */
  name: string;
  verb: string;
  request: Request;
  query: URLSearchParams;
  user: UserInfo;
}

/** Serves a CustomCall; throw a StatusError for failures. */
export type CustomHandler = (call: CustomCall) => Promise<Response>;

/** What a create/update strategy hook receives besides the object. */
export interface StrategyContext {
  namespace: string;
  /** Allocates cluster-wide values such as service IPs; set by the server. */
  allocate?: Allocator;
}

/** What an admission hook learns about a write made through the API. */
export interface AdmissionContext {
  /** The requesting user (the impersonated one under impersonation). */
  user: UserInfo;
  namespace: string;
  /** The name in the request URL ("" on create). */
  name: string;
  store: Store;
}

/** Allocates cluster IPs and node ports for services. */
export interface Allocator {
  clusterIP(): Promise<string>;
  nodePort(): Promise<number>;
}

/** One served resource type and its strategy. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources: SubresourceType[];
  /** Verbs the main resource serves; defaults to the full CRUD set. */
  verbs?: string[];
  /** Serves every verb in code (e.g. create-only review types); nothing is stored. */
  custom?: CustomHandler;
  /** Storage key segment when several API types share storage (core and events.k8s.io events). */
  storageResource?: string;
  /** Whether spec changes bump metadata.generation (types with a spec). */
  tracksGeneration?: boolean;
  /** Whether `status` is owned by the status subresource (main updates keep the old status). */
  hasStatusSubresource?: boolean;
  /** Whether DELETE returns the object instead of a Status (pods, namespaces, ...). */
  returnDeletedObject?: boolean;
  /** Whether PUT on a missing object creates it. */
  allowCreateOnUpdate?: boolean;
  /** Fields beyond metadata.name/namespace that field selectors may use, with their values. */
  selectableFields?: (obj: KubeObject) => Record<string, string>;
  /** Field defaults applied to every decoded body, on create and on update (SetDefaults_*). */
  defaults?: (obj: KubeObject) => void;
  /** Whether annotation changes bump metadata.generation too (Deployments). */
  generationIncludesAnnotations?: boolean;
  /** Admission and server-set fields on create (after metadata and defaults are filled in). */
  prepareForCreate?: (obj: KubeObject, ctx: StrategyContext) => void | Promise<void>;
  /** Carries over what an update of the main resource must not change. */
  prepareForUpdate?: (obj: KubeObject, old: KubeObject) => void;
  /**
   * Admission that needs the requesting user (RBAC escalation checks): runs on creates and
   * updates of the main resource made through the API, after defaults, before validation.
   * Throw a StatusError to refuse the write.
   */
  admit?: (obj: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext) => Promise<void>;
  /** Type-specific validation on create. */
  validateCreate?: (obj: KubeObject) => FieldError[];
  /** Type-specific validation on update (immutable fields and the like). */
  validateUpdate?: (obj: KubeObject, old: KubeObject) => FieldError[];
  /** Converts a stored object into this API's shape (for types that share storage). */
  fromStorage?: (obj: KubeObject) => KubeObject;
  /** Converts this API's shape into the stored shape. */
  toStorage?: (obj: KubeObject) => KubeObject;
}

/** "apps/v1" or "v1". */
export function apiVersionOf(t: { group: string; version: string }): string {
  return t.group ? `${t.group}/${t.version}` : t.version;
}

/** The verbs a resource type serves. */
export function verbsOf(t: ResourceType): string[] {
  if (t.verbs) return t.verbs;
  return ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
}
