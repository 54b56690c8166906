/**
 * Promise-based calls into a Web Worker, for every worker the UI thread talks to. Each request carries an id the
 * worker echoes in its answer (or in progress messages). When the worker dies (an uncaught error, a script that
 * fails to load, a message that cannot be read), every pending call is rejected with a WorkerCrashedError, crash
 * listeners are told (the app shows it and restores what the worker held), and the next request starts a fresh
 * worker: nothing waits forever on a worker that is gone.
 */

/** What the helper needs of a Worker (a fake in unit tests). */
export interface WorkerPort {
  postMessage(message: unknown, transfer: Transferable[]): void;
  terminate(): void;
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  onmessageerror: ((e: MessageEvent) => void) | null;
}

/** The worker side of the protocol: an answer, a failure of one request, or progress of one request. */
export type WorkerAnswer<Reply> =
  | { id: number; ok: true; reply: Reply }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { id: number; progress: { phase: string; fraction: number } };

export class WorkerCrashedError extends Error {
  readonly code = 'worker-crashed';
  constructor(
    readonly worker: string,
    readonly reason: string,
  ) {
    super(`The ${worker} worker stopped: ${reason}`);
  }
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  onProgress?: (phase: string, fraction: number) => void;
}

type Tagged = { type: string };
type ValueOf<Reply, T> = Extract<Reply, { type: T }> extends { value: infer V } ? V : never;

export class WorkerRpc<Req extends Tagged, Reply extends Tagged & { value: unknown }> {
  private worker: WorkerPort | null = null;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private readonly crashListeners = new Set<(e: WorkerCrashedError) => void>();
  private restarts = 0;

  constructor(
    /** Named in messages to the user ("the tracing worker stopped"). */
    readonly name: string,
    private readonly spawn: () => WorkerPort,
  ) {}

  /** Bumped on every crash: state kept inside the worker (a decoded image, a cost image) is gone when it changes. */
  get generation(): number {
    return this.restarts;
  }

  /** Calls `listener` after each crash; returns the unsubscribe function. */
  onCrash(listener: (e: WorkerCrashedError) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  request<T extends Req['type']>(req: Extract<Req, { type: T }>, options: { transfer?: Transferable[]; onProgress?: (phase: string, fraction: number) => void } = {}): Promise<ValueOf<Reply, T>> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, onProgress: options.onProgress });
      try {
        worker.postMessage({ id, req }, options.transfer ?? []);
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /**
   * Starts the worker ahead of any request, so that its code is loaded (and compiled) by the time the first one comes;
   * the one running is kept.
   */
  start(): void {
    this.ensureWorker();
  }

  /** Stops the worker for good (pending calls are rejected). */
  dispose(): void {
    this.fail('it was closed', false);
  }

  /**
   * Stops whatever the worker is doing (a user's Cancel): it is terminated, pending calls reject with `error`, and the
   * next request starts a fresh worker. Not a crash: crash listeners are not told.
   */
  cancel(error: Error): void {
    const dead = this.worker;
    this.worker = null;
    dead?.terminate();
    const pending = [...this.pending.values()];
    this.pending = new Map();
    for (const p of pending) p.reject(error);
  }

  private ensureWorker(): WorkerPort {
    if (this.worker) return this.worker;
    const w = this.spawn();
    w.onmessage = (e: MessageEvent<WorkerAnswer<Reply>>) => this.answer(e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault?.();
      if (this.worker === w) this.fail(e.message || 'it failed to start', true);
    };
    w.onmessageerror = () => {
      if (this.worker === w) this.fail('a message from it could not be read', true);
    };
    this.worker = w;
    return w;
  }

  private answer(m: WorkerAnswer<Reply>): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if ('progress' in m) return p.onProgress?.(m.progress.phase, m.progress.fraction);
    this.pending.delete(m.id);
    if (m.ok) p.resolve(m.reply.value);
    else p.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
  }

  private fail(reason: string, crashed: boolean): void {
    const dead = this.worker;
    this.worker = null;
    dead?.terminate();
    const error = new WorkerCrashedError(this.name, reason);
    const pending = [...this.pending.values()];
    this.pending = new Map();
    for (const p of pending) p.reject(error);
    if (!crashed) return;
    this.restarts++;
    for (const listener of this.crashListeners) listener(error);
  }
}
