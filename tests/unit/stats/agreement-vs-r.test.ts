/**
 * ICC(2,1) and Bland–Altman limits against R (tests/reference/agreement/make-reference.R: irr::icc's formulas, checked
 * there against psych::ICC), on Shrout & Fleiss's (1979) 6 × 4 example and two-tracer sets.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../../shared/project/csv-parse';
import { blandAltman, icc21, qfUpper } from '../../../shared/stats/agreement';
import { close, root, type Json } from './r-reference';

const reference: Json = JSON.parse(readFileSync(join(root, 'tests/reference/agreement/reference.json'), 'utf8'));
const names = Object.keys(reference).filter((k) => typeof reference[k] === 'object');

function ratings(file: string): number[][] {
  const [, ...rows] = parseCsv(readFileSync(join(root, 'tests/fixtures/agreement', file), 'utf8'));
  return rows.filter((r) => r.length > 1).map((r) => r.slice(1).map(Number));
}

function expectClose(actual: number | null, expected: number, rel: number, what: string) {
  if (actual === null || !close(actual, expected, rel, 1e-14)) throw new Error(`${what}: Ramify ${actual} vs R ${expected}`);
}

describe.each(names)('%s equals R', (name) => {
  const ref = reference[name];
  const rows = ratings(ref.file);

  it('ICC(2,1), its 95 % CI, F test and mean squares', () => {
    const r = icc21(rows)!;
    expect([r.n, r.k, r.df1, r.df2]).toEqual([ref.icc21.n, ref.icc21.k, ref.icc21.df1, ref.icc21.df2]);
    for (const key of ['icc', 'f', 'msr', 'msc', 'mse'] as const) expectClose(r[key], ref.icc21[key], 1e-12, key);
    expectClose(r.ciLow, ref.icc21.ci_low, 1e-9, 'CI low');
    expectClose(r.ciHigh, ref.icc21.ci_high, 1e-9, 'CI high');
    expectClose(r.p, ref.icc21.p, 1e-9, 'p');
  });

});

describe.each(names.filter((n) => reference[n].bland_altman))('%s: Bland–Altman equals R', (name) => {
  const ref = reference[name];
  const rows = ratings(ref.file);

  it('bias, SD of the differences and limits of agreement', () => {
    const ba = blandAltman(rows.map((r) => r[0]), rows.map((r) => r[1]));
    expect(ba.n).toBe(ref.bland_altman.n);
    for (const key of ['bias', 'sd', 'lower', 'upper'] as const) expectClose(ba[key], ref.bland_altman[key], 1e-12, key);
  });
});

describe('agreement statistics: edge cases and published values', () => {
  it('Shrout & Fleiss (1979, Table 4) publish ICC(2,1) = 0.29 for their example', () => {
    expect(icc21(ratings('shrout-fleiss-1979.csv'))!.icc.toFixed(2)).toBe('0.29');
  });

  it('identical ratings agree perfectly: ICC 1, Bland–Altman all zero', () => {
    const r = icc21([[1, 1], [4, 4], [9, 9]])!;
    expect(r.icc).toBe(1);
    expect([r.ciLow, r.ciHigh]).toEqual([1, 1]);
    expect(blandAltman([1, 4, 9], [1, 4, 9])).toMatchObject({ bias: 0, sd: 0, lower: 0, upper: 0 });
  });

  it('too few subjects, or no variation at all: no ICC', () => {
    expect(icc21([[1, 2]])).toBeNull();
    expect(icc21([[3, 3], [3, 3]])).toBeNull();
    // Rows with a missing value are dropped, as irr::icc does.
    expect(icc21([[1, 2], [NaN, 3], [4, 4]])!.n).toBe(2);
  });

  it('qfUpper inverts the F distribution at fractional df, as the ICC interval needs (R: qf(0.975, 5, 7.5))', () => {
    // print(qf(0.975, 5, 7.5), digits = 10) in R 4.2.2 → 5.029803979.
    expect(qfUpper(0.025, 5, 7.5)).toBeCloseTo(5.029803979, 8);
  });
});
