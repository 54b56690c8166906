import { RamifyError } from '../../result';
import { lzwCodeError, lzwDecodeWasm, lzwWasmAvailable } from './lzw-wasm';

// Every table string is a run of bytes already in the output, so an entry is just (offset, length): no per-code
// allocation and no prefix-chain walk. Decoding goes into a scratch buffer that starts with the 256 single-byte
// strings, so literals are table entries like any other and every code is one copy (no literal/string branch).
// Tables and the scratch buffer are module-level and reused; decoding is synchronous.
const LITERALS = 256;
/** Bytes past the end of the output that the fixed 4-byte copy may scribble on. */
const SLACK = 8;
/** Scratch buffers up to this size are kept between calls (typical strips are 8–64 KiB). */
const KEEP_SCRATCH = 1 << 20;
const entryStart = new Int32Array(4096);
const entryLength = new Int32Array(4096);
for (let i = 0; i < LITERALS; i++) {
  entryStart[i] = i;
  entryLength[i] = 1;
}
let kept = newScratch(1 << 16);

function newScratch(outBytes: number): Uint8Array {
  const s = new Uint8Array(LITERALS + outBytes + SLACK);
  for (let i = 0; i < LITERALS; i++) s[i] = i;
  return s;
}

/**
 * Decodes one TIFF LZW strip or tile into `dst` and returns the number of bytes written. Stops at EndOfInformation,
 * at the end of the input, or when `dst` is full (extra data is ignored, as libtiff does).
 */
export function lzwDecode(src: Uint8Array, dst: Uint8Array): number {
  // The WebAssembly kernel (lzw-wasm.ts) is byte-identical and faster; this JS decoder is the fallback.
  if (lzwWasmAvailable()) {
    rejectOldStyle(src);
    return lzwDecodeWasm(src, dst);
  }
  return lzwDecodeJs(src, dst);
}

function rejectOldStyle(src: Uint8Array): void {
  if (src.length >= 2 && src[0] === 0 && (src[1] & 1) === 1) {
    throw new RamifyError('unsupported', 'TIFF compression LZW in the pre-1992 bit order (old-style LZW) is not supported — re-save the image with a current tool.');
  }
}

/** lzwDecode in plain JavaScript, used where WebAssembly is unavailable. */
export function lzwDecodeJs(src: Uint8Array, dst: Uint8Array): number {
  rejectOldStyle(src);
  const cap = dst.length;
  let w = kept;
  if (w.length < LITERALS + cap + SLACK) {
    w = newScratch(cap);
    if (cap <= KEEP_SCRATCH) kept = w;
  }
  const starts = entryStart;
  const lens = entryLength;
  const n = src.length;
  const end = LITERALS + cap;
  let ip = 0;
  let bitBuf = 0;
  let bits = 0;
  let width = 9;
  let mask = 511;
  let next = 258;
  let pos = LITERALS;
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
    let s: number;
    let len: number;
    if (code < next && (code < 256 || code > 257)) {
      s = starts[code];
      len = lens[code];
    } else if (code === 256) {
      next = 258;
      width = 9;
      mask = 511;
      prevStart = -1;
      continue;
    } else if (code === 257) {
      break; // EndOfInformation
    } else if (code === next && prevStart >= 0) {
      // KwKwK: previous string plus its first byte. The previous string ends exactly at `pos`, so a forward
      // byte copy of prevLen + 1 bytes from prevStart produces it (the last byte reads the one just written).
      s = prevStart;
      len = prevLen + 1;
    } else {
      throw lzwCodeError(code, next);
    }
    if (pos + len > end) {
      for (let k = 0; pos + k < end; k++) w[pos + k] = w[s + k];
      pos = end;
      break;
    }
    // Most strings are 1–4 bytes: copy 4 unconditionally (bytes past len are overwritten by the next code or lie
    // in the slack), then the rest. Forward order keeps the KwKwK case right.
    w[pos] = w[s];
    w[pos + 1] = w[s + 1];
    w[pos + 2] = w[s + 2];
    w[pos + 3] = w[s + 3];
    for (let k = 4; k < len; k++) w[pos + k] = w[s + k];
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
  dst.set(w.subarray(LITERALS, pos));
  return pos - LITERALS;
}
