import { Circle, Group, Layer, Line, Rect } from 'react-konva';
import { findNeuron } from '../../../shared/model/queries';
import { useDoc } from '../stores/doc-store';
import { useViewer, type Camera } from '../stores/viewer-store';
import { useTrace } from '../tracing/trace-store';

/**
 * What is being placed: the live-wire preview, the start and anchors, a soma outline in progress, and on a large image
 * the part the live-wire reads (the preview stops at its edge; a click past it reads the image there).
 */
export function DraftLayer({ cam }: { cam: Camera }) {
  const draft = useTrace((s) => s.draft);
  const polygon = useTrace((s) => s.polygon);
  const hover = useTrace((s) => s.hover);
  const readPart = useTrace((s) => s.window);
  const tracing = useViewer((s) => s.tool === 'trace');
  const color = useDoc((s) => {
    const id = draft?.start.neuronId ?? s.activeNeuronId;
    return (id !== null && findNeuron(s.history.present, id)?.neuron.color) || '#ffd400';
  });
  const k = cam.scale;
  return (
    <Layer listening={false}>
      <Group x={cam.x} y={cam.y} scaleX={k} scaleY={k}>
        {tracing && readPart && (
          <Rect x={readPart.x} y={readPart.y} width={readPart.width} height={readPart.height} stroke="#ffffff" opacity={0.45} strokeWidth={1 / k} dash={[6 / k, 4 / k]} listening={false} />
        )}
        {draft && draft.preview.length > 1 && (
          <Line points={draft.preview.flat()} stroke={color} opacity={0.9} strokeWidth={2 / k} dash={[5 / k, 3 / k]} lineJoin="round" listening={false} perfectDrawEnabled={false} />
        )}
        {draft && <Circle x={draft.origin[0]} y={draft.origin[1]} radius={4 / k} fill={color} listening={false} />}
        {draft && <Circle x={draft.anchor[0]} y={draft.anchor[1]} radius={4.5 / k} stroke="#ffffff" strokeWidth={1.5 / k} listening={false} />}
        {polygon && (
          <Line points={[...polygon.flat(), ...(hover ? hover : [])]} stroke={color} strokeWidth={2 / k} dash={[4 / k, 3 / k]} closed={false} listening={false} />
        )}
        {polygon?.map(([x, y], i) => <Circle key={i} x={x} y={y} radius={3 / k} fill={color} listening={false} />)}
      </Group>
    </Layer>
  );
}
