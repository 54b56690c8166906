/** Decodes a PackBits (Macintosh RLE) strip into `dst`; returns bytes written. Stops at the end of either buffer. */
export function packbitsDecode(src: Uint8Array, dst: Uint8Array): number {
  let ip = 0;
  let op = 0;
  const n = src.length;
  const cap = dst.length;
  while (ip < n && op < cap) {
    const h = src[ip++];
    if (h < 128) {
      const m = Math.min(h + 1, n - ip, cap - op);
      dst.set(src.subarray(ip, ip + m), op);
      ip += h + 1;
      op += m;
    } else if (h > 128) {
      if (ip >= n) break;
      const v = src[ip++];
      const m = Math.min(257 - h, cap - op);
      dst.fill(v, op, op + m);
      op += m;
    }
    // 128 is a no-op by definition.
  }
  return op;
}
