import { branchSignature, type Neuron } from '../model/document';
import { branchPolyline } from '../model/queries';

/** Length of a branch's polyline in px (from its parent node when it has one; a soma branch's stem excluded). */
function branchLength(neuron: Neuron, branch: Neuron['branches'][number]): number {
  const pts = branchPolyline(neuron, branch);
  let s = 0;
  for (let i = 1; i < pts.length; i++) s += Math.hypot(pts[i].x - pts[i - 1].x, pts[i].y - pts[i - 1].y);
  return s;
}

/**
 * Share (0–1) of a neuron's traced length made by the automatic tracer and unchanged since: branches listed in its
 * provenance whose nodes still have the recorded signature, by length, over all its branches. Null for a neuron
 * that was not traced automatically (or has no length).
 */
export function autoUnchangedShare(neuron: Neuron): number | null {
  if (!neuron.auto) return null;
  const recorded = new Map(neuron.auto.branches.map((b) => [b.branchId, b.signature]));
  let total = 0;
  let kept = 0;
  for (const b of neuron.branches) {
    const len = branchLength(neuron, b);
    total += len;
    if (recorded.get(b.id) === branchSignature(b)) kept += len;
  }
  return total > 0 ? kept / total : null;
}
