import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { decodeImage, readImageInfo } from '../../shared/image/decode';
import { RamifyError, toAppError } from '../../shared/result';
import { AUTO_TRACE_MAX_PIXELS, tooLargeForOneTrace } from '../../shared/tracing/auto/window';
import { autoTraceImage } from '../../shared/tracing/auto/run';
import type { AutotraceJob, AutotraceJobReply } from './autotrace-batch';

// Body of the project batch's worker (autotrace-batch.ts): reads, decodes and traces one image per message, so the
// main process stays responsive and a cancel can terminate the work in the middle of an image.
const port = parentPort;
if (port) {
  port.on('message', async ({ id, path, request }: AutotraceJob) => {
    try {
      const bytes = new Uint8Array(await readFile(path));
      // A slide scan would exhaust the main process's memory: it is traced in the app, by windows (window.ts).
      const { width, height } = readImageInfo(bytes);
      if (width * height > AUTO_TRACE_MAX_PIXELS) {
        throw new RamifyError('invalid-argument', `${tooLargeForOneTrace(width, height)}: open it and trace it by clicks or by the part on screen.`);
      }
      const image = decodeImage(bytes);
      const r = autoTraceImage(image, request);
      port.postMessage({ id, result: { neurons: r.neurons, parameters: r.parameters, width: image.info.width, height: image.info.height, calibration: image.info.calibration, ms: r.timings.totalMs } } satisfies AutotraceJobReply);
    } catch (e) {
      port.postMessage({ id, error: toAppError(e, 'unreadable').message } satisfies AutotraceJobReply);
    }
  });
}
