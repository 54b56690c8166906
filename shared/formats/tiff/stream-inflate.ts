import { inflateInto } from './inflate';

/** True where the Compression Streams API exists (Chromium, Node ≥ 18): native Deflate, several times fflate's speed. */
export const hasStreamInflate = (): boolean => typeof DecompressionStream === 'function';

/**
 * Deflate through DecompressionStream into `dst` (an AsyncInflateFn). Anything but a clean stream of exactly
 * dst.length bytes is redone with fflate, so damaged or oversized data gives the same bytes or the same error as the
 * single-threaded decoder.
 */
export async function streamInflate(src: Uint8Array, dst: Uint8Array): Promise<number> {
  const zlib = src.length >= 2 && (src[0] & 0x0f) === 8 && ((src[0] << 8) | src[1]) % 31 === 0;
  try {
    const ds = new DecompressionStream(zlib ? 'deflate' : 'deflate-raw');
    const writer = ds.writable.getWriter();
    writer.write(src as Uint8Array<ArrayBuffer>).catch(() => {});
    writer.close().catch(() => {});
    const reader = ds.readable.getReader();
    let at = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > dst.length) {
        void reader.cancel().catch(() => {});
        return inflateInto(src, dst);
      }
      dst.set(value, at);
      at += value.length;
    }
    return at === dst.length ? at : inflateInto(src, dst);
  } catch {
    return inflateInto(src, dst);
  }
}
