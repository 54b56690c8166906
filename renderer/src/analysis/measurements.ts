import { useMemo } from 'react';
import type { NeuronMeasurements } from '../../../shared/analysis';
import type { AnnotationDocument } from '../../../shared/model/document';
import { useDoc } from '../stores/doc-store';
import { useAnalysis, type AnalysisSettings } from './analysis-store';
import { measureNeuronsMemo } from './neuron-measurements';

export interface LiveMeasurements {
  results: NeuronMeasurements[];
  error: string | null;
  ms: number;
}

/**
 * Measures the document; invalid settings give a readable error instead of numbers. Neurons an edit did not replace
 * keep their measurements (measureNeuronsMemo), so `ms` is the time of the neurons actually measured.
 */
export function measureNow(doc: AnnotationDocument, s: AnalysisSettings): LiveMeasurements {
  const t0 = performance.now();
  if (!(s.step > 0)) return { results: [], error: 'The Sholl step must be a positive number.', ms: 0 };
  if (!(s.start >= 0)) return { results: [], error: 'The Sholl start radius cannot be negative.', ms: 0 };
  if (s.end !== null && !(s.end > s.start)) return { results: [], error: 'The Sholl end radius must be larger than the start.', ms: 0 };
  try {
    const results = measureNeuronsMemo(doc, { labels: s.labels ?? undefined, sholl: { start: s.start, step: s.step, end: s.end ?? undefined } });
    return { results, error: null, ms: performance.now() - t0 };
  } catch (e) {
    return { results: [], error: (e as Error).message, ms: 0 };
  }
}

/** Measurements of the current document, recomputed on every edit or settings change (memoized by identity). */
export function useMeasurements(): LiveMeasurements {
  const doc = useDoc((s) => s.history.present);
  const start = useAnalysis((s) => s.start);
  const step = useAnalysis((s) => s.step);
  const end = useAnalysis((s) => s.end);
  const labels = useAnalysis((s) => s.labels);
  return useMemo(() => measureShared(doc, start, step, end, labels), [doc, start, step, end, labels]);
}

// The panel and both Sholl canvas layers show the same numbers: measure once per document and settings.
let last: { doc: AnnotationDocument; key: string; value: LiveMeasurements } | null = null;

function measureShared(doc: AnnotationDocument, start: number, step: number, end: number | null, labels: AnalysisSettings['labels']): LiveMeasurements {
  const key = JSON.stringify([start, step, end, labels]);
  if (last && last.doc === doc && last.key === key) return last.value;
  const value = measureNow(doc, { start, step, end, labels, showCircles: false, showFit: false });
  last = { doc, key, value };
  return value;
}
