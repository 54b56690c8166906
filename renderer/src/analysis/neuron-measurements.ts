import { measureNeuron, scaleOf, type MeasureOptions, type NeuronMeasurements } from '../../../shared/analysis';
import type { AnnotationDocument, Neuron } from '../../../shared/model/document';

// Documents are immutable and an edit replaces only the neurons it touches, so a neuron object measured once with
// the same calibration and settings has the same measurements: an edit in a 40-neuron field measures one neuron.
const memo = new WeakMap<Neuron, { key: string; value: NeuronMeasurements }>();

/** measureDocument, reusing the measurements of every neuron object already measured with the same settings. */
export function measureNeuronsMemo(doc: AnnotationDocument, options: Omit<MeasureOptions, 'neuronIds'>): NeuronMeasurements[] {
  const key = JSON.stringify([doc.calibration, options.labels ?? null, options.sholl ?? null]);
  const scale = scaleOf(doc.calibration);
  return doc.neurons.map((n) => {
    const hit = memo.get(n);
    if (hit && hit.key === key) return hit.value;
    const value = measureNeuron(n, scale, options);
    memo.set(n, { key, value });
    return value;
  });
}
