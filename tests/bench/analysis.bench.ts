/**
 * All morphometrics + Sholl (1 µm step) on a generated 5,000-node neuron (seeded random branching tree, ≈ 1000 µm
 * extent, 2D with a little z): median and p99 over 200 runs. Target ≤ 5 ms per run.
 */
import { measureDocument } from '../../shared/analysis';
import type { AnnotationDocument, Branch, Neuron } from '../../shared/model/document';
import { seededRandom as rng } from '../../shared/random';


/** Random walk branches growing outwards from a point soma until `nodes` nodes exist. */
export function generateNeuron(nodes: number, seed = 42): AnnotationDocument {
  const rand = rng(seed);
  let next = 1;
  const neuron: Neuron = { id: next++, name: 'bench', color: '#ffd400', soma: { kind: 'point', x: 0, y: 0, z: 0 }, branches: [] };
  let count = 0;
  const open: Array<{ branch: Branch; x: number; y: number; z: number; heading: number }> = [];
  for (let p = 0; p < 6; p++) {
    const heading = (p / 6) * 2 * Math.PI;
    const branch: Branch = { id: next++, label: 'dendrite', parent: { kind: 'soma' }, nodes: [] };
    neuron.branches.push(branch);
    open.push({ branch, x: 8 * Math.cos(heading), y: 8 * Math.sin(heading), z: 0, heading });
  }
  // Segments 2.6 µm long, a branch every ~25 nodes: the arbor spans ≈ 1000 µm.
  while (count < nodes) {
    const k = Math.floor(rand() * open.length);
    const tip = open[k];
    tip.heading += (rand() - 0.5) * 0.15;
    tip.x += 2.6 * Math.cos(tip.heading);
    tip.y += 2.6 * Math.sin(tip.heading);
    tip.z += (rand() - 0.5) * 0.5;
    const node = { id: next++, x: tip.x, y: tip.y, z: tip.z };
    tip.branch.nodes.push(node);
    count++;
    if (rand() < 0.02 && open.length < 60) {
      const branch: Branch = { id: next++, label: 'dendrite', parent: { kind: 'node', nodeId: node.id }, nodes: [] };
      neuron.branches.push(branch);
      open.push({ branch, x: tip.x, y: tip.y, z: tip.z, heading: tip.heading + (rand() < 0.5 ? -0.6 : 0.6) });
    } else if (rand() < 0.002 && open.length > 6) open.splice(k, 1);
  }
  return { neurons: [neuron], nextId: next, calibration: { pixelWidth: 1, pixelHeight: 1, unit: 'µm', source: 'user' } };
}

export async function bench(): Promise<void> {
  const doc = generateNeuron(5000);
  const first = measureDocument(doc)[0];
  const extent = first.sholl!.end;
  for (let i = 0; i < 20; i++) measureDocument(doc); // warm-up
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    measureDocument(doc, { sholl: { step: 1 } });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const m = first.morphometrics;
  console.log(`analysis: 5000-node neuron (${m.branchPoints} branch points, ${m.tips} tips, farthest node ${extent.toFixed(0)} µm, ${first.sholl!.profile.length} Sholl radii, fit degree ${first.sholl!.polynomial?.degree})`);
  console.log(`analysis: measureDocument (all metrics + Sholl 1 µm) median ${q(0.5).toFixed(2)} ms, p90 ${q(0.9).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms over 200 runs (target ≤ 5 ms)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
