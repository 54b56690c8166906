/** Turns a table (a CSV's header and rows) into the groups of one numeric measure, with errors a user can act on. */
import type { GroupData } from './analyze';

export class TableInputError extends Error {
  constructor(
    message: string,
    /** 'argument' when the named column does not exist, 'data' when the values cannot be used. */
    readonly kind: 'argument' | 'data',
  ) {
    super(message);
  }
}

export interface GroupedTable {
  groups: GroupData[];
  /** Optional cluster label (culture, well, …) per value, parallel to the groups' values. */
  clusters: string[][] | null;
  /** Rows skipped because the value cell was empty (e.g. a mean over no branches). */
  skippedEmpty: number;
}

const columnIndex = (header: string[], name: string): number => {
  const i = header.indexOf(name);
  if (i < 0) throw new TableInputError(`no column '${name}'; columns are: ${header.join(', ')}`, 'argument');
  return i;
};

/**
 * Groups `value` by `group` in order of first appearance. Empty value cells are skipped (counted); any other
 * non-numeric value is an error naming its row (1 = first data row) and column. Rows with an empty group are an error.
 */
export function groupTable(header: string[], rows: string[][], opts: { group: string; value: string; cluster?: string }): GroupedTable {
  const gi = columnIndex(header, opts.group);
  const vi = columnIndex(header, opts.value);
  const ci = opts.cluster !== undefined ? columnIndex(header, opts.cluster) : -1;
  const byName = new Map<string, { values: number[]; clusters: string[] }>();
  let skippedEmpty = 0;
  rows.forEach((row, r) => {
    const cell = (row[vi] ?? '').trim();
    if (cell === '') {
      skippedEmpty++;
      return;
    }
    const v = Number(cell);
    if (!Number.isFinite(v)) throw new TableInputError(`row ${r + 1}, column '${opts.value}': '${cell}' is not a number`, 'data');
    const g = (row[gi] ?? '').trim();
    if (g === '') throw new TableInputError(`row ${r + 1}, column '${opts.group}': empty group`, 'data');
    const c = ci >= 0 ? (row[ci] ?? '').trim() : '';
    if (ci >= 0 && c === '') throw new TableInputError(`row ${r + 1}, column '${opts.cluster}': empty cluster`, 'data');
    const entry = byName.get(g) ?? { values: [], clusters: [] };
    entry.values.push(v);
    entry.clusters.push(c);
    byName.set(g, entry);
  });
  const entries = [...byName.entries()];
  return {
    groups: entries.map(([name, e]) => ({ name, values: e.values })),
    clusters: ci >= 0 ? entries.map(([, e]) => e.clusters) : null,
    skippedEmpty,
  };
}
