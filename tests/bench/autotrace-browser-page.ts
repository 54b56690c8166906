// Page script for autotrace.bench.ts's Chromium figures (bundled by the bench; not part of the app): the bench's
// fields traced inside a module worker, as renderer/src/workers/autotrace.worker.ts traces them in the app.
import type { AutoTracer } from '../../shared/tracing/auto/autotrace';
import { autoTraceImage } from '../../shared/tracing/auto/run';
import { traceField } from '../../shared/tracing/auto/trace-field';
import { clickOn, field, preparedTracer } from './autotrace-fields';

/**
 * What one fresh worker measures (ms): `click`, the 1024² field clicked with nothing prepared (`runs` times: the first
 * with nothing compiled yet), its plane prepared, and a click per neuron on it; `app`, the first thing the app's
 * worker does, its plane prepared when the Auto tool is chosen, then the first click; `field`, Detect on the 2048²
 * field with nothing prepared, then on its prepared plane.
 */
export type BrowserMeasure = 'click' | 'app' | 'field';

export interface BrowserAutotrace {
  /** A click (or Detect) with nothing prepared, per run. */
  cold: number[];
  /** Preparing the plane, per run. */
  prepare: number[];
  /** A click (or Detect) on the prepared plane, per neuron (one list for Detect), per run. */
  clicks: number[][];
  /** From `new Worker` to the worker's code loaded and run (what the app now spends when an image opens). */
  loadMs: number;
}

const time = (f: () => void) => {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
};

function measure(what: BrowserMeasure, runs: number): Omit<BrowserAutotrace, 'loadMs'> {
  if (what === 'field') {
    const { image } = field(2048);
    const cold = [time(() => autoTraceImage(image))];
    let t: AutoTracer | undefined;
    const prepare = [time(() => (t = preparedTracer(image)))];
    return { cold, prepare, clicks: [[time(() => traceField(t!))]] };
  }
  const { image, somata } = field(1024);
  if (what === 'app') {
    let t: AutoTracer | undefined;
    const prepare = [time(() => (t = preparedTracer(image)))];
    return { cold: [], prepare, clicks: [[time(() => clickOn(t!, somata[0]))]] };
  }
  const cold = Array.from({ length: runs }, () => time(() => autoTraceImage(image, { seeds: [somata[0]] })));
  let last: AutoTracer | undefined;
  const prepare = Array.from({ length: runs }, () => time(() => (last = preparedTracer(image))));
  const clicks = somata.map((p) => Array.from({ length: runs }, () => time(() => clickOn(last!, p))));
  return { cold, prepare, clicks };
}

declare const WorkerGlobalScope: unknown;
if (typeof WorkerGlobalScope !== 'undefined') {
  const scope = self as unknown as { onmessage: ((e: MessageEvent<{ what: BrowserMeasure; runs: number }>) => void) | null; postMessage: (m: unknown) => void };
  scope.onmessage = (e) => {
    try {
      scope.postMessage(measure(e.data.what, e.data.runs));
    } catch (err) {
      scope.postMessage({ error: String(err) });
    }
  };
  scope.postMessage({ ready: true });
} else {
  // A fresh worker per measurement, as the app's tracing worker starts with nothing compiled or allocated.
  const runAutotrace = (what: BrowserMeasure, runs: number) =>
    new Promise<BrowserAutotrace>((resolve, reject) => {
      const t0 = performance.now();
      let loadMs = 0;
      const worker = new Worker('/page.js', { type: 'module' });
      worker.onmessage = (e: MessageEvent<Omit<BrowserAutotrace, 'loadMs'> | { error: string } | { ready: true }>) => {
        if ('ready' in e.data) {
          loadMs = performance.now() - t0;
          return worker.postMessage({ what, runs });
        }
        worker.terminate();
        if ('error' in e.data) reject(new Error(e.data.error));
        else resolve({ ...e.data, loadMs });
      };
    });
  (globalThis as unknown as { runAutotrace: typeof runAutotrace }).runAutotrace = runAutotrace;
}
