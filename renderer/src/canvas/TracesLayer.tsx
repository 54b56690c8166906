import { memo, useMemo } from 'react';
import { Circle, Group, Layer, Line, Shape } from 'react-konva';
import type Konva from 'konva';
import { somaCenter, type Branch, type Neuron } from '../../../shared/model/document';
import { branchPolyline, findNode, nodeTree } from '../../../shared/model/queries';
import type { Camera } from '../stores/viewer-store';
import { useDoc } from '../stores/doc-store';
import { VERTICES_VISIBLE_SCALE } from '../tools/edit-tool';
import { useAutoTrace } from '../tracing/autotrace-session';

// Committed tracings: one memoized group per neuron, one Line per branch, one custom Shape for all markers of a
// neuron. Nothing listens: hit testing is done on the model (shared/model/hit-test), never on Konva nodes.
// Widths are divided by the zoom so lines keep a constant on-screen width.

const LINE_PX = 2;

function flat(points: ReadonlyArray<{ x: number; y: number }>): number[] {
  const out = new Array<number>(points.length * 2);
  for (let i = 0; i < points.length; i++) {
    out[2 * i] = points[i].x;
    out[2 * i + 1] = points[i].y;
  }
  return out;
}

const BranchLine = memo(function BranchLine({ neuron, branch, color, scale, doubtful }: { neuron: Neuron; branch: Branch; color: string; scale: number; doubtful: boolean }) {
  // Scale changes every zoom frame; the points only with an edit of this neuron.
  const points = useMemo(() => flat(branchPolyline(neuron, branch)), [neuron, branch]);
  const dash = branch.label === 'axon' ? [6 / scale, 4 / scale] : branch.parent.kind === 'none' ? [2 / scale, 3 / scale] : doubtful ? [1 / scale, 4 / scale] : undefined;
  // A branch the automatic tracer is unsure of: dotted, with a white halo so the eye finds it.
  return (
    <>
      {doubtful && <Line points={points} stroke="#ffffff" opacity={0.5} strokeWidth={(LINE_PX + 3) / scale} lineCap="round" lineJoin="round" listening={false} perfectDrawEnabled={false} />}
      <Line points={points} stroke={color} strokeWidth={LINE_PX / scale} lineCap="round" lineJoin="round" dash={dash} listening={false} perfectDrawEnabled={false} />
    </>
  );
});

const NeuronTraces = memo(function NeuronTraces({ neuron, scale, doubtful }: { neuron: Neuron; scale: number; doubtful: ReadonlySet<number> }) {
  const tree = nodeTree(neuron);
  const drawMarkers = (ctx: Konva.Context) => {
    const c = ctx._context;
    const showVertices = scale >= VERTICES_VISIBLE_SCALE;
    c.fillStyle = neuron.color;
    c.strokeStyle = neuron.color;
    c.lineWidth = 1.5 / scale;
    for (const branch of neuron.branches) {
      for (const node of branch.nodes) {
        const kids = tree.childrenOf.get(node.id)?.length ?? 0;
        if (kids >= 2) {
          c.beginPath();
          c.arc(node.x, node.y, 3.5 / scale, 0, 2 * Math.PI);
          c.fill();
        } else if (kids === 0) {
          c.beginPath();
          c.arc(node.x, node.y, 3 / scale, 0, 2 * Math.PI);
          c.stroke();
        } else if (showVertices) {
          c.fillRect(node.x - 1 / scale, node.y - 1 / scale, 2 / scale, 2 / scale);
        }
      }
    }
  };
  const soma = neuron.soma;
  const centre = soma ? somaCenter(soma) : null;
  return (
    <Group listening={false}>
      {soma?.kind === 'polygon' && <Line points={flat(soma.points)} closed stroke={neuron.color} strokeWidth={LINE_PX / scale} fill={`${neuron.color}33`} listening={false} />}
      {soma?.kind === 'point' && <Circle x={soma.x} y={soma.y} radius={Math.max(soma.r ?? 0, 6 / scale)} stroke={neuron.color} strokeWidth={LINE_PX / scale} fill={`${neuron.color}55`} listening={false} />}
      {centre && <Circle x={centre.x} y={centre.y} radius={1.5 / scale} fill={neuron.color} listening={false} />}
      {neuron.branches.map((b) => (
        <BranchLine key={b.id} neuron={neuron} branch={b} color={neuron.color} scale={scale} doubtful={doubtful.has(b.id)} />
      ))}
      <Shape sceneFunc={drawMarkers} listening={false} perfectDrawEnabled={false} />
    </Group>
  );
});

/** Highlight of the selected node, branch or neuron. */
function SelectionHighlight({ scale }: { scale: number }) {
  const doc = useDoc((s) => s.history.present);
  const sel = useDoc((s) => s.selection);
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
        // A selected path is the subject of Delete, Y, R and the label keys: a clear halo along all of it.
        return <Line points={flat(branchPolyline(n, b))} stroke="#ffffff" opacity={0.6} strokeWidth={9 / scale} lineCap="round" lineJoin="round" listening={false} />;
      }
    }
  }
  return null;
}

export function TracesLayer({ cam }: { cam: Camera }) {
  const neurons = useDoc((s) => s.history.present.neurons);
  const doubtful = useAutoTrace((s) => s.doubtful);
  return (
    <Layer listening={false}>
      <Group x={cam.x} y={cam.y} scaleX={cam.scale} scaleY={cam.scale}>
        <SelectionHighlight scale={cam.scale} />
        {neurons.map((n) => (
          <NeuronTraces key={n.id} neuron={n} scale={cam.scale} doubtful={doubtful} />
        ))}
      </Group>
    </Layer>
  );
}
