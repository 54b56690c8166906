/** Group codes that hide condition names while a project is blinded (Results view, report written while blinded). */
import { seededRandom, shuffled } from '../project/blinding';
import type { Table } from './results-model';

/** Condition → 'Group A', 'Group B', … in an order shuffled by the project's blinding seed (not the project order). */
export function conditionCodes(conditions: readonly string[], seed: number): Record<string, string> {
  const order = shuffled([...conditions].sort(), seededRandom(seed ^ 0x5bd1e995));
  return Object.fromEntries(order.map((c, i) => [c, `Group ${String.fromCharCode(65 + (i % 26))}${i >= 26 ? Math.floor(i / 26) : ''}`]));
}

/** The table with its condition column replaced by codes. */
export function codeConditions(t: Table, codes: Record<string, string>): Table {
  const ci = t.header.indexOf('condition');
  if (ci < 0) return t;
  return { header: t.header, rows: t.rows.map((r) => r.map((v, i) => (i === ci && v !== '' ? (codes[v] ?? v) : v))) };
}
