/// <reference lib="webworker" />
import { inflateInto } from '../../../shared/formats/tiff/inflate';
import { runStripJob, runStripJobAsync, toStripJobError } from '../../../shared/formats/tiff/strip-job';
import type { StripReply, StripRequest } from '../../../shared/formats/tiff/strip-pool';

// Decodes runs of TIFF strips for the image worker's decode pool (renderer/src/workers/decode-pool.ts).
declare const self: DedicatedWorkerGlobalScope;

const hasNativeInflate = typeof DecompressionStream === 'function';

/**
 * Deflate through the browser's native DecompressionStream (several times faster than fflate). Anything but a clean
 * stream of exactly dst.length bytes is redone with fflate, so damaged data gives the same bytes or error as the
 * single-threaded decoder.
 */
async function nativeInflate(src: Uint8Array, dst: Uint8Array): Promise<number> {
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

self.onmessage = async (e: MessageEvent<StripRequest>) => {
  const { id, job } = e.data;
  try {
    const result = hasNativeInflate ? await runStripJobAsync(job, nativeInflate) : runStripJob(job);
    self.postMessage({ id, result } satisfies StripReply, [result.data.buffer]);
  } catch (err) {
    self.postMessage({ id, error: toStripJobError(err) } satisfies StripReply);
  }
};
