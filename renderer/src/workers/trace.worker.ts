/// <reference lib="webworker" />
import { toAppError } from '../../../shared/result';
import { TraceHandler } from './trace-handler';
import type { TraceRequest, TraceWorkerMessage } from './trace-protocol';

// After an anchor is set, the search runs on in slices between messages, so the preview near the anchor is
// immediate and far targets are usually settled before the cursor gets there (pathTo extends the search if not).
declare const self: DedicatedWorkerGlobalScope;

const handler = new TraceHandler((f) => setTimeout(f, 0));

self.onmessage = (e: MessageEvent<{ id: number; req: TraceRequest }>) => {
  const { id, req } = e.data;
  let m: TraceWorkerMessage;
  try {
    m = { id, ok: true, reply: handler.handle(req) };
  } catch (err) {
    m = { id, ok: false, error: toAppError(err, 'trace') };
  }
  self.postMessage(m);
};
