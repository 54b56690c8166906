import { useMemo } from 'react';
import { Group, Layer, Shape } from 'react-konva';
import type Konva from 'konva';
import { useAnalysis } from '../analysis/analysis-store';
import { useMeasurements } from '../analysis/measurements';
import { shollGeometry, type ShollGeometry } from '../analysis/sholl-geometry';
import { useDoc } from '../stores/doc-store';
import type { Camera } from '../stores/viewer-store';

/**
 * The Sholl shells and crossing points of the active neuron, computed once per edit or settings change. The canvas
 * calls this once and hands the result to both ShollLayers (circles under the tracing, points above it).
 */
export function useShollGeometry(): ShollGeometry | null {
  const show = useAnalysis((s) => s.showCircles);
  const labels = useAnalysis((s) => s.labels);
  const { results } = useMeasurements();
  const doc = useDoc((s) => s.history.present);
  const activeId = useDoc((s) => s.activeNeuronId);
  return useMemo(() => (show ? shollGeometry(doc, results, activeId, labels) : null), [show, doc, results, activeId, labels]);
}

/** Draws one part of precomputed Sholl geometry in one custom Shape. */
export function ShollLayer({ cam, part, geometry }: { cam: Camera; part: 'circles' | 'points'; geometry: ShollGeometry | null }) {
  if (!geometry) return null;
  const k = cam.scale;
  const draw = (ctx: Konva.Context) => {
    const c = ctx._context;
    c.lineWidth = 1 / k;
    c.strokeStyle = 'rgba(255,255,255,0.3)';
    // Dense shells blur into a disc: on screen, show every n-th shell (at least 8 px apart) and its crossings.
    // Every shell is still counted; zooming in shows them all.
    const gapPx = geometry.rx.length > 1 ? (geometry.rx[1] - geometry.rx[0]) * k : Infinity;
    const every = gapPx >= 8 ? 1 : Math.ceil(8 / gapPx);
    const shown = new Set<number>();
    for (let i = 0; i < geometry.rx.length; i += every) {
      shown.add(geometry.radii[i]);
      if (part !== 'circles') continue;
      c.beginPath();
      c.ellipse(geometry.cx, geometry.cy, geometry.rx[i], geometry.ry[i], 0, 0, 2 * Math.PI);
      c.stroke();
    }
    if (part !== 'points') return;
    // Drawn above the tracings (they sit on the lines), with a dark rim to stand out on any colour.
    c.fillStyle = '#ff3030';
    c.strokeStyle = 'rgba(0,0,0,0.8)';
    const r = 2.5 / k;
    for (const p of geometry.points) {
      if (!shown.has(p.radius)) continue;
      c.fillRect(p.x - r, p.y - r, 2 * r, 2 * r);
      c.strokeRect(p.x - r, p.y - r, 2 * r, 2 * r);
    }
  };
  return (
    <Layer listening={false}>
      <Group x={cam.x} y={cam.y} scaleX={k} scaleY={k}>
        <Shape sceneFunc={draw} listening={false} perfectDrawEnabled={false} />
      </Group>
    </Layer>
  );
}
