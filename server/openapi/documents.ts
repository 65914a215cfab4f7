// The OpenAPI documents: v3 per group-version with a root index, and one v2 document for
// everything. Built once per catalog and kept with their hashes (the catalog is fixed at start).
import { createHash } from "node:crypto";
import { schemaType } from "../../api/schema/index.ts";
import { GIT_VERSION } from "../../api/build-info.ts";
import type { Catalog } from "../registry/catalog.ts";
import { groupVersionPaths, groupVersionRoots } from "./paths.ts";
import { schemaClosure, typeSchema, type Flavour } from "./schemas.ts";

/** A serialised document and its content hash (also its ETag). */
export interface Document {
  body: string;
  hash: string;
}

/** The documents of one catalog. */
export interface OpenAPIDocuments {
  /** v3 documents keyed by "api/v1" or "apis/<group>/<version>". */
  v3: Map<string, Document>;
  v3Root: Document;
  v2: Document;
  /** The v2 document in gnostic protobuf form, built on first use. */
  v2Protobuf?: { body: Uint8Array; hash: string };
}

const cache = new WeakMap<Catalog, OpenAPIDocuments>();
const patchName = "io.k8s.apimachinery.pkg.apis.meta.v1.Patch";

/** The documents for a catalog, built on first use. */
export function openAPIDocuments(catalog: Catalog): OpenAPIDocuments {
  let docs = cache.get(catalog);
  if (!docs) {
    docs = build(catalog);
    cache.set(catalog, docs);
  }
  return docs;
}

function build(catalog: Catalog): OpenAPIDocuments {
  const v3 = new Map<string, Document>();
  const allRoots: string[] = [];
  const v2Paths: Record<string, unknown> = {};
  for (const { group, versions } of catalog.groupVersions()) {
    for (const version of versions) {
      const key = group ? `apis/${group}/${version}` : `api/${version}`;
      const roots = groupVersionRoots(catalog, group, version);
      allRoots.push(...roots);
      v3.set(key, serialise({
        openapi: "3.0.0",
        info: { title: "Kubernetes", version: GIT_VERSION },
        paths: groupVersionPaths(catalog, group, version, "v3"),
        components: { schemas: definitions(roots, "v3") },
      }));
      Object.assign(v2Paths, groupVersionPaths(catalog, group, version, "v2"));
    }
  }
  const paths = Object.fromEntries([...v3].map(([key, doc]) => [key, { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` }]));
  const v3Root = serialise({ paths });
  const v2 = serialise({ swagger: "2.0", info: { title: "Kubernetes", version: GIT_VERSION }, paths: v2Paths, definitions: definitions(allRoots, "v2") });
  return { v3, v3Root, v2 };
}

function definitions(roots: string[], flavour: Flavour): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of schemaClosure(roots)) out[name] = typeSchema(schemaType(name)!, flavour);
  out[patchName] = { description: "A patch document; its format is given by the request's Content-Type.", type: "object" };
  return Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
}

function serialise(doc: unknown): Document {
  const body = JSON.stringify(doc);
  return { body, hash: contentHash(body) };
}

/** An upper-case hex SHA-512 of the content, the form kube-apiserver uses in ?hash=. */
export function contentHash(content: string | Uint8Array): string {
  return createHash("sha512").update(content).digest("hex").toUpperCase();
}
