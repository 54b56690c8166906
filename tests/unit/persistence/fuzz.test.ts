/**
 * Hostile-input fuzzing of every reader of user files: seeded mutations of TIFF, SWC and annotation fixtures. Each
 * case must end in a value or a RamifyError, within 1 s. Any other exception (TypeError, RangeError escaping…) is
 * a reader bug; the failure message lists `kind fixture seed` so a case replays with mutateX(fixture, seed).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAnnotation } from '../../../shared/formats/annotation-file';
import { parseSwc } from '../../../shared/formats/swc';
import { decodeImage } from '../../../shared/image/decode';
import { RamifyError } from '../../../shared/result';
import { mutateAnnotation, mutateSwc, mutateTiff, nestedSwc, type Mutation } from './helpers/mutate';

const fixtures = new URL('../../fixtures/', import.meta.url);
const bytesOf = (p: string) => new Uint8Array(readFileSync(new URL(p, fixtures)));
const textOf = (p: string) => readFileSync(new URL(p, fixtures), 'utf8');

interface Outcome {
  cases: number;
  values: number;
  ramifyErrors: number;
  maxMs: number;
  slowest: string;
  offenders: string[];
}

function fuzz<T>(kind: string, fixture: string, seeds: number, mutate: (seed: number) => Mutation<T>, read: (input: T) => unknown, o: Outcome): void {
  for (let seed = 1; seed <= seeds; seed++) {
    const m = mutate(seed);
    const t0 = performance.now();
    try {
      read(m.input);
      o.values++;
    } catch (e) {
      if (e instanceof RamifyError) o.ramifyErrors++;
      else o.offenders.push(`${kind} ${fixture} seed ${seed} (${m.what}): ${e instanceof Error ? `${e.constructor.name}: ${e.message.slice(0, 160)}` : String(e)}`);
    }
    const ms = performance.now() - t0;
    if (ms > o.maxMs) {
      o.maxMs = ms;
      o.slowest = `${kind} ${fixture} seed ${seed} (${m.what})`;
    }
    o.cases++;
  }
}

/**
 * A reader that takes this long on one input is hung, not slow: the bound only catches runaway loops (machines under
 * load take several times their idle time). How fast the readers are belongs to `npm run bench`.
 */
const HANG_MS = 15_000;

const outcome = (): Outcome => ({ cases: 0, values: 0, ramifyErrors: 0, maxMs: 0, slowest: '', offenders: [] });

const report = (name: string, o: Outcome) =>
  console.log(`fuzz ${name}: ${o.cases} cases, ${o.values} values, ${o.ramifyErrors} RamifyErrors, ${o.offenders.length} other exceptions, slowest ${o.maxMs.toFixed(0)} ms (${o.slowest})`);

describe('fuzzing the readers with hostile input', () => {
  it('TIFF (decodeImage): value or RamifyError, each within 1 s', () => {
    const o = outcome();
    for (const f of ['fuzz/color-1px.tif', 'fuzz/crosshair_tiled.tif', 'fuzz/grey16.tif']) {
      const bytes = bytesOf(f);
      fuzz('tiff', f, 250, (s) => mutateTiff(bytes, s), (b) => decodeImage(b), o);
    }
    // The imaging engineer's fixtures, when present: more compressions and layouts (not needed for the count).
    for (const f of ['tiff/tiff/image-rs/issue_69_packbits.tiff', 'tiff/tiff/image-rs/seq/seq-1c-8b-tiled-lzw-20f3db0c.tiff', 'tiff/tiff/image-rs/bigtiff/BigTIFF.tif', 'tiff/tiff/image-js/palette.tif']) {
      if (!existsSync(new URL(f, fixtures))) continue;
      const bytes = bytesOf(f);
      fuzz('tiff', f, 40, (s) => mutateTiff(bytes, s), (b) => decodeImage(b), o);
    }
    report('tiff', o);
    expect(o.cases).toBeGreaterThanOrEqual(750);
    expect(o.offenders).toEqual([]);
    expect(o.maxMs).toBeLessThan(HANG_MS);
  });

  it('SWC (parseSwc): value or RamifyError, each within 1 s', () => {
    const o = outcome();
    for (const f of ['swc/neurom/simple.swc', 'swc/neurom/Neuron.swc', 'swc/neurom/soma/three_pt_soma.swc', 'swc/neurom/multiple_somata.swc', 'swc/neurom/Single_apical_no_soma.swc', 'swc/neurom/ordering/sample_disordered.swc']) {
      const text = textOf(f);
      fuzz('swc', f, 120, (s) => mutateSwc(text, s), (t) => parseSwc(t), o);
    }
    report('swc', o);
    expect(o.cases).toBe(720);
    expect(o.offenders).toEqual([]);
    expect(o.maxMs).toBeLessThan(HANG_MS);
  });

  it('SWC with deeply nested branches (alternating types, 1,000 to 50,000 rows): value or RamifyError', () => {
    const o = outcome();
    for (const rows of [1_000, 5_000, 20_000, 50_000]) fuzz('swc-nested', `nestedSwc(${rows})`, 1, () => ({ input: nestedSwc(rows), what: `${rows} nested branches` }), (t) => parseSwc(t), o);
    report('swc-nested', o);
    expect(o.offenders).toEqual([]);
    expect(o.maxMs).toBeLessThan(HANG_MS);
  });

  it('annotation files (parseAnnotation): value or RamifyError, each within 1 s', () => {
    const o = outcome();
    for (const f of ['annotation/v0.json', 'annotation/v1.json']) {
      const text = textOf(f);
      fuzz('annotation', f, 300, (s) => mutateAnnotation(text, s), (t) => parseAnnotation(t), o);
    }
    report('annotation', o);
    expect(o.cases).toBe(600);
    expect(o.offenders).toEqual([]);
    expect(o.maxMs).toBeLessThan(HANG_MS);
    // Most mutations must be refused, and the refusals must name a field: spot-check the counts are plausible.
    expect(o.ramifyErrors).toBeGreaterThan(400);
  });
});
