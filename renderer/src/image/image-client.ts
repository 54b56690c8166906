import type { ImageReply, ImageRequest, WorkerMessage } from '../workers/image-protocol';

type ReplyOf<T extends ImageRequest['type']> = Extract<ImageReply, { type: T }>['value'];

/** Promise-based access to the image worker; progress callbacks are per request. */
export class ImageClient {
  private readonly worker = new Worker(new URL('../workers/image.worker.ts', import.meta.url), { type: 'module' });
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error & { code?: string }) => void; onProgress?: (phase: string, f: number) => void }>();

  constructor() {
    this.worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
      const m = e.data;
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('progress' in m) return p.onProgress?.(m.progress.phase, m.progress.fraction);
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.reply.value);
      else p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    };
    this.worker.onerror = (e) => {
      for (const p of this.pending.values()) p.reject(new Error(`The image worker failed: ${e.message}`));
      this.pending.clear();
    };
  }

  request<T extends ImageRequest['type']>(req: Extract<ImageRequest, { type: T }>, onProgress?: (phase: string, fraction: number) => void): Promise<ReplyOf<T>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress });
      this.worker.postMessage({ id, req });
    });
  }
}

let client: ImageClient | null = null;
export const imageClient = () => (client ??= new ImageClient());
