import { useEffect, useRef } from 'react';
import { Circle, Group, Layer, Line, Shape } from 'react-konva';
import type Konva from 'konva';
import { somaCenter } from '../../../shared/model/document';
import { branchPolyline, findNode, parentNode } from '../../../shared/model/queries';
import { spotsOnPath } from '../../../shared/tracing/auto/doubt-spots';
import { useViewer, type Camera } from '../stores/viewer-store';
import { useDoc } from '../stores/doc-store';
import { useAutoTrace } from '../tracing/autotrace-session';
import { TraceBitmapCache } from './trace-cache';

// Committed tracings: one custom Shape painting every neuron in screen px (trace-painter), the neurons not being
// edited through a bitmap reused while panning and zooming (trace-cache), above the selection halo. Nothing listens: hit testing is done on the model (shared/model/hit-test), never on Konva nodes.

function flat(points: ReadonlyArray<{ x: number; y: number }>): number[] {
  const out = new Array<number>(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    out[2 * i] = points[i].x;
    out[2 * i + 1] = points[i].y;
  }
  return out;
}

/**
 * Radius (screen px) of the second ring round each place in doubt on the uncertain path being checked: outside the
 * white ring every uncertain path's places get (SPOT_RING_PX), so the panel's "(ringed in blue)" points at this path's own.
 */
const CHECKED_SPOT_RING_PX = 16;

/** Highlight of the selected node, branch or neuron. */
function SelectionHighlight({ scale }: { scale: number }) {
  const doc = useDoc((s) => s.history.present);
  const sel = useDoc((s) => s.selection);
  const doubtful = useAutoTrace((s) => s.doubtful);
  if (!sel) return null;
  if (sel.kind === 'node') {
    const loc = findNode(doc, sel.nodeId);
    if (!loc) return null;
    return (
      <>
        <Line points={flat(branchPolyline(loc.neuron, loc.branch))} stroke="#ffffff" opacity={0.35} strokeWidth={7 / scale} lineCap="round" lineJoin="round" listening={false} />
        <Circle x={loc.node.x} y={loc.node.y} radius={6 / scale} stroke="#ffffff" strokeWidth={2 / scale} listening={false} />
      </>
    );
  }
  for (const n of doc.neurons) {
    if (sel.kind === 'neuron' && n.id === sel.neuronId && n.soma) {
      const c = somaCenter(n.soma);
      return <Circle x={c.x} y={c.y} radius={12 / scale} stroke="#ffffff" strokeWidth={2 / scale} dash={[4 / scale, 3 / scale]} listening={false} />;
    }
    for (const b of n.branches) {
      if (sel.kind === 'branch' && b.id === sel.branchId) {
        // A selected path is the subject of Delete, Y, R and the label keys: a clear halo along all of it, edged in
        // black so that it shows on a light image too (an inverted LUT, a MinIsWhite file: ddaC's white ground).
        // An uncertain path being checked: its own places in doubt ringed a second time, in blue edged in black.
        const points = flat(branchPolyline(n, b));
        const spots = doubtful.get(b.id)?.spots;
        const own = spots ? spotsOnPath(b.nodes, spots, parentNode(n, b) ?? null) : [];
        return (
          <>
            <Line points={points} stroke="#000000" opacity={0.5} strokeWidth={13 / scale} lineCap="round" lineJoin="round" listening={false} />
            <Line points={points} stroke="#ffffff" opacity={0.6} strokeWidth={9 / scale} lineCap="round" lineJoin="round" listening={false} />
            {own.map((p, k) => (
              <Group key={k} listening={false}>
                <Circle x={p.x} y={p.y} radius={CHECKED_SPOT_RING_PX / scale} stroke="#000000" opacity={0.6} strokeWidth={5 / scale} listening={false} />
                <Circle x={p.x} y={p.y} radius={CHECKED_SPOT_RING_PX / scale} stroke="#4fd1ff" strokeWidth={2.5 / scale} listening={false} />
              </Group>
            ))}
          </>
        );
      }
    }
  }
  return null;
}

export function TracesLayer({ cam }: { cam: Camera }) {
  const neurons = useDoc((s) => s.history.present.neurons);
  const doubtful = useAutoTrace((s) => s.doubtful);
  const viewport = useViewer((s) => s.viewport);
  // Tools that edit work on the active neuron: keep it out of the bitmap so its first edit repaints only itself.
  const editing = useViewer((s) => s.tool !== 'navigate' && s.tool !== 'calibrate');
  const activeId = useDoc((s) => s.activeNeuronId);
  const shape = useRef<Konva.Shape>(null);
  const cache = useRef<TraceBitmapCache | null>(null);
  useEffect(() => () => cache.current?.dispose(), []);
  const draw = (ctx: Konva.Context) => {
    cache.current ??= new TraceBitmapCache(() => shape.current?.getLayer()?.batchDraw());
    cache.current.paint(ctx._context, neurons, editing ? activeId : null, { ...cam, ...viewport }, doubtful, ctx.getCanvas().getPixelRatio());
  };
  return (
    <Layer listening={false}>
      <Group x={cam.x} y={cam.y} scaleX={cam.scale} scaleY={cam.scale}>
        <SelectionHighlight scale={cam.scale} />
      </Group>
      <Shape ref={shape} name="tracings" sceneFunc={draw} listening={false} perfectDrawEnabled={false} />
    </Layer>
  );
}
