import { decode as decodeJpegData } from 'jpeg-js';
import { RamifyError } from '../result';
import { pageStats } from '../image/stats';
import type { DecodedImage, ImageInfo, PixelArray } from '../image/types';

export const isJpeg = (b: Uint8Array): boolean => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** What the first SOF marker says: size, precision and each component's sampling factors. */
export interface JpegFrame {
  width: number;
  height: number;
  components: number;
  precision: number;
  /** Horizontal and vertical sampling factor of each component, in frame order. */
  sampling: Array<{ h: number; v: number }>;
}

/** Position of the first marker segment (from SOI) whose marker passes `want`, or -1; stops at the first scan. */
function findSegment(b: Uint8Array, want: (marker: number) => boolean): number {
  let p = 2;
  while (p + 3 < b.length) {
    if (b[p] !== 0xff) return -1;
    const marker = b[p + 1];
    if (marker === 0xff) {
      p++;
      continue;
    }
    if (want(marker)) return p;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      p += 2;
      continue;
    }
    const len = (b[p + 2] << 8) | b[p + 3];
    if (marker === 0xda || len < 2) return -1;
    p += 2 + len;
  }
  return -1;
}

/** True when the stream reaches a scan (SOS): it holds image data, not only tables. */
export const jpegHasScan = (b: Uint8Array): boolean => findSegment(b, (m) => m === 0xda) >= 0;

/** Size and component count from the first SOF marker; null when none is found. */
export function readJpegFrame(b: Uint8Array): JpegFrame | null {
  const p = findSegment(b, (m) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc);
  if (p < 0 || p + 9 >= b.length) return null;
  const components = b[p + 9];
  const sampling: JpegFrame['sampling'] = [];
  for (let c = 0, q = p + 11; c < components && q < b.length; c++, q += 3) sampling.push({ h: b[q] >> 4, v: b[q] & 15 });
  return { precision: b[p + 4], height: (b[p + 5] << 8) | b[p + 6], width: (b[p + 7] << 8) | b[p + 8], components, sampling };
}

/** Decodes a baseline/progressive 8-bit JPEG: greyscale → one plane, colour → R, G, B planes. */
export function decodeJpeg(bytes: Uint8Array, maxSamples: number): DecodedImage {
  const frame = readJpegFrame(bytes);
  if (!frame) throw new RamifyError('corrupt', 'Corrupt JPEG: no frame header (SOF) found.');
  const { width, height } = frame;
  if (width < 1 || height < 1) throw new RamifyError('corrupt', `Corrupt JPEG: image size ${width}×${height} is invalid.`);
  if (frame.precision !== 8) throw new RamifyError('unsupported', `${frame.precision}-bit JPEG is not supported (only 8-bit).`);
  if (width * height * 3 > maxSamples) throw new RamifyError('too-large', `JPEG of ${width}×${height} pixels is too large to open.`);
  let img;
  try {
    img = decodeJpegData(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: Math.ceil((width * height) / 1e6) + 1, maxMemoryUsageInMB: Math.ceil((width * height * 8) / 2 ** 20) + 64 });
  } catch (e) {
    throw new RamifyError('corrupt', `Corrupt JPEG: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const n = width * height;
  const grey = frame.components === 1;
  const planes: PixelArray[] = [];
  for (let c = 0; c < (grey ? 1 : 3); c++) {
    const p = new Uint8Array(n);
    for (let i = 0, j = c; i < n; i++, j += 3) p[i] = img.data[j];
    planes.push(p);
  }
  const info: ImageInfo = {
    format: 'jpeg', width, height, pages: 1, channels: planes.length, slices: 1, frames: 1,
    bitsPerSample: 8, sampleFormat: 'uint', samplesPerPixel: planes.length, calibration: null,
  };
  return { info, planes, pageStats: [pageStats(0, planes)] };
}
