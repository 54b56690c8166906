import type { AnnotationDocument, BranchId, NeuronId, NodeId } from './document';
import { nodeTree, parentNode, type NodeTree } from './queries';
import { neuronGeometry } from './segment-index';

/** A node under the pointer. */
export interface NodeHit {
  kind: 'node';
  /** Neuron holding the node. */
  neuronId: NeuronId;
  /** Branch holding the node. */
  branchId: BranchId;
  /** The node hit. */
  nodeId: NodeId;
  /** Index of the node in its branch's nodes. */
  index: number;
  /** The node's position, image px. */
  point: { x: number; y: number };
  /** Distance from the query point to the node, image px. */
  distance: number;
}

/** A segment under the pointer (no node close enough). */
export interface SegmentHit {
  kind: 'segment';
  /** Neuron holding the segment. */
  neuronId: NeuronId;
  /** Branch the segment belongs to (for a branch on a node, its first segment starts at the parent node). */
  branchId: BranchId;
  /** Segment k ends at branch.nodes[k] (see segmentEnds); pass it to insertNode / addBranchOnSegment as is. */
  segmentIndex: number;
  /** Proximal end of the segment. */
  fromNodeId: NodeId;
  /** Distal end of the segment (branch.nodes[segmentIndex]). */
  toNodeId: NodeId;
  /** Position of the projection along the segment, 0 = from, 1 = to. */
  t: number;
  /** The query point projected onto the segment, image px: where a node inserted there goes. */
  point: { x: number; y: number };
  /** Distance from the query point to the segment, image px. */
  distance: number;
}

export type Hit = NodeHit | SegmentHit;

/**
 * Which nodes a hit may return. 'all': every vertex. 'markers': only the nodes drawn as markers at every zoom, tips
 * (no children) and branch points (≥ 2 children); a click elsewhere on a path hits its segment. Selecting with the
 * mouse uses 'markers' while interior vertices are not drawn, so a click on a line selects the line, not an
 * invisible vertex that happens to lie under the cursor.
 */
export type HitNodes = 'all' | 'markers';

/** True when the node is drawn as a tip or branch-point marker (see HitNodes). */
export function isMarkerNode(tree: NodeTree, nodeId: NodeId): boolean {
  const kids = tree.childrenOf.get(nodeId)?.length ?? 0;
  return kids === 0 || kids >= 2;
}

/**
 * Nearest node within `tolerancePx` of `point`, else nearest segment within it; undefined when nothing is close.
 * Nodes take precedence over segments so that a node stays grabbable where its segments meet. Distances are in the
 * image plane (z ignored); the tolerance is in image px (divide a screen tolerance by the zoom). Ties go to the
 * first in document order. Candidates come from each neuron's spatial index (built once per neuron object), so a
 * click costs O(log N + nearby nodes) after the first. `nodes` limits which nodes count (segments are always hit).
 */
export function hitTest(doc: AnnotationDocument, point: { x: number; y: number }, tolerancePx: number, nodes: HitNodes = 'all'): Hit | undefined {
  if (!(tolerancePx >= 0) || !Number.isFinite(point.x) || !Number.isFinite(point.y)) return undefined;
  const px = point.x;
  const py = point.y;
  // Squared distances in the loop: Math.hypot is several times slower than a multiply-add.
  const tol2 = tolerancePx * tolerancePx;
  let bestNode: NodeHit | undefined;
  let bestNodeD = tol2;
  let bestSeg: SegmentHit | undefined;
  let bestSegD = tol2;
  // Exactly the candidates a full scan would accept: whatever lies within the tolerance meets the query box. The
  // margin only guards against rounding in px ± tolerance.
  const r = tolerancePx * (1 + 1e-9) + 1e-9;
  for (const neuron of doc.neurons) {
    const tree = nodes === 'markers' ? nodeTree(neuron) : null;
    const g = neuronGeometry(neuron);
    const items = g.search(px - r, py - r, px + r, py + r);
    for (let k = 0; k < items.length; k++) {
      const b = g.branchOf[items[k]];
      const i = g.nodeOf[items[k]];
      const branch = neuron.branches[b];
      const n = branch.nodes[i];
      const prev = i > 0 ? branch.nodes[i - 1] : parentNode(neuron, branch);
      const ex = n.x - px;
      const ey = n.y - py;
      const d = ex * ex + ey * ey;
      if ((d < bestNodeD || (d === bestNodeD && !bestNode)) && (!tree || isMarkerNode(tree, n.id))) {
        bestNodeD = d;
        bestNode = { kind: 'node', neuronId: neuron.id, branchId: branch.id, nodeId: n.id, index: i, point: { x: n.x, y: n.y }, distance: Math.sqrt(d) };
      }
      if (prev && !bestNode) {
        const dx = n.x - prev.x;
        const dy = n.y - prev.y;
        const len2 = dx * dx + dy * dy;
        const t = len2 > 0 ? Math.min(1, Math.max(0, ((px - prev.x) * dx + (py - prev.y) * dy) / len2)) : 0;
        const qx = prev.x + t * dx;
        const qy = prev.y + t * dy;
        const ds = (qx - px) * (qx - px) + (qy - py) * (qy - py);
        if (ds < bestSegD || (ds === bestSegD && !bestSeg)) {
          bestSegD = ds;
          bestSeg = {
            kind: 'segment', neuronId: neuron.id, branchId: branch.id, segmentIndex: i, fromNodeId: prev.id, toNodeId: n.id,
            t, point: { x: qx, y: qy }, distance: Math.sqrt(ds),
          };
        }
      }
    }
  }
  return bestNode ?? bestSeg;
}
