import type { TraceNode } from '../../model/document';
import { distanceToPolyline } from '../path-metrics';
import type { DoubtSpot } from './auto-neuron';

/** How far from a path, px, a place the tracer doubted may lie and still be on it. */
const ON_PATH_PX = 3;

type Point = { x: number; y: number };

const memo = new WeakMap<readonly TraceNode[], { spots: readonly DoubtSpot[]; start: Point | null; on: readonly DoubtSpot[] }>();

/**
 * The places the tracer doubted (AutoBranch.spots) that a path still passes: all of them as traced, fewer once the
 * technician cut or moved the stretch they were on, all again when that is undone. The path is its nodes after
 * `start` (the node it leaves from, for a path on another). Read once per node list (paths are never changed in
 * place), so the canvas may ask on every frame.
 */
export function spotsOnPath(nodes: readonly TraceNode[], spots: readonly DoubtSpot[], start: Point | null = null): readonly DoubtSpot[] {
  if (spots.length === 0) return spots;
  const known = memo.get(nodes);
  if (known && known.spots === spots && known.start?.x === start?.x && known.start?.y === start?.y) return known.on;
  const line = (start ? [start, ...nodes] : nodes).map((p): [number, number] => [p.x, p.y]);
  const kept = spots.filter((p) => distanceToPolyline(p.x, p.y, line) <= ON_PATH_PX);
  const on = kept.length === spots.length ? spots : kept;
  memo.set(nodes, { spots, start: start && { x: start.x, y: start.y }, on });
  return on;
}
