// Column alignment as kubectl prints tables (Go's text/tabwriter, minimum width 6, padding 3,
// spaces): every cell but the last of a line is padded to its column's widest cell plus
// three, and to at least six; the last cell is written as is. Widths can be remembered across flushes so that a watch keeps
// its columns from shrinking.

const PADDING = 3;
const MIN_WIDTH = 6;

/** Collects rows of cells and renders them aligned. */
export class TabWriter {
  private rows: string[][] = [];
  private remembered: number[] = [];

  /** Adds one line of cells. */
  add(cells: string[]): void {
    this.rows.push(cells);
  }

  /** True when rows wait to be flushed. */
  get pending(): boolean {
    return this.rows.length > 0;
  }

  /** Renders and forgets the pending rows; widths are remembered for the next flush. */
  flush(): string {
    const widths = [...this.remembered];
    for (const row of this.rows) {
      for (let i = 0; i < row.length - 1; i++) widths[i] = Math.max(widths[i] ?? MIN_WIDTH, textWidth(row[i]!) + PADDING);
    }
    let out = "";
    for (const row of this.rows) {
      for (let i = 0; i < row.length - 1; i++) out += row[i]! + " ".repeat(widths[i]! - textWidth(row[i]!));
      out += `${row[row.length - 1] ?? ""}\n`;
    }
    this.rows = [];
    this.remembered = widths;
    return out;
  }

  /** Forgets remembered widths (a new table starts). */
  resetWidths(): void {
    this.remembered = [];
  }
}

// Go's tabwriter counts runes, not bytes or UTF-16 units.
function textWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
