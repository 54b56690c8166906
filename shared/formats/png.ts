import { decode as decodePngData, hasPngSignature } from 'fast-png';
import { RamifyError } from '../result';
import { pageStats } from '../image/stats';
import type { Calibration, DecodedImage, ImageInfo, PixelArray } from '../image/types';
import { unpackBits } from './tiff/samples';

export const isPng = (b: Uint8Array): boolean => b.length >= 8 && hasPngSignature(b);

/** Width and height from the IHDR chunk, checked before decoding so a lying header costs nothing. */
export function readPngSize(b: Uint8Array): { width: number; height: number } {
  if (b.length < 33) throw new RamifyError('corrupt', `Corrupt PNG: the file is only ${b.length} bytes long.`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (String.fromCharCode(b[12], b[13], b[14], b[15]) !== 'IHDR') throw new RamifyError('corrupt', 'Corrupt PNG: the first chunk is not IHDR.');
  return { width: v.getUint32(16), height: v.getUint32(20) };
}

/** The channels a PNG of `samples` samples per pixel opens with: its grey or colour samples, without alpha. */
export const pngChannels = (samples: number): number => (samples === 2 || samples === 4 ? samples - 1 : samples);

/**
 * Decodes a PNG into one plane per channel (grey or RGB) or an index plane plus palette. An alpha sample (grey+alpha,
 * RGBA: what matplotlib and screenshots write) is dropped: it is no stain, and shown or traced as a channel it would
 * cover the image (a channel of 255 everywhere).
 */
export function decodePng(bytes: Uint8Array, maxSamples: number): DecodedImage {
  const { width, height } = readPngSize(bytes);
  if (width < 1 || height < 1) throw new RamifyError('corrupt', `Corrupt PNG: image size ${width}×${height} is invalid.`);
  // Deflate expands at most ~1032:1; RGBA 16-bit is the largest sample layout (8 bytes per pixel).
  if (width * height > maxSamples || width * height > bytes.length * 1032) {
    throw new RamifyError(width * height > maxSamples ? 'too-large' : 'corrupt', `PNG claims ${width}×${height} pixels, which is ${width * height > maxSamples ? 'more than can be opened' : 'more than its ' + bytes.length + ' bytes can hold (truncated or corrupt)'}.`);
  }
  let png;
  try {
    png = decodePngData(bytes);
  } catch (e) {
    throw new RamifyError('corrupt', `Corrupt PNG: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const ch = png.channels;
  const n = width * height;
  let all: PixelArray = png.data instanceof Uint8ClampedArray ? new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length) : png.data;
  if (png.depth < 8 && all.length !== n * ch) all = unpackBits(all as Uint8Array, Math.ceil((width * ch * png.depth) / 8), height, width * ch, png.depth, false);
  if (all.length < n * ch) throw new RamifyError('corrupt', 'Corrupt PNG: the image data is shorter than its size says (truncated?).');
  const planes: PixelArray[] = [];
  const kept = pngChannels(ch);
  if (ch === 1) planes.push(all.length === n ? all : all.slice(0, n));
  else {
    for (let c = 0; c < kept; c++) {
      const p = all instanceof Uint16Array ? new Uint16Array(n) : new Uint8Array(n);
      for (let i = 0, j = c; i < n; i++, j += ch) p[i] = all[j];
      planes.push(p);
    }
  }
  let calibration: Calibration | null = null;
  if (png.resolution && png.resolution.unit === 1 && png.resolution.x > 0 && png.resolution.y > 0) {
    calibration = { pixelWidth: 1e6 / png.resolution.x, pixelHeight: 1e6 / png.resolution.y, unit: 'µm', source: 'resolution' };
  }
  const info: ImageInfo = {
    format: 'png', width, height, pages: 1, channels: kept, slices: 1, frames: 1,
    bitsPerSample: png.depth, sampleFormat: 'uint', samplesPerPixel: kept, calibration,
  };
  if (png.palette) {
    const entries = 2 ** png.depth;
    const pal = new Uint16Array(3 * entries);
    png.palette.forEach((rgb, i) => {
      if (i < entries) for (let k = 0; k < 3; k++) pal[k * entries + i] = (rgb[k] ?? 0) * 257;
    });
    info.palette = pal;
  }
  return { info, planes, pageStats: [pageStats(0, planes)] };
}
