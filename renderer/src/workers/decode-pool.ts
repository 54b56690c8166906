import { StripWorkerPool, type StripWorkerPort } from '../../../shared/formats/tiff/strip-pool';

/**
 * Strip-decoding Web Workers for the image worker (nested workers). Jobs carry copies of the compressed strips in
 * and the decoded bytes out as transferred buffers: SharedArrayBuffer would need cross-origin isolation.
 */
export class BrowserDecodePool extends StripWorkerPool {
  constructor(workers = defaultWorkerCount()) {
    super(spawnStripWorker, workers);
  }
}

/** The cores the browser reports, up to 4 (beyond that memory bandwidth, not CPU, limits); at least 1. */
export function defaultWorkerCount(): number {
  const n = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : 0;
  return Math.max(1, Math.min(4, n || 2));
}

function spawnStripWorker(): StripWorkerPort {
  const worker = new Worker(new URL('./strip.worker.ts', import.meta.url), { type: 'module', name: 'ramify-strip-decoder' });
  return {
    post: (req, transfer) => worker.postMessage(req, transfer),
    listen: (onReply, onFail) => {
      worker.onmessage = (e) => onReply(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        onFail(e.message || 'failed to start');
      };
      worker.onmessageerror = () => onFail('a message could not be read');
    },
    terminate: () => worker.terminate(),
  };
}
