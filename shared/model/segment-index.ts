import Flatbush from 'flatbush';
import type { Neuron } from './document';
import { parentNode } from './queries';

/**
 * Geometry of one neuron derived once per neuron object: documents are immutable and an edit replaces only the
 * neuron it touches, so the 39 untouched neurons of a 40-neuron field keep their geometry, index included.
 * Item k is one node in document order (branch order, then node order), boxed together with the segment that
 * ends at it; a spatial query therefore finds every node and segment near a point or inside a rectangle.
 */
export class NeuronGeometry {
  /** Drawn polyline of each branch as flat x, y: the parent node first for a branch on a node, then its nodes. */
  readonly lines: Float64Array[] = [];
  /** 1 when lines[b] starts with the parent node: node i of branch b is point i + offset[b] of lines[b]. */
  readonly offset: Uint8Array;
  /** minX, minY, maxX, maxY of each branch's polyline. */
  readonly branchBoxes: Float64Array;
  /** Box of every polyline; min > max when the neuron has no nodes. */
  readonly box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  /** Branch index and node index of item k. */
  readonly branchOf: Uint32Array;
  readonly nodeOf: Uint32Array;
  private flatbush: Flatbush | null | undefined;

  constructor(readonly neuron: Neuron) {
    const nb = neuron.branches.length;
    this.offset = new Uint8Array(nb);
    this.branchBoxes = new Float64Array(4 * nb);
    let items = 0;
    for (let b = 0; b < nb; b++) {
      const branch = neuron.branches[b];
      const start = parentNode(neuron, branch);
      const off = start ? 1 : 0;
      const line = new Float64Array(2 * (branch.nodes.length + off));
      if (start) {
        line[0] = start.x;
        line[1] = start.y;
      }
      let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
      for (let i = 0; i < branch.nodes.length; i++) {
        const n = branch.nodes[i];
        line[2 * (i + off)] = n.x;
        line[2 * (i + off) + 1] = n.y;
      }
      for (let i = 0; i < line.length; i += 2) {
        if (line[i] < minX) minX = line[i];
        if (line[i] > maxX) maxX = line[i];
        if (line[i + 1] < minY) minY = line[i + 1];
        if (line[i + 1] > maxY) maxY = line[i + 1];
      }
      this.branchBoxes.set([minX, minY, maxX, maxY], 4 * b);
      this.box.minX = Math.min(this.box.minX, minX);
      this.box.minY = Math.min(this.box.minY, minY);
      this.box.maxX = Math.max(this.box.maxX, maxX);
      this.box.maxY = Math.max(this.box.maxY, maxY);
      this.lines.push(line);
      this.offset[b] = off;
      items += branch.nodes.length;
    }
    this.branchOf = new Uint32Array(items);
    this.nodeOf = new Uint32Array(items);
    let k = 0;
    for (let b = 0; b < nb; b++)
      for (let i = 0; i < neuron.branches[b].nodes.length; i++, k++) {
        this.branchOf[k] = b;
        this.nodeOf[k] = i;
      }
  }

  /** The R-tree over items, built on first use (a neuron being dragged is drawn whole and never needs it). */
  private tree(): Flatbush | null {
    if (this.flatbush !== undefined) return this.flatbush;
    if (this.branchOf.length === 0) return (this.flatbush = null);
    const fb = new Flatbush(this.branchOf.length);
    for (let k = 0; k < this.branchOf.length; k++) {
      const line = this.lines[this.branchOf[k]];
      const p = 2 * (this.nodeOf[k] + this.offset[this.branchOf[k]]);
      const x = line[p];
      const y = line[p + 1];
      if (p >= 2) fb.add(Math.min(x, line[p - 2]), Math.min(y, line[p - 1]), Math.max(x, line[p - 2]), Math.max(y, line[p - 1]));
      else fb.add(x, y, x, y);
    }
    fb.finish();
    return (this.flatbush = fb);
  }

  /** Items whose node or incoming segment has a box meeting the rectangle, in document order. */
  search(minX: number, minY: number, maxX: number, maxY: number): Uint32Array {
    const fb = this.tree();
    if (!fb) return new Uint32Array(0);
    return Uint32Array.from(fb.search(minX, minY, maxX, maxY)).sort();
  }
}

const cache = new WeakMap<Neuron, NeuronGeometry>();

/** The neuron's geometry and spatial index, memoized by neuron identity. */
export function neuronGeometry(neuron: Neuron): NeuronGeometry {
  let g = cache.get(neuron);
  if (!g) {
    g = new NeuronGeometry(neuron);
    cache.set(neuron, g);
  }
  return g;
}
