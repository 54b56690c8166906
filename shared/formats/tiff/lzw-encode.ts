/**
 * TIFF-flavoured LZW compression (MSB-first codes, 9–12 bits, "early change": the code width grows one code
 * before the table fills, as libtiff writes it). Used by the TIFF encoder for samples and bench files.
 */
const CLEAR = 256;
const EOI = 257;
/** Table limit before a ClearCode is emitted; libtiff clears at 4094 so codes never exceed 12 bits. */
const MAX_CODE = 4093;

export function lzwEncode(input: Uint8Array): Uint8Array {
  // child[(prefix << 8) | byte] = code + 1 (0 = absent); touched entries are zeroed on ClearCode.
  const child = new Uint16Array(4096 * 256);
  const touched = new Int32Array(4096);
  let nTouched = 0;
  let out = new Uint8Array(Math.max(64, (input.length * 3) >> 1) + 16);
  let pos = 0;
  let bitBuf = 0;
  let bitCount = 0;
  let width = 9;
  let next = 258;
  const put = (code: number) => {
    bitBuf = (bitBuf << width) | code;
    bitCount += width;
    while (bitCount >= 8) {
      bitCount -= 8;
      if (pos >= out.length) {
        const grown = new Uint8Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[pos++] = (bitBuf >>> bitCount) & 0xff;
    }
    bitBuf &= (1 << bitCount) - 1;
  };
  put(CLEAR);
  if (input.length === 0) {
    put(EOI);
  } else {
    let prefix = input[0];
    for (let i = 1; i < input.length; i++) {
      const b = input[i];
      const key = (prefix << 8) | b;
      const c = child[key];
      if (c !== 0) {
        prefix = c - 1;
        continue;
      }
      put(prefix);
      child[key] = next + 1;
      touched[nTouched++] = key;
      next++;
      // Decoders switch width when the table reaches 511/1023/2047 entries (one early), so the encoder must too.
      if (next + 1 > 1 << width && width < 12) width++;
      if (next > MAX_CODE) {
        put(CLEAR);
        for (let k = 0; k < nTouched; k++) child[touched[k]] = 0;
        nTouched = 0;
        next = 258;
        width = 9;
      }
      prefix = b;
    }
    put(prefix);
    // The decoder adds an entry after this code too, so the width may have grown before EOI.
    if (next + 2 > 1 << width && width < 12) width++;
    put(EOI);
  }
  if (bitCount > 0) {
    if (pos >= out.length) {
      const grown = new Uint8Array(out.length + 1);
      grown.set(out);
      out = grown;
    }
    out[pos++] = (bitBuf << (8 - bitCount)) & 0xff;
  }
  return out.slice(0, pos);
}
