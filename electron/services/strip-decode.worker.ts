import { parentPort } from 'node:worker_threads';
import { runStripJob, toStripJobError } from '../../shared/formats/tiff/strip-job';
import type { StripReply, StripRequest } from '../../shared/formats/tiff/strip-pool';
import { nativeInflate } from './native-inflate';

// Body of a NodeDecodePool worker (electron/services/decode-pool.ts): decodes runs of TIFF strips with native zlib.
const port = parentPort;
if (port) {
  port.on('message', ({ id, job }: StripRequest) => {
    try {
      const result = runStripJob(job, nativeInflate);
      port.postMessage({ id, result } satisfies StripReply, [result.data.buffer]);
    } catch (e) {
      port.postMessage({ id, error: toStripJobError(e) } satisfies StripReply);
    }
  });
}
