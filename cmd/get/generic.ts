// get with -o json|yaml|name|jsonpath|custom-columns: plain JSON from the server, every
// object collected into one `List` (or shown alone when exactly one object was named).

import { typeMetaOf, type ResourceInfo } from "../../client/builder.ts";
import { createObjectPrinter } from "../../client/printers/object-printer.ts";
import { relaxedJsonPath, sortByField } from "../../client/printers/sort.ts";
import { getObject, listPages } from "../../client/resource-requests.ts";
import { writeStdout } from "../../client/stdio.ts";
import { isNotFound, type GetOptions } from "./run.ts";

type Obj = Record<string, unknown>;

/** Fetches and prints every info; returns the errors to report. */
export async function printGeneric(o: GetOptions): Promise<Error[]> {
  const f = o.ctx.flags;
  const { objects, errors } = await fetchObjects(o);
  // kubectl builds the printer after fetching: a bad -o only matters once there is something to print.
  if (objects.length === 0 && (o.ignoreNotFound || errors.length > 0)) return errors;
  const printer = createObjectPrinter(o.format, o.formatArg, {
    noHeaders: f.bool("no-headers"),
    allowMissingKeys: f.bool("allow-missing-template-keys"),
    showManagedFields: f.bool("show-managed-fields"),
  });
  let shown: Obj;
  if (o.build.singleItemImplied && objects.length === 1) {
    shown = objects[0]!;
  } else {
    if (o.sortBy) sortByField(objects, relaxedJsonPath(o.sortBy), (x) => x);
    shown = { apiVersion: "v1", items: objects, kind: "List", metadata: { resourceVersion: "" } };
  }
  try {
    writeStdout(printer.print(shown));
  } catch (err) {
    errors.push(err as Error);
  }
  return errors;
}

/** Every object the infos name, list items flattened, with apiVersion and kind filled in. */
export async function fetchObjects(o: GetOptions, accept = "application/json"): Promise<{ objects: Obj[]; errors: Error[] }> {
  const rest = await o.ctx.restClient();
  const objects: Obj[] = [];
  const errors: Error[] = [];
  for (const info of o.build.infos) {
    try {
      if (info.name !== undefined) objects.push(withTypeMeta(await getObject(rest, info, { accept, subresource: o.subresource }), info));
      else for await (const page of listPages(rest, info, { accept, chunkSize: o.chunkSize })) for (const item of (page.items as Obj[]) ?? []) objects.push(withTypeMeta(item, info));
    } catch (err) {
      if (o.ignoreNotFound && isNotFound(err)) continue;
      errors.push(err as Error);
    }
  }
  return { objects, errors };
}

function withTypeMeta(obj: Obj, info: ResourceInfo): Obj {
  if (obj.apiVersion && obj.kind) return obj;
  const { apiVersion, kind } = typeMetaOf(info.mapping);
  return { apiVersion, kind, ...obj };
}
