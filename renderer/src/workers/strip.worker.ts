/// <reference lib="webworker" />
import { runStripJob, runStripJobAsync, toStripJobError } from '../../../shared/formats/tiff/strip-job';
import type { StripReply, StripRequest } from '../../../shared/formats/tiff/strip-pool';
import { hasStreamInflate, streamInflate } from '../../../shared/formats/tiff/stream-inflate';

// Decodes runs of TIFF strips for the image worker's decode pool (renderer/src/workers/decode-pool.ts). Deflate
// goes through the browser's native DecompressionStream when there is one, else fflate.
declare const self: DedicatedWorkerGlobalScope;

const native = hasStreamInflate();

self.onmessage = async (e: MessageEvent<StripRequest>) => {
  const { id, job } = e.data;
  try {
    const result = native ? await runStripJobAsync(job, streamInflate) : runStripJob(job);
    self.postMessage({ id, result } satisfies StripReply, [result.data.buffer]);
  } catch (err) {
    self.postMessage({ id, error: toStripJobError(err) } satisfies StripReply);
  }
};
