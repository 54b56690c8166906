import { Circle, Group, Layer, Line } from 'react-konva';
import type { EdgeChanges } from '../../../shared/model/diff';
import { useChangesSinceReview, useHistory } from '../review/history-store';
import { useViewer, type Camera } from '../stores/viewer-store';

/**
 * "Changes since review": what was traced after the last approval or request for changes, as a wide halo under
 * a line, and what was removed since, as a dashed ghost where it was. Colours from the Okabe–Ito set (sky blue,
 * vermillion), and the two differ in shape as well, so they stay apart for colour-blind readers and on any neuron
 * colour. Widths are divided by the zoom (constant on screen), like the traces.
 */
export const CHANGE_COLORS = { added: '#56b4e9', removed: '#ff5a1f' } as const;

/** What the layer drew last (E2E and support read it through the debug handle; the canvas is never read back). */
let drawn: EdgeChanges | null = null;
export const changesOnCanvas = () => drawn;

export function ChangesLayer({ cam }: { cam: Camera }) {
  const show = useHistory((s) => s.showChanges);
  const changes = useChangesSinceReview();
  const hasImage = useViewer((v) => v.info !== null);
  drawn = show && hasImage && changes ? changes.edges : null;
  if (!drawn) return null;
  const s = cam.scale;
  const { added, removed, addedSomata, removedSomata } = drawn;
  return (
    <Layer listening={false} name="changes-since-review">
      <Group x={cam.x} y={cam.y} scaleX={s} scaleY={s}>
        {added.map((p, i) => (
          <Line key={`a${i}`} points={p.points} stroke={CHANGE_COLORS.added} opacity={0.8} strokeWidth={9 / s} lineCap="round" lineJoin="round" listening={false} perfectDrawEnabled={false} />
        ))}
        {addedSomata.map((c) => (
          <Circle key={`as${c.neuronId}`} x={c.x} y={c.y} radius={10 / s} stroke={CHANGE_COLORS.added} strokeWidth={4 / s} opacity={0.75} listening={false} />
        ))}
        {removed.map((p, i) => (
          <Line key={`r${i}`} points={p.points} stroke={CHANGE_COLORS.removed} strokeWidth={2.5 / s} dash={[6 / s, 4 / s]} lineCap="butt" lineJoin="round" listening={false} perfectDrawEnabled={false} />
        ))}
        {removedSomata.map((c) => (
          <Circle key={`rs${c.neuronId}`} x={c.x} y={c.y} radius={10 / s} stroke={CHANGE_COLORS.removed} strokeWidth={2.5 / s} dash={[4 / s, 3 / s]} listening={false} />
        ))}
      </Group>
    </Layer>
  );
}
