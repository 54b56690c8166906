// Page script for decode.bench.ts's Chromium figures (bundled with esbuild by the bench; not part of the app).
// The same bundle runs twice: on the page, where it exposes runOnce, and as a module worker, where it decodes —
// the app decodes in renderer/src/workers/image.worker.ts, never on the page's main thread.
import { kernelsWasmAvailable } from '../../shared/formats/tiff/kernels-wasm';
import { BrowserDecodePool, defaultWorkerCount } from '../../renderer/src/workers/decode-pool';
import { decodeImage, decodeImageParallel } from '../../shared/image/decode';

interface Run {
  single: number;
  pooled: number;
  workers: number;
  same: boolean;
  kernel: string;
}

let pool: BrowserDecodePool | null = null;
const files = new Map<string, Uint8Array>();

/** In the worker: wall ms of one decodeImage and one decodeImageParallel (the image worker's two paths). */
async function measure(name: string): Promise<Run> {
  let bytes = files.get(name);
  if (!bytes) {
    bytes = new Uint8Array(await (await fetch(`/${name}.tif`)).arrayBuffer());
    files.set(name, bytes);
  }
  const workers = defaultWorkerCount();
  pool ??= new BrowserDecodePool(workers);
  const opts = { stats: false };
  let t = performance.now();
  const ref = decodeImage(bytes, opts);
  const single = performance.now() - t;
  t = performance.now();
  const pooled = await decodeImageParallel(bytes, pool, opts);
  const pooledMs = performance.now() - t;
  const same = ref.planes[0].every((v, i) => v === pooled.planes[0][i]);
  return { single, pooled: pooledMs, workers, same, kernel: kernelsWasmAvailable() ? 'WebAssembly' : 'fflate' };
}

declare const WorkerGlobalScope: unknown;
if (typeof WorkerGlobalScope !== 'undefined') {
  const scope = self as unknown as { onmessage: ((e: MessageEvent<string>) => void) | null; postMessage: (m: unknown) => void };
  scope.onmessage = (e) => void measure(e.data).then((r) => scope.postMessage(r), (err: unknown) => scope.postMessage({ error: String(err) }));
} else {
  const worker = new Worker('/page.js', { type: 'module' });
  const runOnce = (name: string) =>
    new Promise<Run>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<Run | { error: string }>) => ('error' in e.data ? reject(new Error(e.data.error)) : resolve(e.data));
      worker.postMessage(name);
    });
  (globalThis as unknown as { runOnce: typeof runOnce }).runOnce = runOnce;
}
