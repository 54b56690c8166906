import { useState } from 'react';
import { useViewer, type Camera } from '../stores/viewer-store';
import { cancelPin, MARKER_OFFSET_PX, submitPin, useCommentUi } from './comment-actions';

/** Size of the box in CSS px (review.css), to keep it inside the canvas. */
const BOX_WIDTH = 260;
const BOX_HEIGHT = 110;

/**
 * The box where a pinned comment is typed, next to its pin on the canvas. Enter saves (the file saves itself), Esc
 * drops the pin. Pointer events stop here so typing never reaches the canvas tools.
 */
export function CommentComposer({ cam }: { cam: Camera }) {
  const pending = useCommentUi((s) => s.pending);
  const viewport = useViewer((s) => s.viewport);
  const [text, setText] = useState('');
  if (!pending) return null;
  // Right of the pin, or left of it when the box would leave the canvas; always fully inside vertically.
  const sx = pending.x * cam.scale + cam.x;
  const left = sx + 16 + BOX_WIDTH <= viewport.width ? sx + 16 : Math.max(0, sx - 16 - BOX_WIDTH);
  const top = Math.min(Math.max(0, pending.y * cam.scale + cam.y - MARKER_OFFSET_PX - 14), Math.max(0, viewport.height - BOX_HEIGHT));
  const done = () => {
    void submitPin(text);
    setText('');
  };
  const cancel = () => {
    cancelPin();
    setText('');
  };
  return (
    <div className="comment-composer" role="dialog" aria-label="New comment" style={{ left, top }} onPointerDown={(e) => e.stopPropagation()} onDoubleClick={(e) => e.stopPropagation()}>
      <div className="small muted">{pending.nodeId !== undefined ? 'Comment on this node' : 'Comment here'}</div>
      <textarea
        aria-label="Comment text"
        rows={2}
        autoFocus
        placeholder="What should be looked at?"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            done();
          } else if (e.key === 'Escape') cancel();
        }}
      />
      <div className="row end">
        <button type="button" onClick={cancel}>
          Cancel
        </button>
        <button type="button" className="primary" disabled={!text.trim()} onClick={done}>
          Pin comment
        </button>
      </div>
    </div>
  );
}
