// Builders for column definitions, so each printer lists its columns in one short table.
import { docs } from "./docs.ts";
import type { TableColumnDefinition } from "./types.ts";

/** A column with upstream's defaults: no format, priority 0. */
export function column(
  name: string,
  type: string,
  description: string,
  extra: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: extra.format ?? "", description, priority: extra.priority ?? 0 };
}

/** A wide-only (priority 1) string column. */
export function wide(name: string, description: string, type = "string"): TableColumnDefinition {
  return column(name, type, description, { priority: 1 });
}

/** The `Name` column every printer starts with. */
export function nameColumn(): TableColumnDefinition {
  return column("Name", "string", docs["ObjectMeta.name"], { format: "name" });
}

/** The `Age` column. */
export function ageColumn(): TableColumnDefinition {
  return column("Age", "string", docs["ObjectMeta.creationTimestamp"]);
}

/** The wide Containers and Images columns of workload printers. */
export function containerColumns(): TableColumnDefinition[] {
  return [
    wide("Containers", "Names of each container in the template."),
    wide("Images", "Images referenced by each container in the template."),
  ];
}
