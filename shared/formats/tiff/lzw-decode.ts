import { RamifyError } from '../../result';

// Every table string is a run of bytes already written to the output, so an entry is just (offset, length):
// no per-code allocation and no prefix-chain walk. Module-level tables are reused; decoding is synchronous.
const entryStart = new Int32Array(4096);
const entryLength = new Int32Array(4096);

/**
 * Decodes one TIFF LZW strip or tile into `dst` and returns the number of bytes written. Stops at EndOfInformation,
 * at the end of the input, or when `dst` is full (extra data is ignored, as libtiff does).
 */
export function lzwDecode(src: Uint8Array, dst: Uint8Array): number {
  if (src.length >= 2 && src[0] === 0 && (src[1] & 1) === 1) {
    throw new RamifyError('unsupported', 'TIFF compression LZW in the pre-1992 bit order (old-style LZW) is not supported — re-save the image with a current tool.');
  }
  const starts = entryStart;
  const lens = entryLength;
  const n = src.length;
  const cap = dst.length;
  let ip = 0;
  let bitBuf = 0;
  let bits = 0;
  let width = 9;
  let mask = 511;
  let next = 258;
  let pos = 0;
  let prevStart = -1;
  let prevLen = 0;
  for (;;) {
    // Refill 16 bits at a time: at most 11 bits remain, so 27 live bits fit the 32-bit buffer (higher bits are
    // shifted out and never read).
    if (bits < width) {
      if (ip + 1 < n) {
        bitBuf = (bitBuf << 16) | (src[ip] << 8) | src[ip + 1];
        ip += 2;
        bits += 16;
      } else {
        while (bits < width && ip < n) {
          bitBuf = (bitBuf << 8) | src[ip++];
          bits += 8;
        }
        if (bits < width) break; // out of data without EndOfInformation: keep what we have
      }
    }
    bits -= width;
    const code = (bitBuf >>> bits) & mask;
    let len: number;
    if (code < 256) {
      if (pos >= cap) break;
      dst[pos] = code;
      len = 1;
    } else if (code >= 258) {
      let s: number;
      if (code < next) {
        s = starts[code];
        len = lens[code];
      } else if (code === next && prevStart >= 0) {
        // KwKwK: previous string plus its first byte. The previous string ends exactly at `pos`, so a forward
        // byte copy of prevLen + 1 bytes from prevStart produces it (the last byte reads the one just written).
        s = prevStart;
        len = prevLen + 1;
      } else {
        throw new RamifyError('corrupt', `Corrupt TIFF: LZW code ${code} is not in the table (next free ${next}).`);
      }
      if (pos + len > cap) {
        for (let k = 0; pos + k < cap; k++) dst[pos + k] = dst[s + k];
        pos = cap;
        break;
      }
      for (let k = 0; k < len; k++) dst[pos + k] = dst[s + k];
    } else if (code === 256) {
      next = 258;
      width = 9;
      mask = 511;
      prevStart = -1;
      continue;
    } else break; // 257: EndOfInformation
    if (prevStart >= 0 && next < 4096) {
      starts[next] = prevStart;
      lens[next] = prevLen + 1;
      next++;
      // "Early change": the code width grows one entry before the table reaches the next power of two.
      if (next >= mask && width < 12) {
        width++;
        mask = (mask << 1) | 1;
      }
    }
    prevStart = pos;
    prevLen = len;
    pos += len;
  }
  return pos;
}
