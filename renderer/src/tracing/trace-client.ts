import type { TraceReply, TraceRequest } from '../workers/trace-protocol';
import { WorkerRpc } from '../workers/worker-rpc';

/** The tracing worker. Messages are answered in order, so an anchor precedes its paths. */
export type TraceClient = WorkerRpc<TraceRequest, TraceReply>;

let client: TraceClient | null = null;
export const traceClient = (): TraceClient =>
  (client ??= new WorkerRpc<TraceRequest, TraceReply>('tracing', () => new Worker(new URL('../workers/trace.worker.ts', import.meta.url), { type: 'module', name: 'ramify-trace' })));
