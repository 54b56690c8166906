import { Circle, Group, Layer, Line, Text } from 'react-konva';
import { anchorPoint } from '../../../shared/review/comments';
import { useFile } from '../persistence/file-store';
import { MARKER_OFFSET_PX, MARKER_RADIUS_PX, useCommentUi } from '../review/comment-actions';
import { useDoc } from '../stores/doc-store';
import type { Camera } from '../stores/viewer-store';

const OPEN = '#ff9f1c';
const RESOLVED = '#6b7280';

/**
 * Comments pinned to the image, in screen space (constant size at every zoom): a numbered bubble above a stem whose
 * tip is the pinned point, orange while open, grey once resolved; the selected one ringed in white; a pin being
 * placed dashed. Nothing listens: clicks are matched to bubbles on the model (comment-actions' commentClick).
 */
export function CommentsLayer({ cam }: { cam: Camera }) {
  const comments = useFile((s) => s.review?.comments);
  const doc = useDoc((s) => s.history.present);
  const selected = useCommentUi((s) => s.selected);
  const pending = useCommentUi((s) => s.pending);
  const screen = (p: { x: number; y: number }) => ({ x: p.x * cam.scale + cam.x, y: p.y * cam.scale + cam.y });
  return (
    <Layer listening={false}>
      {(comments ?? []).map((c, i) => {
        const p = anchorPoint(c, doc);
        return p && <Marker key={c.id ?? i} at={screen(p)} label={String(i + 1)} color={c.resolved ? RESOLVED : OPEN} selected={i === selected} />;
      })}
      {pending && <Marker at={screen(pending)} label="+" color={OPEN} selected dashed />}
    </Layer>
  );
}

function Marker({ at, label, color, selected, dashed }: { at: { x: number; y: number }; label: string; color: string; selected: boolean; dashed?: boolean }) {
  const r = MARKER_RADIUS_PX;
  return (
    <Group x={at.x} y={at.y} listening={false}>
      <Line points={[0, 0, 0, -MARKER_OFFSET_PX + r]} stroke={color} strokeWidth={2} listening={false} />
      <Circle radius={2.5} fill={color} listening={false} />
      {selected && <Circle y={-MARKER_OFFSET_PX} radius={r + 3} stroke="#ffffff" strokeWidth={2} listening={false} />}
      <Circle y={-MARKER_OFFSET_PX} radius={r} fill={dashed ? 'rgba(0,0,0,0.6)' : color} stroke={dashed ? color : '#1b1b1b'} strokeWidth={dashed ? 2 : 1} dash={dashed ? [3, 2] : undefined} listening={false} />
      <Text x={-r} y={-MARKER_OFFSET_PX - 6} width={2 * r} align="center" text={label} fontSize={label.length > 2 ? 9 : 12} fontStyle="bold" fill={dashed ? color : '#1b1b1b'} fontFamily="system-ui, sans-serif" listening={false} />
    </Group>
  );
}
