// RBAC for one server: the watch-fed policy cache and the decisions taken over it. Resource
// types and custom handlers are shared module-level definitions, so they find the server's
// RBAC through its store.
import type { Store } from "../../../store/index.ts";
import type { Catalog } from "../../registry/catalog.ts";
import type { ObjectWriter } from "../../registry/object-writer.ts";
import type { UserInfo } from "../user.ts";
import { RbacCache } from "./cache.ts";
import { authorizeWithPolicy, rulesFor, type Decision, type NotFoundStyle } from "./authorizer.ts";
import { reconcileBootstrapPolicy } from "./reconcile.ts";
import type { Attributes, PolicyRule } from "./rules.ts";

export type { Attributes, Decision, PolicyRule };

/** The RBAC services of one server. */
export class Rbac {
  readonly cache: RbacCache;

  constructor(store: Store, catalog: Catalog) {
    this.cache = new RbacCache(store, catalog);
  }

  /**
   * Decides a request. Allowed decisions come straight from the cache; before saying no, the
   * cache catches up with writes already committed (a binding created a moment ago counts).
   */
  async authorize(attrs: Attributes): Promise<Decision> {
    const decision = authorizeWithPolicy(this.cache, attrs);
    if (decision.allowed) return decision;
    await this.cache.catchUp();
    return authorizeWithPolicy(this.cache, attrs);
  }

  /** The rules granted to the user in the namespace (cluster-wide ones included), after catching up. */
  async rulesFor(user: UserInfo, namespace: string, style: NotFoundStyle = "lister"): Promise<{ rules: PolicyRule[]; errors: string[] }> {
    await this.cache.catchUp();
    return rulesFor(this.cache, user, namespace, style);
  }

  /** Stops the cache's watches. */
  stop(): void {
    this.cache.stop();
  }
}

const byStore = new WeakMap<Store, Rbac>();

/**
 * Reconciles the bootstrap policy into the store, then starts the policy cache and resolves
 * once it holds every RBAC object.
 */
export async function startRbac(store: Store, catalog: Catalog, writer: ObjectWriter): Promise<Rbac> {
  await reconcileBootstrapPolicy(catalog, writer);
  const rbac = new Rbac(store, catalog);
  byStore.set(store, rbac);
  await rbac.cache.synced;
  return rbac;
}

/** The RBAC services of the server that owns `store`. */
export function rbacOf(store: Store): Rbac {
  const found = byStore.get(store);
  if (!found) throw new Error("RBAC is not set up for this server");
  return found;
}
