import { performance } from 'node:perf_hooks';
import { seededRandom } from '../../shared/project/blinding';
import { reportHtml } from '../../shared/report/report-html';
import { buildResults, MEASURES, type Table } from '../../shared/report/results-model';

/**
 * The report's own work for 1,000 neurons in 4 conditions (tables → statistics for every measure → SVG figures →
 * HTML), from synthetic neurons/sholl tables shaped as the export writes them (the export itself is benched in
 * export.bench.ts). The first run pays for the Dunnett distribution; later runs (like every measure after the first)
 * reuse it, as the app does when the view is recomputed for the same neurons.
 */
export async function bench(): Promise<void> {
  const random = seededRandom(11);
  const N = 1000;
  const conditions = ['VEH', 'KET', 'IBO', 'TBG'];
  const neurons: Table = { header: ['image_id', 'neuron_uid', 'condition', 'culture', 'pixel_width_um', 'calibration_source', ...MEASURES.map((m) => m.column)], rows: [] };
  const sholl: Table = { header: ['neuron_uid', 'condition', 'radius_um', 'crossings'], rows: [] };
  for (let i = 0; i < N; i++) {
    const c = conditions[i % 4];
    const uid = `img-${Math.floor(i / 4)}:${i}`;
    const p = 3 + Math.floor(random() * 5) + (i % 4);
    neurons.rows.push([`img-${Math.floor(i / 4)}`, uid, c, `c${i % 10}`, '0.5', 'imagej', ...MEASURES.map(() => String(p * (1 + random())))]);
    const reach = 80 + Math.floor(random() * 120);
    for (let r = 10; r <= reach; r++) sholl.rows.push([uid, c, String(r), String(Math.round(p * 2 * Math.sin((Math.PI * r) / (reach + 10)) + random()))]);
  }
  const modelRuns: number[] = [];
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    buildResults(neurons, sholl, { order: conditions, shollStart: 10, shollStep: 1 });
    modelRuns.push(performance.now() - t);
  }
  console.log(`Results view model for ${N} neurons (what main computes for the view): ${modelRuns.map((x) => x.toFixed(0)).join(' / ')} ms (target ≤ 1000 ms)`);
  const runs: number[] = [];
  let size = 0;
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    const model = buildResults(neurons, sholl, { order: conditions, shollStart: 10, shollStep: 1 });
    const html = reportHtml(model, { projectName: 'bench', appVersion: '0', generated: '', sholl: { start: 10, step: 1, end: null }, neurons });
    runs.push(performance.now() - t);
    size = html.length;
  }
  console.log(`report for ${N} neurons (${sholl.rows.length} Sholl rows, ${MEASURES.length} measures, Dunnett vs VEH): ${runs.map((x) => x.toFixed(0)).join(' / ')} ms, ${(size / 1024).toFixed(0)} KiB (target ≤ 3000 ms)`);
}
