/** Loads the R reference values (tests/reference/stats/reference.json, made by make-reference.R) and their data. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../../shared/project/csv-parse';

export const root = fileURLToPath(new URL('../../../', import.meta.url));

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const reference: Json = JSON.parse(readFileSync(join(root, 'tests/reference/stats/reference.json'), 'utf8'));

export interface Dataset {
  name: string;
  ref: Json;
  /** Groups in order of first appearance, as R's levels. */
  groups: { name: string; values: number[] }[];
  rows: Record<string, string>[];
}

export function loadDataset(name: string): Dataset {
  const ref = reference.datasets[name];
  const [header, ...body] = parseCsv(readFileSync(join(root, 'tests/fixtures/stats', ref.file), 'utf8'));
  const rows = body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
  const groups = (ref.levels as string[]).map((level) => ({
    name: level,
    values: rows.filter((r) => r[ref.group] === level).map((r) => Number(r[ref.value])),
  }));
  return { name, ref, groups, rows };
}

export const datasetNames: string[] = Object.keys(reference.datasets);

/** |actual − expected| ≤ rel·|expected| (or ≤ abs when expected is tiny). */
export function close(actual: number, expected: number, rel: number, abs = 0): boolean {
  return Math.abs(actual - expected) <= Math.max(rel * Math.abs(expected), abs);
}
