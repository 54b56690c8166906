import { useEffect, useRef, useState } from 'react';
import type { CommentReply, ReviewComment } from '../../../shared/formats/annotation/types';
import { openComments } from '../../../shared/review/comments';
import { useFile } from '../persistence/file-store';
import { addFileComment, armPin, focusComment, reply, resolve, useCommentUi } from './comment-actions';
import './review.css';

const byline = (c: CommentReply) => `${c.author || 'anonymous'}${c.role ? ` (${c.role})` : ''} · ${new Date(c.at).toLocaleString()}:`;

/**
 * The Review panel's comments: numbered like their pins, a click on one centres the view on its pin; each with its
 * replies, a reply field, and resolve/reopen. Below, a comment on the whole file, and "Pin a comment" (C).
 */
export function CommentThreads() {
  const comments = useFile((s) => s.review?.comments) ?? [];
  const armed = useCommentUi((s) => s.armed);
  const selected = useCommentUi((s) => s.selected);
  const [text, setText] = useState('');
  const submit = () => {
    if (!text.trim()) return;
    void addFileComment(text);
    setText('');
  };
  return (
    <div className="comment-threads">
      <div className="row small muted">
        Comments{comments.length > 0 ? ` · ${openComments(comments)} open of ${comments.length}` : ''}
        <button type="button" className={armed ? 'armed' : ''} aria-pressed={armed} onClick={armPin} title="Then click the image (or a node) where the comment belongs; or right-click there (C)">
          Pin a comment
        </button>
      </div>
      {armed && <p className="small">Click the image where the comment belongs (Esc to cancel).</p>}
      <ol className="threads" aria-label="Comments">
        {comments.map((c, i) => (
          <Thread key={c.id ?? i} comment={c} index={i} selected={i === selected} />
        ))}
      </ol>
      <div className="row">
        <input type="text" aria-label="Review comment" placeholder="Comment on the whole file…" value={text} onChange={(e) => setText(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && submit()} />
        <button type="button" onClick={submit}>
          Add
        </button>
      </div>
    </div>
  );
}

function Thread({ comment: c, index, selected }: { comment: ReviewComment; index: number; selected: boolean }) {
  const [answer, setAnswer] = useState('');
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const send = () => {
    if (!answer.trim()) return;
    void reply(index, answer);
    setAnswer('');
  };
  return (
    <li ref={ref} className={`thread${selected ? ' selected' : ''}${c.resolved ? ' resolved' : ''}`} data-testid="comment-thread">
      <div className="thread-head" onClick={() => focusComment(index)} title={c.anchor ? 'Show on the image' : undefined}>
        <span className={`pin-no${c.anchor ? '' : ' unpinned'}`}>{index + 1}</span>
        <p className="small" data-testid="review-comment">
          <span className="muted">{byline(c)}</span> {c.text}
        </p>
      </div>
      {(c.replies ?? []).map((r, k) => (
        <p key={k} className="small reply" data-testid="comment-reply">
          <span className="muted">{byline(r)}</span> {r.text}
        </p>
      ))}
      {c.resolved && (
        <p className="small muted" data-testid="comment-resolved">
          Resolved by {c.resolvedBy || 'anonymous'} · {c.resolvedAt ? new Date(c.resolvedAt).toLocaleString() : ''}
        </p>
      )}
      <div className="row small">
        <input type="text" aria-label={`Reply to comment ${index + 1}`} placeholder="Reply…" value={answer} onChange={(e) => setAnswer(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && send()} />
        <button type="button" className="link" onClick={() => void resolve(index, !c.resolved)}>
          {c.resolved ? 'Reopen' : 'Resolve'}
        </button>
      </div>
    </li>
  );
}
