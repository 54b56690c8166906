import type { TraceReply, TraceRequest, TraceWorkerMessage } from '../workers/trace-protocol';

type ReplyOf<T extends TraceRequest['type']> = Extract<TraceReply, { type: T }>['value'];

/** Promise-based access to the tracing worker. Messages are answered in order, so an anchor precedes its paths. */
export class TraceClient {
  private readonly worker = new Worker(new URL('../workers/trace.worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor() {
    this.worker.onmessage = (e: MessageEvent<TraceWorkerMessage>) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.reply.value);
      else p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    };
  }

  request<T extends TraceRequest['type']>(req: Extract<TraceRequest, { type: T }>, transfer: Transferable[] = []): Promise<ReplyOf<T>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, req }, transfer);
    });
  }
}

let client: TraceClient | null = null;
export const traceClient = () => (client ??= new TraceClient());
