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
    // Faint enough that the tracing under them stays readable; the shells are a check, not the subject.
    c.strokeStyle = 'rgba(255,255,255,0.14)';
    // Dense shells blur into a disc: on screen, show every n-th shell (at least 12 px apart) and its crossings.
    // Every shell is still counted; zooming in shows them all.
    const gapPx = geometry.rx.length > 1 ? (geometry.rx[1] - geometry.rx[0]) * k : Infinity;
    const every = gapPx >= 12 ? 1 : Math.ceil(12 / gapPx);
    const shown = new Set<number>();
    for (let i = 0; i < geometry.rx.length; i += every) {
      shown.add(geometry.radii[i]);
      if (part !== 'circles') continue;
      c.beginPath();
      c.ellipse(geometry.cx, geometry.cy, geometry.rx[i], geometry.ry[i], 0, 0, 2 * Math.PI);
      c.stroke();
    }
    if (part !== 'points') return;
    // Drawn above the tracings (they sit on the lines): small rings, so the line stays visible through them.
    c.strokeStyle = 'rgba(255,64,64,0.85)';
    c.lineWidth = 1.25 / k;
    const r = 2 / k;
    for (const p of geometry.points) {
      if (!shown.has(p.radius)) continue;
      c.beginPath();
      c.arc(p.x, p.y, r, 0, 2 * Math.PI);
      c.stroke();
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
