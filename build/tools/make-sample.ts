/**
 * Writes the bundled sample: build/sample/sample-neurons.tif (2-channel 16-bit ImageJ hyperstack, deflate,
 * calibrated) and build/sample/sample-neurons.truth.json (ground-truth tracing). Run with `npm run sample`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { imagejDescription } from '../../shared/image/imagej';
import { syntheticNeurons } from './synthetic-neuron';

export const SAMPLE_SEED = 20240611;

const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'sample');
const sample = syntheticNeurons({ seed: SAMPLE_SEED });
const px = sample.calibration.pixelWidth;
const tiff = encodeTiff({
  width: sample.width,
  height: sample.height,
  planes: sample.channels,
  bitsPerSample: 16,
  sampleFormat: 'uint',
  compression: 'deflate',
  predictor: true,
  imagejDescription: imagejDescription({ channels: 2, unit: 'micron', pixelWidth: px, mode: 'composite' }),
  // ImageJ convention: XResolution = pixels per description unit (µm), ResolutionUnit "none"; the unit is in the
  // description (unit=micron), as ImageJ itself writes it.
  resolution: { x: 1 / px, y: 1 / sample.calibration.pixelHeight, unit: 'none' },
});
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'sample-neurons.tif'), tiff);
const truth = { format: 'ramify-ground-truth', calibration: sample.calibration, seed: SAMPLE_SEED, document: sample.truth };
writeFileSync(join(outDir, 'sample-neurons.truth.json'), JSON.stringify(truth, null, 1) + '\n');
const branches = sample.truth.neurons.reduce((s, n) => s + n.branches.length, 0);
console.log(`wrote ${join(outDir, 'sample-neurons.tif')} (${(tiff.length / 1e6).toFixed(2)} MB, ${sample.width}×${sample.height}×2) and truth (${sample.truth.neurons.length} neurons, ${branches} branches)`);
