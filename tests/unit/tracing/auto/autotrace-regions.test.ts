import { describe, expect, it } from 'vitest';
import { syntheticNeurons } from '../../../../build/tools/synthetic-neuron';
import { encodeTiff } from '../../../../shared/formats/tiff/encode';
import { TiffRegionReader } from '../../../../shared/formats/tiff/region-reader';
import { decodeImage } from '../../../../shared/image/decode';
import { imagejDescription } from '../../../../shared/image/imagej';
import { countingSource } from '../../image/fixtures';
import { autoTraceImage, autoTraceRegions, type AutoTraceRequest, type PlaneRead } from '../../../../shared/tracing/auto/run';

// `ramify autotrace IMAGE --soma X,Y` on a TIFF larger than its first window reads the file window by window
// (autoTraceRegions over a TiffRegionReader) instead of decoding it whole: the trace must be the same.

const sample = syntheticNeurons({ seed: 3, neurons: 4 });
// A two-channel ImageJ TIFF (dendrites, nuclei) in deflated strips of 8 rows, and the same file decoded whole.
const file = encodeTiff({ width: sample.width, height: sample.height, planes: sample.channels, bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', rowsPerStrip: 8, imagejDescription: imagejDescription({ channels: 2 }) });
const image = decodeImage(file);
const somata = sample.truth.neurons.map((n) => (n.soma?.kind === 'point' ? { x: n.soma.x, y: n.soma.y } : null)).filter((p) => p !== null);

describe('an automatic trace read window by window equals the trace of the decoded image', () => {
  it('a click whose window grows (300², then 600² px): same window, same cut, same neurons, node for node', async () => {
    const request: AutoTraceRequest = { seeds: [somata[0]], maxPixels: 1024 * 1024, firstWindowPixels: 300 * 300 };
    const whole = autoTraceImage(image, request);
    const src = countingSource(file);
    const reader = await TiffRegionReader.open(src, { bandBytes: 1 });
    const reads: PlaneRead[] = [];
    const windowed = await autoTraceRegions(reader.info, (r) => (reads.push(r), reader.read(r.planes, r.rect)), request);
    expect(windowed.window).toEqual(whole.window);
    expect(windowed.cut).toBe(whole.cut);
    expect(windowed.neurons).toEqual(whole.neurons);
    expect(windowed.neurons[0].branches.length).toBeGreaterThan(3);
    // Each window read once, channel 1 (plane 0) only: no nuclear channel was asked for.
    expect(reads.map((r) => r.planes)).toEqual(reads.map(() => [0]));
    expect(reads.map((r) => [r.rect.width, r.rect.height])).toEqual([[300, 300], [600, 600]]);
  });

  it('a window well inside a large field reads a fraction of the file; the nuclear channel is read over the same window', async () => {
    const request: AutoTraceRequest = { seeds: [somata[1]], nucleusChannel: 1, maxPixels: 400 * 400 };
    const whole = autoTraceImage(image, request);
    const src = countingSource(file);
    const reader = await TiffRegionReader.open(src, { bandBytes: 1 });
    const reads: PlaneRead[] = [];
    const windowed = await autoTraceRegions(reader.info, (r) => (reads.push(r), reader.read(r.planes, r.rect)), request);
    expect(windowed.window).toEqual({ ...whole.window, width: 400, height: 400 });
    expect(windowed.neurons).toEqual(whole.neurons);
    expect(reads.map((r) => r.planes)).toEqual([[0], [1]]);
    expect(reads[1].rect).toEqual(reads[0].rect);
    // 400 rows of a 1024-row file, two channels of it: about 400/1024 of the bytes (whole strips of 8 rows).
    expect(src.bytesRead).toBeLessThan(0.45 * file.length);
  });
});
