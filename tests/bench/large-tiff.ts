import { closeSync, existsSync, openSync, renameSync, writeSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { lzwEncode } from '../../shared/formats/tiff/lzw-encode';

// Large 16-bit test images for the memory and first-pixel benches, written strip by strip to disk so even 16384²
// (512 MiB of pixels) never sits in this process whole. The content is micrograph-like: a dim noisy background
// with bright ridges (dendrite-like lines), so Deflate and LZW compress it about as much as a real field.

export interface LargeTiffSpec {
  size: number;
  compression: 'deflate' | 'lzw';
  rowsPerStrip?: number;
}

/** Sample value at (x, y): deterministic, cheap, with structure at every scale. */
export function sampleAt(x: number, y: number): number {
  let h = (x * 374761393 + y * 668265263) | 0;
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  const noise = (h >>> 24) & 63;
  const ridge = Math.abs(((x + 2 * y) % 509) - 254) < 3 || Math.abs(((3 * x - y + 100000) % 677) - 338) < 2 ? 3000 : 0;
  return 400 + noise + ridge + ((x >> 6) & 15) * 8;
}

/** Writes the file (once; an existing file is reused) and returns its path. */
export function writeLargeTiff(path: string, spec: LargeTiffSpec): string {
  if (existsSync(path)) return path;
  const { size } = spec;
  const rowsPerStrip = spec.rowsPerStrip ?? 64;
  const part = `${path}.part`;
  const fd = openSync(part, 'w');
  let offset = 8;
  const header = Buffer.alloc(8);
  header.write('II', 0, 'latin1');
  header.writeUInt16LE(42, 2);
  writeSync(fd, header, 0, 8, 0);
  const offsets: number[] = [];
  const counts: number[] = [];
  const strip = new Uint16Array(size * rowsPerStrip);
  for (let y0 = 0; y0 < size; y0 += rowsPerStrip) {
    const rows = Math.min(rowsPerStrip, size - y0);
    for (let r = 0; r < rows; r++) for (let x = 0; x < size; x++) strip[r * size + x] = sampleAt(x, y0 + r);
    const raw = new Uint8Array(strip.buffer, 0, rows * size * 2);
    const enc = spec.compression === 'deflate' ? deflateSync(raw, { level: 6 }) : lzwEncode(raw);
    writeSync(fd, enc, 0, enc.length, offset);
    offsets.push(offset);
    counts.push(enc.length);
    offset += enc.length;
  }
  if (offset & 1) offset++;
  // IFD: 11 entries, then the two arrays.
  const entries: Array<[number, number, number, number]> = [];
  const n = 11;
  const ifdAt = offset;
  const arraysAt = ifdAt + 2 + n * 12 + 4;
  const stripCount = offsets.length;
  entries.push([256, 4, 1, size], [257, 4, 1, size], [258, 3, 1, 16], [259, 3, 1, spec.compression === 'deflate' ? 8 : 5], [262, 3, 1, 1]);
  entries.push([273, 4, stripCount, stripCount === 1 ? offsets[0] : arraysAt], [277, 3, 1, 1], [278, 4, 1, rowsPerStrip]);
  entries.push([279, 4, stripCount, stripCount === 1 ? counts[0] : arraysAt + 4 * stripCount], [284, 3, 1, 1], [339, 3, 1, 1]);
  const ifd = Buffer.alloc(2 + n * 12 + 4 + 8 * stripCount);
  ifd.writeUInt16LE(n, 0);
  entries.forEach(([tag, type, count, value], i) => {
    const p = 2 + i * 12;
    ifd.writeUInt16LE(tag, p);
    ifd.writeUInt16LE(type, p + 2);
    ifd.writeUInt32LE(count, p + 4);
    if (type === 3 && count === 1) ifd.writeUInt16LE(value, p + 8);
    else ifd.writeUInt32LE(value, p + 8);
  });
  const arr = 2 + n * 12 + 4;
  offsets.forEach((o, i) => ifd.writeUInt32LE(o, arr + 4 * i));
  counts.forEach((c, i) => ifd.writeUInt32LE(c, arr + 4 * (stripCount + i)));
  writeSync(fd, ifd, 0, ifd.length, ifdAt);
  header.writeUInt32LE(ifdAt, 4);
  writeSync(fd, header, 0, 8, 0);
  closeSync(fd);
  renameSync(part, path);
  return path;
}
