// The generic registry's default table convertor (k8s.io/apiserver rest.defaultTableConvertor),
// used for kinds without a printer: Roles, ClusterRoles, LimitRanges, CRDs and the like.
import { column, nameColumn } from "./columns.ts";
import { docs } from "./docs.ts";
import { formatRFC3339 } from "./duration.ts";
import { objectName } from "./format.ts";
import type { TablePrinter } from "./types.ts";

function defaultCells(obj: any): unknown[] {
  return [objectName(obj), formatRFC3339(obj?.metadata?.creationTimestamp)];
}

/** NAME and CREATED AT (type "date": an RFC 3339 UTC timestamp, which kubectl prints as it is). */
export const defaultPrinter: TablePrinter = {
  columns: [nameColumn(), column("Created At", "date", docs["ObjectMeta.creationTimestamp"])],
  cells: defaultCells,
};
