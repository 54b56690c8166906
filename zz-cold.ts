import { syntheticImage, syntheticNeurons } from './build/tools/synthetic-neuron';
import { somaCenter } from './shared/model/document';
import { autoTraceImage } from './shared/tracing/auto/run';
const s = syntheticNeurons({ seed: 7, width: 1024, height: 1024, neurons: 4 });
const image = syntheticImage(s);
const somata = s.truth.neurons.map((n) => somaCenter(n.soma!));
for (let k = 0; k < 4; k++) {
  const t0 = performance.now();
  const r = autoTraceImage(image, { seeds: [somata[0]] });
  console.log((performance.now() - t0).toFixed(0), JSON.stringify(Object.fromEntries(Object.entries(r.cache.timings).map(([k, v]) => [k, Math.round(v)]))));
}
