import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { AutoNeuron } from '../../../../shared/tracing/auto/auto-neuron';
import { rejoinCrossings } from '../../../../shared/tracing/auto/crossings';

// Run by crossings.test.ts in a child process: a repair loop that never ends blocks the process, which the test can
// time out; inside the test runner it would block the whole run.
const fixture = JSON.parse(gunzipSync(readFileSync(new URL('../../../fixtures/crossings/moto-repair-cycle.json.gz', import.meta.url))).toString('utf8')) as {
  neuron: AutoNeuron;
  plane: { width: number; height: number; sigma: number; per: number; data: string };
  spacing: number;
};
const raw = Buffer.from(fixture.plane.data, 'base64');
const levels = new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
const plane = { width: fixture.plane.width, height: fixture.plane.height, sigma: fixture.plane.sigma, data: Float32Array.from(levels, (v) => v / fixture.plane.per) };
const out = rejoinCrossings(fixture.neuron, plane, fixture.spacing);
process.stdout.write(JSON.stringify({ before: fixture.neuron.branches.length, after: out.branches.length, parentsFirst: out.branches.every((b, i) => b.parent < i), crossings: out.branches.filter((b) => b.doubts.includes('crossing')).length }));
