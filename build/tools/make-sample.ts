/**
 * Writes the bundled sample: build/sample/sample-neurons.tif (2-channel 16-bit ImageJ hyperstack, deflate,
 * calibrated) and build/sample/sample-neurons.truth.json (ground-truth tracing). Run with `npm run sample`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SAMPLE_SEED, sampleTiff } from './sample-tiff';
import { syntheticNeurons } from './synthetic-neuron';

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'sample');
const sample = syntheticNeurons({ seed: SAMPLE_SEED });
const tiff = sampleTiff(sample);
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'sample-neurons.tif'), tiff);
const truth = { format: 'ramify-ground-truth', calibration: sample.calibration, seed: SAMPLE_SEED, document: sample.truth };
writeFileSync(join(outDir, 'sample-neurons.truth.json'), JSON.stringify(truth, null, 1) + '\n');
const branches = sample.truth.neurons.reduce((s, n) => s + n.branches.length, 0);
console.log(`wrote ${join(outDir, 'sample-neurons.tif')} (${(tiff.length / 1e6).toFixed(2)} MB, ${sample.width}×${sample.height}×2) and truth (${sample.truth.neurons.length} neurons, ${branches} branches)`);
