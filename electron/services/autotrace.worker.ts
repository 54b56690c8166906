import { parentPort } from 'node:worker_threads';
import { toAppError } from '../../shared/result';
import { AUTO_TRACE_MAX_PIXELS, tooLargeForOneTrace } from '../../shared/tracing/auto/window';
import type { AutotraceJob, AutotraceJobReply } from './autotrace-batch';
import { traceImageFile } from './trace-image-file';

// Body of the project batch's worker (autotrace-batch.ts): reads and traces one image per message, so the main
// process stays responsive and a cancel can terminate the work in the middle of an image.
const port = parentPort;
if (port) {
  port.on('message', async ({ id, path, request }: AutotraceJob) => {
    try {
      // A slide scan would exhaust the main process's memory: it is traced in the app, by windows (window.ts).
      const tooLarge = (width: number, height: number) =>
        width * height > AUTO_TRACE_MAX_PIXELS ? `${tooLargeForOneTrace(width, height)}: open it and trace it by clicks or by the part on screen.` : null;
      port.postMessage({ id, result: await traceImageFile(path, request, tooLarge) } satisfies AutotraceJobReply);
    } catch (e) {
      port.postMessage({ id, error: toAppError(e, 'unreadable').message } satisfies AutotraceJobReply);
    }
  });
}
