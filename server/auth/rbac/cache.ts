// An in-memory copy of every Role, ClusterRole, RoleBinding and ClusterRoleBinding, fed by
// list-then-watch on the store so that authorization never reads SQLite. Bindings are
// indexed by the users and groups they name, so a decision looks at the few bindings that
// can apply to the caller instead of all of them.
import type { Store, Watcher } from "../../../store/index.ts";
import type { Catalog } from "../../registry/catalog.ts";
import { typePrefix } from "../../registry/object-store.ts";
import { decodeObject } from "../../registry/stored-form.ts";
import type { KubeObject, ResourceType } from "../../registry/resource-type.ts";
import type { UserInfo } from "../user.ts";
import { bindingOf, roleOf, serviceAccountUser, type Binding, type Role } from "./objects.ts";

const group = "rbac.authorization.k8s.io";
const relistDelayMs = 100;
const maxSyncWaitMs = 5_000;

/** One type's list-then-watch loop. */
interface Feed {
  watcher?: Watcher;
  listed: boolean;
}

/** The watch-fed RBAC cache of one server. */
export class RbacCache {
  private readonly clusterRoles = new Map<string, Role>();
  private readonly roles = new Map<string, Role>();
  private readonly clusterRoleBindings = new Map<string, Binding>();
  private readonly roleBindings = new Map<string, Binding>();
  private readonly clusterIndex = new SubjectIndex();
  private readonly namespaceIndex = new Map<string, SubjectIndex>();
  private readonly feeds: Feed[] = [];
  private stopped = false;
  /** Resolves once every type has been listed. */
  readonly synced: Promise<void>;

  constructor(private readonly store: Store, catalog: Catalog) {
    const lookup = (resource: string) => catalog.lookup(group, "v1", resource)!;
    this.synced = Promise.all([
      this.feed(lookup("clusterroles"), (obj, gone) => this.putRole(this.clusterRoles, obj, gone)),
      this.feed(lookup("roles"), (obj, gone) => this.putRole(this.roles, obj, gone)),
      this.feed(lookup("clusterrolebindings"), (obj, gone) => this.putBinding(obj, gone)),
      this.feed(lookup("rolebindings"), (obj, gone) => this.putBinding(obj, gone)),
    ]).then(() => {});
  }

  /** The ClusterRole named `name`, if cached. */
  clusterRole(name: string): Role | undefined {
    return this.clusterRoles.get(name);
  }

  /** The Role `namespace/name`, if cached. */
  role(namespace: string, name: string): Role | undefined {
    return this.roles.get(`${namespace}/${name}`);
  }

  /** ClusterRoleBindings that may name the user (by name or group), ordered by name. */
  clusterBindingsFor(user: UserInfo): Binding[] {
    return this.clusterIndex.candidates(user);
  }

  /** RoleBindings of `namespace` that may name the user, ordered by name. */
  namespaceBindingsFor(user: UserInfo, namespace: string): Binding[] {
    return this.namespaceIndex.get(namespace)?.candidates(user) ?? [];
  }

