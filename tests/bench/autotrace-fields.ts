// The autotrace bench's fields and the app's click, shared by its Node figures (autotrace.bench.ts) and its Chromium
// page (autotrace-browser-page.ts), so that both time the same work.
import { syntheticImage, syntheticNeurons } from '../../build/tools/synthetic-neuron';
import type { DecodedImage } from '../../shared/image/types';
import { somaCenter } from '../../shared/model/document';
import { AutoTracer } from '../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../shared/tracing/auto/prune-trace';
import { signalFromPlane } from '../../shared/tracing/auto/signal';

/** A synthetic culture field of four neurons, size² px, and their cell bodies. */
export function field(size: number): { image: DecodedImage; somata: Array<{ x: number; y: number }> } {
  const s = syntheticNeurons({ seed: 7, width: size, height: size, neurons: 4 });
  return { image: syntheticImage(s), somata: s.truth.neurons.map((n) => somaCenter(n.soma!)) };
}

/** The tracer of an image's first plane at its own pixel size, as the app's worker builds it. */
export function tracerOf(image: DecodedImage): AutoTracer {
  return new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: image.info.calibration?.pixelWidth ?? null });
}

/** tracerOf with its plane prepared, as the app's worker has it once the Auto tool is chosen (AutoTracer.prepare). */
export function preparedTracer(image: DecodedImage): AutoTracer {
  const t = tracerOf(image);
  t.prepare();
  return t;
}

/** A click on a cell body of a prepared plane, as the app's worker answers it: search from it and its rivals, prune. */
export function clickOn(t: AutoTracer, p: { x: number; y: number }): void {
  const seed = t.seedAt(p.x, p.y);
  pruneTrace(t.trace([seed], t.competitorsOf([seed])));
}
