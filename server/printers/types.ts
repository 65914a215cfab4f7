/** One column of a meta.k8s.io/v1 Table, serialised with every field present as upstream does. */
export interface TableColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** A row condition; upstream only defines `Completed`, set on finished pods. */
export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/**
 * Columns and cell logic for one resource. Cells are always the wide set (kube-apiserver
 * prints with Wide=true and leaves hiding priority>0 columns to the client).
 */
export interface TablePrinter {
  columns: TableColumnDefinition[];
  /** Reads the time only through objectAge or now.getTime(), so that server/table-cells.ts can tell which rows it may keep. */
  cells(obj: any, now: Date): unknown[];
  /** Row conditions for `rows[].conditions`; absent or empty means the field is omitted. */
  conditions?(obj: any): TableRowCondition[] | undefined;
}