  /**
   * Waits until every write committed so far has reached the cache (bounded), so that a
   * decision taken right after a role or binding changed sees the change.
   */
  async catchUp(): Promise<void> {
    await this.synced;
    const target = await this.store.currentRevision();
    const deadline = Date.now() + maxSyncWaitMs;
    while (!this.stopped && Date.now() < deadline) {
      if (this.feeds.every((f) => f.listed && f.watcher && f.watcher.progressRevision() >= target)) break;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    // Events handed to a feed are applied in the microtasks that follow; let them run.
    await new Promise((resolve) => setImmediate(resolve));
  }

  /** Ends the watches. */
  stop(): void {
    this.stopped = true;
    for (const f of this.feeds) f.watcher?.close();
  }

  private feed(t: ResourceType, apply: (obj: KubeObject, gone: boolean) => void): Promise<void> {
    const feed: Feed = { listed: false };
    this.feeds.push(feed);
    const prefix = typePrefix(t);
    const seen = new Map<string, KubeObject>();
    let markListed = () => {};
    const listed = new Promise<void>((resolve) => (markListed = resolve));
    const loop = async () => {
      while (!this.stopped) {
        try {
          const page = await this.store.list(prefix);
          const current = new Map(page.items.map((kv) => [kv.key, decodeObject(t, kv)]));
          for (const [key, obj] of seen) if (!current.has(key)) apply(obj, true);
          seen.clear();
          for (const [key, obj] of current) {
            seen.set(key, obj);
            apply(obj, false);
          }
          feed.watcher = this.store.watch(prefix, { fromRevision: page.revision, bufferSize: 1_000_000 });
          feed.listed = true;
          markListed();
          if (this.stopped) feed.watcher.close();
          for await (const event of feed.watcher) {
            const obj = decodeObject(t, event.kv);
            if (event.type === "DELETED") seen.delete(event.kv.key);
            else seen.set(event.kv.key, obj);
            apply(obj, event.type === "DELETED");
          }
        } catch (err) {
          if (this.stopped || (err as Error).name === "StoreClosedError") break;
          console.error(`rbac cache ${t.resource}: watch ended, listing again:`, (err as Error).message);
        }
        feed.listed = false;
        if (!this.stopped) await new Promise((resolve) => setTimeout(resolve, relistDelayMs));
      }
      markListed();
    };
    void loop();
    return listed;
  }

  private putRole(map: Map<string, Role>, obj: KubeObject, gone: boolean): void {
    const role = roleOf(obj);
    const key = role.namespace ? `${role.namespace}/${role.name}` : role.name;
    if (gone) map.delete(key);
    else map.set(key, role);
  }

  private putBinding(obj: KubeObject, gone: boolean): void {
    const binding = bindingOf(obj);
    const map = binding.namespace ? this.roleBindings : this.clusterRoleBindings;
    const key = binding.namespace ? `${binding.namespace}/${binding.name}` : binding.name;
    let index = this.clusterIndex;
    if (binding.namespace) {
      index = this.namespaceIndex.get(binding.namespace) ?? new SubjectIndex();
      this.namespaceIndex.set(binding.namespace, index);
    }
    const old = map.get(key);
    if (old) index.remove(old);
    if (gone) {
      map.delete(key);
      if (binding.namespace && index.empty()) this.namespaceIndex.delete(binding.namespace);
      return;
    }
    map.set(key, binding);
    index.add(binding);
  }
}

/** Bindings by the user names and groups their subjects name, each list ordered by binding name. */
class SubjectIndex {
  private readonly byKey = new Map<string, Binding[]>();

  add(binding: Binding): void {
    for (const key of keysOf(binding)) {
      const list = this.byKey.get(key) ?? [];
      list.splice(insertionPoint(list, binding.name), 0, binding);
      this.byKey.set(key, list);
    }
  }

  remove(binding: Binding): void {
    for (const key of keysOf(binding)) {
      const list = this.byKey.get(key);
      const at = list?.indexOf(binding) ?? -1;
      if (at >= 0) list!.splice(at, 1);
      if (list && !list.length) this.byKey.delete(key);
    }
  }

  empty(): boolean {
    return this.byKey.size === 0;
  }

  candidates(user: UserInfo): Binding[] {
    const lists: Binding[][] = [];
    const byUser = this.byKey.get(`u:${user.name}`);
    if (byUser) lists.push(byUser);
    for (const g of user.groups) {
      const byGroup = this.byKey.get(`g:${g}`);
      if (byGroup) lists.push(byGroup);
    }
    if (lists.length === 0) return [];
    if (lists.length === 1) return lists[0];
    const merged = [...new Set(lists.flat())];
    return merged.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }
}

/** The index keys of a binding's subjects (service accounts are users). */
function keysOf(binding: Binding): Set<string> {
  const keys = new Set<string>();
  for (const s of binding.subjects) {
    if (s.kind === "User") keys.add(`u:${s.name}`);
    else if (s.kind === "Group") keys.add(`g:${s.name}`);
    else if (s.kind === "ServiceAccount" && (s.namespace || binding.namespace)) keys.add(`u:${serviceAccountUser(s.namespace || binding.namespace, s.name)}`);
  }
  return keys;
}

function insertionPoint(list: Binding[], name: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].name < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
