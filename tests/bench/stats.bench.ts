import { performance } from 'node:perf_hooks';
import { seededRandom } from '../../shared/project/blinding';
import { compareGroups, fitClusterModel, type GroupData } from '../../shared/stats/analyze';

/** 10,000 neurons in 5 conditions (normal-ish lengths, 20 cultures): the full comparison, nothing reused between runs. */
export async function bench(): Promise<void> {
  const random = seededRandom(7);
  const normal = () => Math.sqrt(-2 * Math.log(random() + 1e-300)) * Math.cos(2 * Math.PI * random());
  const N = 10_000;
  const names = ['VEH', 'KET', 'IBO', 'IBG', 'TBG'];
  const groups: GroupData[] = names.map((name, g) => ({ name, values: Array.from({ length: N / names.length }, () => 900 + 40 * g + 150 * normal()) }));
  const clusters = groups.map((g) => g.values.map((_, i) => `culture-${i % 20}`));
  // Each run drops one more control value, so group sizes and df differ and no cached distribution is reused.
  const variant = (i: number): GroupData[] => groups.map((g, k) => (k === 0 ? { name: g.name, values: g.values.slice(0, g.values.length - 1 - i) } : g));
  const time = (f: (gs: GroupData[]) => void) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const gs = variant(i);
      const t = performance.now();
      f(gs);
      runs.push(performance.now() - t);
    }
    return runs.map((x) => x.toFixed(0)).join(' / ');
  };
  console.log(`stats, ${N} neurons, 5 groups, Dunnett vs VEH (+ ANOVA, KW, Dunn, Shapiro–Wilk, Brown–Forsythe): ${time((gs) => compareGroups(gs, { control: 'VEH' }))} ms (target ≤ 100 ms)`);
  console.log(`stats, ${N} neurons, 5 groups, Tukey all pairs: ${time((gs) => compareGroups(gs))} ms (target ≤ 100 ms)`);
  console.log(`stats, ${N} neurons, 2 groups (Welch, Mann–Whitney): ${time((gs) => compareGroups(gs.slice(0, 2)))} ms`);
  console.log(`mixed model, ${N} neurons, 20 cultures (REML + Satterthwaite): ${time((gs) => fitClusterModel(gs, clusters.map((c, k) => c.slice(0, gs[k].values.length)), 'VEH'))} ms`);
}
