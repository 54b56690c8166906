import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { SAMPLE_SEED } from '../../../../build/tools/sample-tiff';
import { syntheticImage, syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import type { DecodedImage } from '../../../../shared/image/types';
import { autoTraceImage } from '../../../../shared/tracing/auto/run';
import { autoNeuronStats } from '../../../../shared/tracing/auto/stats';

// The bundled sample's field with its neurite channel edited (a margin, a canvas, debris, a scale bar), and what Detect
// must still give on it: the truth's cells and primary dendrites, and the sample's own trees.

/** The bundled sample's field, its neurite channel edited (given a black margin, set in a larger canvas, drawn on). */
export function sampleWith(edit: (plane: Uint16Array, width: number, height: number) => { plane: Uint16Array; width: number; height: number }): DecodedImage {
  const s = syntheticNeurons({ seed: SAMPLE_SEED });
  const { plane, width, height } = edit(s.channels[0], s.width, s.height);
  const image = syntheticImage(s);
  return { ...image, info: { ...image.info, width, height, channels: 1, pages: 1 }, planes: [plane] };
}

/** Detect's cells: cell body, primary dendrites, branch points, tips and cable. */
export const detectStats = (image: DecodedImage) =>
  autoTraceImage(image).neurons.map((n) => ({ soma: [Math.round(n.soma.x), Math.round(n.soma.y)], primaries: n.branches.filter((b) => b.parent < 0).length, ...autoNeuronStats(n) }));

/** Expects Detect's cells on an edited sample to be the truth's, and the sample's own trees (cable within 1 %). */
export function expectAsRawSample(traced: ReturnType<typeof detectStats>): void {
  const raw = (rawStats ??= detectStats(sampleWith((plane, width, height) => ({ plane, width, height }))));
  const truth = JSON.parse(readFileSync(new URL('../../../../build/sample/sample-neurons.truth.json', import.meta.url), 'utf8')) as { document: { neurons: Array<{ soma: { x: number; y: number }; branches: Array<{ parent: { kind: string } }> }> } };
  // The truth's four cells with their primary dendrites (an independent count)...
  expect(traced).toHaveLength(truth.document.neurons.length);
  for (const cell of truth.document.neurons) {
    const mine = traced.find((n) => Math.hypot(n.soma[0] - cell.soma.x, n.soma[1] - cell.soma.y) < 5);
    expect(mine).toBeDefined();
    expect(mine!.primaries).toBe(cell.branches.filter((b) => b.parent.kind === 'soma').length);
  }
  // ...and (consistency with the same code on the sample as it is) the same branching, the cable within 1 %.
  for (const r of raw) {
    const mine = traced.find((n) => n.soma[0] === r.soma[0] && n.soma[1] === r.soma[1]) ?? traced.find((n) => Math.hypot(n.soma[0] - r.soma[0], n.soma[1] - r.soma[1]) < 3);
    expect({ branchPoints: mine!.branchPoints, tips: mine!.tips }).toEqual({ branchPoints: r.branchPoints, tips: r.tips });
    expect(Math.abs(mine!.lengthPx - r.lengthPx)).toBeLessThan(0.01 * r.lengthPx);
  }
}

let rawStats: ReturnType<typeof detectStats> | undefined;
