// Page script for autotrace.bench.ts's Chromium figures (bundled by the bench; not part of the app): the bench's
// 1024² field traced inside a module worker, as renderer/src/workers/autotrace.worker.ts traces it in the app.
import { syntheticImage, syntheticNeurons } from '../../build/tools/synthetic-neuron';
import { somaCenter } from '../../shared/model/document';
import { AutoTracer } from '../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../shared/tracing/auto/prune-trace';
import { autoTraceImage } from '../../shared/tracing/auto/run';
import { signalFromPlane } from '../../shared/tracing/auto/signal';

export interface BrowserAutotrace {
  /** A click with nothing prepared, per run (ms). */
  cold: number[];
  /** Preparing the plane, per run (ms). */
  prepare: number[];
  /** A click on the prepared plane, per neuron, per run (ms). */
  clicks: number[][];
}

function measure(runs: number): BrowserAutotrace {
  const s = syntheticNeurons({ seed: 7, width: 1024, height: 1024, neurons: 4 });
  const image = syntheticImage(s);
  const somata = s.truth.neurons.map((n) => somaCenter(n.soma!));
  const time = (f: () => void) => {
    const t0 = performance.now();
    f();
    return performance.now() - t0;
  };
  const cold = Array.from({ length: runs }, () => time(() => autoTraceImage(image, { seeds: [somata[0]] })));
  let last: AutoTracer | undefined;
  const prepare = Array.from({ length: runs }, () =>
    time(() => {
      last = new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: image.info.calibration?.pixelWidth ?? null });
      last.prepare();
    }),
  );
  const t = last!;
  const clicks = somata.map((p) =>
    Array.from({ length: runs }, () =>
      time(() => {
        const seed = t.seedAt(p.x, p.y);
        pruneTrace(t.trace([seed], t.competitorsOf([seed])));
      }),
    ),
  );
  return { cold, prepare, clicks };
}

declare const WorkerGlobalScope: unknown;
if (typeof WorkerGlobalScope !== 'undefined') {
  const scope = self as unknown as { onmessage: ((e: MessageEvent<number>) => void) | null; postMessage: (m: unknown) => void };
  scope.onmessage = (e) => {
    try {
      scope.postMessage(measure(e.data));
    } catch (err) {
      scope.postMessage({ error: String(err) });
    }
  };
} else {
  // A fresh worker per measurement, as the app's tracing worker starts with nothing compiled or allocated.
  const runAutotrace = (runs: number) =>
    new Promise<BrowserAutotrace>((resolve, reject) => {
      const worker = new Worker('/page.js', { type: 'module' });
      worker.onmessage = (e: MessageEvent<BrowserAutotrace | { error: string }>) => {
        worker.terminate();
        if ('error' in e.data) reject(new Error(e.data.error));
        else resolve(e.data);
      };
      worker.postMessage(runs);
    });
  (globalThis as unknown as { runAutotrace: typeof runAutotrace }).runAutotrace = runAutotrace;
}
