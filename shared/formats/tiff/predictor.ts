import { RamifyError } from '../../result';

/**
 * Undoes predictor 2 (horizontal differencing) in place. `bytes` holds `rows` rows of `width` pixels of `spp`
 * interleaved samples, already in host (little-endian) byte order, byte offset aligned to the sample size.
 */
export function undoHorizontalPredictor(bytes: Uint8Array, width: number, rows: number, spp: number, bytesPerSample: number): void {
  const rowLen = width * spp;
  const n = rowLen * rows;
  if (bytesPerSample === 1) return accumulate8(bytes, rowLen, rows, spp);
  if (bytesPerSample === 2) return accumulate16(new Uint16Array(bytes.buffer, bytes.byteOffset, n), rowLen, rows, spp);
  if (bytesPerSample === 4) return accumulate32(new Uint32Array(bytes.buffer, bytes.byteOffset, n), rowLen, rows, spp);
  if (bytesPerSample === 8) {
    const a = new BigUint64Array(bytes.buffer, bytes.byteOffset, n);
    const m = (1n << 64n) - 1n;
    for (let y = 0; y < rows; y++) for (let i = y * rowLen + spp, end = (y + 1) * rowLen; i < end; i++) a[i] = (a[i] + a[i - spp]) & m;
    return;
  }
  throw new RamifyError('unsupported', `TIFF horizontal predictor with ${bytesPerSample * 8}-bit samples is not supported.`);
}

function accumulate8(a: Uint8Array, rowLen: number, rows: number, spp: number): void {
  for (let y = 0; y < rows; y++) {
    const end = (y + 1) * rowLen;
    for (let i = y * rowLen + spp; i < end; i++) a[i] = a[i] + a[i - spp];
  }
}

function accumulate16(a: Uint16Array, rowLen: number, rows: number, spp: number): void {
  if (spp === 1) {
    for (let y = 0; y < rows; y++) {
      let i = y * rowLen;
      const end = i + rowLen;
      let acc = a[i++];
      for (; i < end; i++) {
        acc = (acc + a[i]) & 0xffff;
        a[i] = acc;
      }
    }
    return;
  }
  for (let y = 0; y < rows; y++) {
    const end = (y + 1) * rowLen;
    for (let i = y * rowLen + spp; i < end; i++) a[i] = a[i] + a[i - spp];
  }
}

function accumulate32(a: Uint32Array, rowLen: number, rows: number, spp: number): void {
  for (let y = 0; y < rows; y++) {
    const end = (y + 1) * rowLen;
    for (let i = y * rowLen + spp; i < end; i++) a[i] = a[i] + a[i - spp];
  }
}

/**
 * Undoes predictor 3 (floating point): per row, bytes were split into planes most-significant first and then
 * byte-differenced. Writes host-order (little-endian) samples into `bytes`.
 */
export function undoFloatPredictor(bytes: Uint8Array, width: number, rows: number, spp: number, bytesPerSample: number): void {
  const rowBytes = width * spp * bytesPerSample;
  const count = width * spp;
  const tmp = new Uint8Array(rowBytes);
  for (let y = 0; y < rows; y++) {
    const base = y * rowBytes;
    for (let i = base + 1, end = base + rowBytes; i < end; i++) bytes[i] = bytes[i] + bytes[i - 1];
    tmp.set(bytes.subarray(base, base + rowBytes));
    for (let k = 0; k < count; k++) {
      for (let b = 0; b < bytesPerSample; b++) bytes[base + k * bytesPerSample + (bytesPerSample - 1 - b)] = tmp[b * count + k];
    }
  }
}
