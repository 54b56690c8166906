import { buildNodeTree, scaleOf, type NeuronMeasurements } from '../../../shared/analysis';
import { shollIntersectionPoints } from '../../../shared/analysis/sholl-points';
import type { AnnotationDocument, BranchLabel, NeuronId } from '../../../shared/model/document';

/** What the canvas draws for the active neuron's Sholl analysis, in image px. */
export interface ShollGeometry {
  /** Sampled radii in measurement units (µm, or px when uncalibrated). */
  radii: number[];
  cx: number;
  cy: number;
  /** Each radius as ellipse half-axes in image px (pixels need not be square). */
  rx: number[];
  ry: number[];
  points: Array<{ x: number; y: number; radius: number }>;
  color: string;
}

/** Shells and crossing points of one neuron, from the measurement the panel shows (never a second Sholl run). */
export function shollGeometry(doc: AnnotationDocument, results: readonly NeuronMeasurements[], activeId: NeuronId | null, labels: readonly BranchLabel[] | null): ShollGeometry | null {
  const neuron = doc.neurons.find((n) => n.id === activeId);
  const m = results.find((r) => r.neuronId === activeId);
  if (!neuron || !m?.sholl || m.sholl.profile.length === 0) return null;
  const scale = scaleOf(doc.calibration);
  const radii = m.sholl.profile.map((p) => p.radius);
  const tree = buildNodeTree(neuron, scale, labels ?? undefined);
  const points = shollIntersectionPoints(tree, radii).map((p) => ({ x: p.x / scale.x, y: p.y / scale.y, radius: p.radius }));
  const c = m.sholl.centre;
  return { radii, cx: c.x / scale.x, cy: c.y / scale.y, rx: radii.map((r) => r / scale.x), ry: radii.map((r) => r / scale.y), points, color: neuron.color };
}
