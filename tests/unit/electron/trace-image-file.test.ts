import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceImageFile } from '../../../electron/services/trace-image-file';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { decodeImage } from '../../../shared/image/decode';
import { imagejDescription } from '../../../shared/image/imagej';
import { autoTraceImage } from '../../../shared/tracing/auto/run';

/**
 * 120×120, 4 slices, 3 channels of 8 bits (0.5 µm/px): channel 2 holds a cell (soma r = 8 px at pixel (60, 60), three
 * 3-px dendrites) brightest in slice 2, channel 1 a fixed noise, channel 3 a flat level. Deflate, 16 rows per strip.
 */
function stack(): Uint8Array {
  const w = 120;
  const planes: Uint8Array[] = [];
  let seed = 5;
  for (let z = 0; z < 4; z++) {
    const f = [0.4, 1, 0.6, 0.2][z];
    const cell = new Uint8Array(w * w).fill(10);
    const put = (x: number, y: number, v: number) => (cell[x + w * y] = Math.round(10 + f * (v - 10)));
    for (let y = 0; y < w; y++) for (let x = 0; x < w; x++) if ((x - 60) ** 2 + (y - 60) ** 2 <= 64) put(x, y, 200);
    for (let k = -1; k <= 1; k++) {
      for (let x = 69; x <= 109; x++) put(x, 60 + k, 150);
      for (let x = 10; x <= 51; x++) put(x, 60 + k, 150);
      for (let y = 10; y <= 51; y++) put(60 + k, y, 150);
    }
    const noise = Uint8Array.from({ length: w * w }, () => 8 + ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 28));
    planes.push(noise, cell, new Uint8Array(w * w).fill(5));
  }
  return encodeTiff({ width: w, height: w, planes, bitsPerSample: 8, sampleFormat: 'uint', compression: 'deflate', rowsPerStrip: 16, imagejDescription: imagejDescription({ channels: 3, slices: 4, unit: 'micron', spacing: 1 }), resolution: { x: 2, y: 2, unit: 'cm' } });
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ramify-trace-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a batch image traced from its file (traceImageFile)', () => {
  it('a TIFF stack read plane by plane gives the trace of the file decoded whole, on the channel asked for', async () => {
    const bytes = stack();
    const path = join(dir, 'stack.tif');
    await writeFile(path, bytes);
    const r = await traceImageFile(path, { channel: 1 }, () => null);
    const whole = autoTraceImage(decodeImage(bytes), { channel: 1 });
    expect(r.neurons).toEqual(whole.neurons);
    expect(r.neurons.map((n) => n.branches.length)).toEqual([3]);
    expect([r.width, r.height, r.calibration?.pixelWidth]).toEqual([120, 120, 0.5]);
  });

  it('says what to do instead of tracing an image too large for one trace, and names an unreadable file', async () => {
    const path = join(dir, 'stack.tif');
    await expect(traceImageFile(path, {}, (w, h) => `${w}×${h} is too large here`)).rejects.toThrow('120×120 is too large here');
    const bad = join(dir, 'bad.tif');
    await writeFile(bad, 'II*\0not a tiff at all');
    await expect(traceImageFile(bad, {}, () => null)).rejects.toMatchObject({ name: 'RamifyError' });
  });
});
