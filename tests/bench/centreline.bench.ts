/**
 * Centre-line bench (issue 14): Sholl profiles of synthetic neurons re-traced branch by branch with a click every
 * ~60 px (tests/unit/tracing/retrace.ts), before (pixel paths simplified at 0.5 px, as Ramify stored them) and after
 * centre-line refinement (what the app and `ramify trace` store now), against the known centre lines; and the same
 * protocol on NeuronJ's neurites.tif against its own .ndf tracings (data nobody here made).
 */
import { branchPointOffsets, compareSholl, ndfTree, retrace, syntheticSets, type Pipeline } from '../unit/tracing/retrace';

function synthetic(): void {
  const total: Record<Pipeline, { err: number; sum: number; off: number; radii: number; wrong: number; touches: number; dist: number; pull: number[] }> = {
    pixel: { err: 0, sum: 0, off: 0, radii: 0, wrong: 0, touches: 0, dist: 0, pull: [] },
    centreline: { err: 0, sum: 0, off: 0, radii: 0, wrong: 0, touches: 0, dist: 0, pull: [] },
  };
  let neurons = 0;
  console.log('centreline: synthetic neurons re-traced (click every ~60 px), Sholl from 10 µm every 1 µm:');
  console.log("centreline:   (* the truth's Nmax occurs at one radius only, ≥ 2 above both neighbours: a child's first edge or a branch point grazing that circle)");
  console.log('centreline:   set      neuron     branches  Nmax truth/before/after  Σ|ΔN| % before/after  radii >1 off before/after  mean dist px before/after');
  for (const set of syntheticSets()) {
    for (const r of retrace(set.tp, set.truth)) {
      neurons++;
      const c = { pixel: compareSholl(r.truth, r.traces.pixel), centreline: compareSholl(r.truth, r.traces.centreline) };
      for (const p of ['pixel', 'centreline'] as const) {
        const t = total[p];
        t.err += c[p].absError;
        t.sum += c[p].truthSum;
        t.off += c[p].offByMoreThanOne;
        t.radii += c[p].radii;
        t.wrong += c[p].nmax === c[p].truthNmax ? 0 : 1;
        t.touches += c[p].nmax !== c[p].truthNmax && c[p].truthNmaxIsolated ? 1 : 0;
        t.dist += r.meanDistance[p];
        t.pull.push(...branchPointOffsets(r, p));
      }
      const pct = (p: Pipeline) => ((100 * c[p].absError) / c[p].truthSum).toFixed(2);
      console.log(`centreline:   ${set.name.padEnd(8)} ${r.name.padEnd(10)} ${String(r.traced).padStart(3)} (${r.leftOut} out)  ${c.pixel.truthNmax}${c.pixel.truthNmaxIsolated ? '*' : ''}/${c.pixel.nmax}/${c.centreline.nmax}`.padEnd(72) + `${pct('pixel')}/${pct('centreline')}`.padEnd(22) + `${c.pixel.offByMoreThanOne}/${c.centreline.offByMoreThanOne} of ${c.pixel.radii}`.padEnd(27) + `${r.meanDistance.pixel.toFixed(3)}/${r.meanDistance.centreline.toFixed(3)}`);
    }
  }
  for (const p of ['pixel', 'centreline'] as const) {
    const t = total[p];
    const pull = t.pull.reduce((a, v) => a + v, 0) / Math.max(1, t.pull.length);
    console.log(`centreline: ${p === 'pixel' ? 'before' : 'after '} (${neurons} neurons): Nmax = truth on ${neurons - t.wrong}/${neurons} (goal: all); ≠ on ${t.wrong} (${t.touches} where the truth's Nmax is a one-radius touch*); branch points ${pull.toFixed(3)} px towards the child on average (${t.pull.length}); Σ|ΔN| ${((100 * t.err) / t.sum).toFixed(2)} % of Σ N (goal ≤ 2 %); radii > 1 crossing off ${((100 * t.off) / t.radii).toFixed(2)} % (goal ≤ 1 %); mean distance of the stored lines (every ≤ 1 px) to the true centre line ${(t.dist / neurons).toFixed(3)} px`);
  }
}

function neuronj(): void {
  const { tp, truth } = ndfTree();
  // NeuronJ's own vertices are integer pixels off the ridge by up to ~1 px, so only a path > 2 px off on average
  // (or 6 px anywhere) counts as another neurite.
  const [r] = retrace(tp, truth, 60, { mean: 2, max: 6 });
  console.log(`centreline: NeuronJ neurites.tif (4 tracings as one tree), re-traced with a click every ~60 px (${r.traced} traced, ${r.leftOut} left out):`);
  console.log(`centreline:   mean distance of the stored lines (every ≤ 1 px) to NeuronJ's tracing, px: before ${r.meanDistance.pixel.toFixed(3)}, after ${r.meanDistance.centreline.toFixed(3)}`);
  for (const p of ['pixel', 'centreline'] as const) {
    const c = compareSholl(r.truth, r.traces[p], 10, 2);
    console.log(`centreline:   Sholl around tracing 1's start (from 10 px every 2 px), ${p === 'pixel' ? 'before' : 'after '}: Nmax ${c.nmax} (NeuronJ ${c.truthNmax}), Σ|ΔN| ${c.absError} of ${c.truthSum} (${((100 * c.absError) / c.truthSum).toFixed(2)} %), radii > 1 off ${c.offByMoreThanOne} of ${c.radii}`);
  }
}

export async function bench(): Promise<void> {
  synthetic();
  neuronj();
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
