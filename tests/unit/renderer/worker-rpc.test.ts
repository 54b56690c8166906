import { describe, expect, it } from 'vitest';
import { WorkerCrashedError, WorkerRpc, type WorkerPort } from '../../../renderer/src/workers/worker-rpc';

type Req = { type: 'echo'; text: string } | { type: 'slow' };
type Reply = { type: 'echo'; value: string } | { type: 'slow'; value: number };

/** A stand-in worker: records what it was sent; the test decides what it answers and when it dies. */
class FakeWorker implements WorkerPort {
  sent: Array<{ id: number; req: Req }> = [];
  terminated = false;
  onmessage: ((e: MessageEvent) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  onmessageerror: ((e: MessageEvent) => void) | null = null;
  postMessage(m: unknown) {
    this.sent.push(m as { id: number; req: Req });
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  crash(message: string) {
    this.onerror?.({ message, preventDefault: () => undefined } as unknown as ErrorEvent);
  }
}

function rig() {
  const spawned: FakeWorker[] = [];
  const rpc = new WorkerRpc<Req, Reply>('test', () => {
    const w = new FakeWorker();
    spawned.push(w);
    return w;
  });
  return { rpc, spawned };
}

describe('worker RPC', () => {
  it('start spawns the worker ahead of any request, once; the first request is sent to it', async () => {
    const { rpc, spawned } = rig();
    rpc.start();
    rpc.start();
    expect(spawned).toHaveLength(1);
    expect(spawned[0].sent).toEqual([]);
    const a = rpc.request({ type: 'echo', text: 'a' });
    expect(spawned).toHaveLength(1);
    spawned[0].reply({ id: spawned[0].sent[0].id, ok: true, reply: { type: 'echo', value: 'A' } });
    await expect(a).resolves.toBe('A');
  });

  it('cancel stops the worker, rejects what was pending with the given error, is not a crash, and starts afresh', async () => {
    const { rpc, spawned } = rig();
    const crashes: string[] = [];
    rpc.onCrash((e) => crashes.push(e.message));
    const running = rpc.request({ type: 'slow' });
    rpc.cancel(Object.assign(new Error('Automatic tracing cancelled.'), { code: 'cancelled' }));
    await expect(running).rejects.toMatchObject({ message: 'Automatic tracing cancelled.', code: 'cancelled' });
    expect(spawned[0].terminated).toBe(true);
    expect(crashes).toEqual([]);
    expect(rpc.generation).toBe(0);
    const next = rpc.request({ type: 'echo', text: 'b' });
    expect(spawned).toHaveLength(2);
    spawned[1].reply({ id: spawned[1].sent[0].id, ok: true, reply: { type: 'echo', value: 'B' } });
    await expect(next).resolves.toBe('B');
  });

  it('answers each call by its id, with progress in between and errors as rejections', async () => {
    const { rpc, spawned } = rig();
    const progress: number[] = [];
    const a = rpc.request({ type: 'echo', text: 'a' }, { onProgress: (_p, f) => progress.push(f) });
    const b = rpc.request({ type: 'slow' });
    const w = spawned[0];
    expect(w.sent.map((m) => m.id)).toEqual([1, 2]);
    w.reply({ id: 1, progress: { phase: 'reading', fraction: 0.5 } });
    w.reply({ id: 2, ok: false, error: { code: 'not-ready', message: 'Tracing is not ready yet.' } });
    w.reply({ id: 1, ok: true, reply: { type: 'echo', value: 'A' } });
    await expect(a).resolves.toBe('A');
    await expect(b).rejects.toMatchObject({ message: 'Tracing is not ready yet.', code: 'not-ready' });
    expect(progress).toEqual([0.5]);
  });

  it('a crash rejects every pending call, is reported once, and the next call runs on a new worker', async () => {
    const { rpc, spawned } = rig();
    const crashes: string[] = [];
    rpc.onCrash((e) => crashes.push(e.message));
    const pending = [rpc.request({ type: 'slow' }), rpc.request({ type: 'echo', text: 'x' }), rpc.request({ type: 'slow' })];
    expect(rpc.generation).toBe(0);
    spawned[0].crash('out of memory');
    for (const p of pending) await expect(p).rejects.toBeInstanceOf(WorkerCrashedError);
    await expect(pending[0]).rejects.toMatchObject({ code: 'worker-crashed', message: 'The test worker stopped: out of memory' });
    expect(crashes).toEqual(['The test worker stopped: out of memory']);
    expect(spawned[0].terminated).toBe(true);
    expect(rpc.generation).toBe(1);

    // A late answer from the dead worker is ignored; the new worker answers the new call.
    spawned[0].reply({ id: 1, ok: true, reply: { type: 'slow', value: 1 } });
    const next = rpc.request({ type: 'echo', text: 'again' });
    expect(spawned).toHaveLength(2);
    const { id } = spawned[1].sent[0];
    spawned[1].reply({ id, ok: true, reply: { type: 'echo', value: 'fine' } });
    await expect(next).resolves.toBe('fine');
  });

  it('an unreadable message counts as a crash too', async () => {
    const { rpc, spawned } = rig();
    const p = rpc.request({ type: 'slow' });
    spawned[0].onmessageerror?.({} as MessageEvent);
    await expect(p).rejects.toMatchObject({ code: 'worker-crashed' });
    expect(rpc.generation).toBe(1);
  });

  it('dispose rejects pending calls without reporting a crash', async () => {
    const { rpc, spawned } = rig();
    let crashed = 0;
    rpc.onCrash(() => crashed++);
    const p = rpc.request({ type: 'slow' });
    rpc.dispose();
    await expect(p).rejects.toMatchObject({ code: 'worker-crashed' });
    expect(crashed).toBe(0);
    expect(spawned[0].terminated).toBe(true);
  });
});
