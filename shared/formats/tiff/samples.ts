import { RamifyError } from '../../result';
import type { PixelArray, SampleFormat } from '../../image/types';

/** Byte-aligned sample widths that decode straight into typed arrays (others are bit-unpacked). */
export const isDirectWidth = (bits: number): boolean => bits === 8 || bits === 16 || bits === 32 || bits === 64;

/** Bytes per sample in memory after decoding (16-bit floats widen to 32). */
export function containerBytes(bits: number, format: SampleFormat): number {
  if (format === 'float') return bits === 64 ? 8 : 4;
  return bits <= 8 ? 1 : bits <= 16 ? 2 : 4;
}

/** Swaps every sample of `bytes` in place between big- and little-endian. */
export function swapBytes(bytes: Uint8Array, bytesPerSample: number): void {
  const n = bytes.length - (bytes.length % bytesPerSample);
  if (bytesPerSample === 2) {
    if ((bytes.byteOffset & 1) === 0) {
      const a = new Uint16Array(bytes.buffer, bytes.byteOffset, n >> 1);
      for (let i = 0; i < a.length; i++) {
        const v = a[i];
        a[i] = ((v & 0xff) << 8) | (v >>> 8);
      }
      return;
    }
    for (let i = 0; i < n; i += 2) {
      const x = bytes[i];
      bytes[i] = bytes[i + 1];
      bytes[i + 1] = x;
    }
  } else if (bytesPerSample === 4 || bytesPerSample === 8) {
    for (let i = 0; i < n; i += bytesPerSample) {
      for (let a = i, b = i + bytesPerSample - 1; a < b; a++, b--) {
        const x = bytes[a];
        bytes[a] = bytes[b];
        bytes[b] = x;
      }
    }
  }
}

/** Typed array of `format`/`bits` viewing (not copying) host-order bytes; the byte offset must be aligned. */
export function viewSamples(buffer: ArrayBuffer, byteOffset: number, length: number, bits: number, format: SampleFormat): PixelArray {
  if (format === 'float') {
    if (bits === 32) return new Float32Array(buffer, byteOffset, length);
    if (bits === 64) return new Float64Array(buffer, byteOffset, length);
    return halfToFloat(new Uint16Array(buffer, byteOffset, length));
  }
  const signed = format === 'int';
  if (bits === 8) return signed ? new Int8Array(buffer, byteOffset, length) : new Uint8Array(buffer, byteOffset, length);
  if (bits === 16) return signed ? new Int16Array(buffer, byteOffset, length) : new Uint16Array(buffer, byteOffset, length);
  if (bits === 32) return signed ? new Int32Array(buffer, byteOffset, length) : new Uint32Array(buffer, byteOffset, length);
  throw new RamifyError('unsupported', `${bits}-bit ${format} samples are not supported.`);
}

/** IEEE 754 half floats to Float32 (exact: every half value is representable). */
export function halfToFloat(h: Uint16Array): Float32Array {
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) {
    const v = h[i];
    const sign = v & 0x8000 ? -1 : 1;
    const exp = (v >> 10) & 0x1f;
    const frac = v & 0x3ff;
    if (exp === 0) out[i] = sign * frac * 2 ** -24;
    else if (exp === 31) out[i] = frac ? NaN : sign * Infinity;
    else out[i] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  return out;
}

/**
 * Unpacks rows of `bits`-bit samples (MSB-first bit stream, each row starting on a byte boundary, as TIFF packs
 * 1–7, 9–15 and 17–31-bit samples) into the smallest typed array that holds them; signed values are sign-extended.
 */
export function unpackBits(src: Uint8Array, rowBytes: number, rows: number, samplesPerRow: number, bits: number, signed: boolean): PixelArray {
  const n = samplesPerRow * rows;
  const out: PixelArray = bits <= 8 ? (signed ? new Int8Array(n) : new Uint8Array(n)) : bits <= 16 ? (signed ? new Int16Array(n) : new Uint16Array(n)) : signed ? new Int32Array(n) : new Uint32Array(n);
  const shift = 32 - bits;
  for (let y = 0; y < rows; y++) {
    let bitPos = y * rowBytes * 8;
    const o = y * samplesPerRow;
    for (let x = 0; x < samplesPerRow; x++, bitPos += bits) {
      // Gather up to 32 bits starting at bitPos (bits ≤ 32 never span more than 5 bytes).
      let v = 0;
      let need = bits;
      let p = bitPos;
      while (need > 0) {
        const byte = src[p >> 3] ?? 0;
        const avail = 8 - (p & 7);
        const take = Math.min(avail, need);
        v = v * (1 << take) + ((byte >> (avail - take)) & ((1 << take) - 1));
        need -= take;
        p += take;
      }
      out[o + x] = signed && bits < 32 ? (v << shift) >> shift : v;
    }
  }
  return out;
}
