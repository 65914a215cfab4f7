// Every resource type kapi serves, assembled from the per-group definitions.
import type { ResourceType } from "./resource-type.ts";
import { coreTypes } from "./types/core.ts";
import { appsTypes } from "./types/apps.ts";
import { rbacTypes } from "./types/rbac.ts";
import { miscTypes } from "./types/misc.ts";
import { authenticationTypes } from "./types/authentication.ts";
import { authorizationTypes } from "./types/authorization.ts";
import { batchTypes } from "./types/batch.ts";

/** Looks up served types by group/version/resource and by kind. */
export class Catalog {
  readonly types: ResourceType[];
  private readonly byGvr = new Map<string, ResourceType>();

  constructor(types: ResourceType[]) {
    this.types = types;
    for (const t of types) this.byGvr.set(`${t.group}/${t.version}/${t.resource}`, t);
  }

  /** The type served at /api(s)/{group}/{version}/{resource}, if any. */
  lookup(group: string, version: string, resource: string): ResourceType | undefined {
    return this.byGvr.get(`${group}/${version}/${resource}`);
  }

  /** The served group-versions, core first, then groups in the order they were defined. */
  groupVersions(): { group: string; versions: string[] }[] {
    const groups = new Map<string, string[]>();
    for (const t of this.types) {
      const versions = groups.get(t.group) ?? [];
      if (!versions.includes(t.version)) versions.push(t.version);
      groups.set(t.group, versions);
    }
    return [...groups].map(([group, versions]) => ({ group, versions }));
  }

  /** Types of one group-version, in definition order. */
  typesOf(group: string, version: string): ResourceType[] {
    return this.types.filter((t) => t.group === group && t.version === version);
  }

  /** The first type with this group and kind (any version). */
  byKind(group: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.kind === kind);
  }
}

/** The catalog of every type this server serves. */
export function defaultCatalog(): Catalog {
  return new Catalog([...coreTypes, ...appsTypes, ...batchTypes, ...rbacTypes, ...miscTypes, ...authenticationTypes, ...authorizationTypes]);
}
