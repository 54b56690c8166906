import { RamifyError } from '../../result';
import type { StripDecodePool } from './decode-parallel';
import { type StripJob, type StripJobError, type StripResult, fromStripJobError } from './strip-job';

/** A message sent to a strip worker. */
export interface StripRequest {
  id: number;
  job: StripJob;
}

/** A strip worker's answer to the request with the same id. */
export type StripReply = { id: number; result: StripResult } | { id: number; error: StripJobError };

/** The little a pool needs of a worker (a Web Worker or a worker_threads Worker, adapted). */
export interface StripWorkerPort {
  /** Posts a request, transferring the listed buffers. */
  post(req: StripRequest, transfer: ArrayBuffer[]): void;
  /** Registers the reply handler and the handler for the worker dying (crash, failed start). */
  listen(onReply: (r: StripReply) => void, onFail: (why: string) => void): void;
  /** Called while a job runs (true) and when the worker goes idle (false); Node uses it to ref/unref. */
  setBusy?(busy: boolean): void;
  terminate(): void | Promise<unknown>;
}

interface Slot {
  port: StripWorkerPort;
  busy: { resolve: (r: StripResult) => void; reject: (e: Error) => void } | null;
}

/**
 * A fixed number of workers, each running one job at a time from a shared queue (so a slow strip run does not hold
 * up the others). Workers start on first use; a worker that dies fails its job and is replaced on the next one.
 */
export class StripWorkerPool implements StripDecodePool {
  readonly concurrency: number;
  private slots: Slot[] = [];
  private queue: Array<{ job: StripJob; resolve: (r: StripResult) => void; reject: (e: Error) => void }> = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly spawn: () => StripWorkerPort,
    workers: number,
  ) {
    this.concurrency = Math.max(1, Math.floor(workers));
  }

  /** Starts all workers now, so their start-up overlaps other work (reading the file). */
  warm(): void {
    while (!this.closed && this.slots.length < this.concurrency) this.slots.push(this.start());
  }

  decodeStrips(job: StripJob): Promise<StripResult> {
    if (this.closed) return Promise.reject(new RamifyError('internal', 'The decoding workers have been shut down.'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
  }

  /** Stops all workers; queued and running jobs fail. */
  async close(): Promise<void> {
    this.closed = true;
    const gone = new RamifyError('internal', 'The decoding workers have been shut down.');
    for (const q of this.queue.splice(0)) q.reject(gone);
    const slots = this.slots.splice(0);
    for (const s of slots) s.busy?.reject(gone);
    await Promise.all(slots.map((s) => s.port.terminate()));
  }

  private pump(): void {
    this.warm();
    for (const slot of this.slots) {
      const next = slot.busy ? undefined : this.queue.shift();
      if (!next) continue;
      slot.busy = { resolve: next.resolve, reject: next.reject };
      slot.port.setBusy?.(true);
      try {
        slot.port.post({ id: this.nextId++, job: next.job }, [next.job.src.buffer]);
      } catch (e) {
        slot.busy = null;
        next.reject(e instanceof Error ? e : new Error(String(e)));
      }
    }
  }

  private start(): Slot {
    const port = this.spawn();
    const slot: Slot = { port, busy: null };
    const settle = () => {
      const busy = slot.busy;
      slot.busy = null;
      port.setBusy?.(false);
      return busy;
    };
    port.listen(
      (reply) => {
        const busy = settle();
        if (busy) {
          if ('result' in reply) busy.resolve(reply.result);
          else busy.reject(fromStripJobError(reply.error));
        }
        this.pump();
      },
      (why) => {
        if (!this.slots.includes(slot)) return;
        this.slots = this.slots.filter((s) => s !== slot);
        settle()?.reject(new RamifyError('internal', `A decoding worker stopped: ${why}.`));
        void port.terminate();
        if (!this.closed && this.queue.length > 0) this.pump();
      },
    );
    return slot;
  }
}
