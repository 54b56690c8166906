/// <reference lib="webworker" />
import { runStripJob, toStripJobError } from '../../../shared/formats/tiff/strip-job';
import type { StripReply, StripRequest } from '../../../shared/formats/tiff/strip-pool';

// Decodes runs of TIFF strips for the image worker's decode pool (renderer/src/workers/decode-pool.ts). Deflate goes
// through the WebAssembly kernel (fflate where WebAssembly is blocked): one DecompressionStream per strip cost more
// in promise and chunk overheads than the decompression itself.
declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<StripRequest>) => {
  const { id, job } = e.data;
  try {
    const result = runStripJob(job);
    self.postMessage({ id, result } satisfies StripReply, [result.data.buffer]);
  } catch (err) {
    self.postMessage({ id, error: toStripJobError(err) } satisfies StripReply);
  }
};
