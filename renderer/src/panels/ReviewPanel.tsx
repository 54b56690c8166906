import { useState } from 'react';
import { REVIEW_STATUSES, type ReviewStatus } from '../../../shared/formats/annotation-file';
import { setReview } from '../persistence/annotation-session';
import { useFile } from '../persistence/file-store';
import { useViewer } from '../stores/viewer-store';
import { useProject } from '../project/project-store';

const STATUS_NAMES: Record<ReviewStatus, string> = {
  'in-progress': 'In progress',
  done: 'Done (ready for review)',
  'needs-review': 'Needs changes',
  approved: 'Approved',
  rejected: 'Rejected',
};

/** Who traced, where the review stands, and the reviewer's comments; saved with the annotation file. */
export function ReviewPanel() {
  const info = useViewer((s) => s.info);
  const review = useFile((s) => s.review);
  const fileName = useFile((s) => s.fileName);
  const lastSavedAt = useFile((s) => s.lastSavedAt);
  const lastJournaledAt = useFile((s) => s.lastJournaledAt);
  const savedOnDisk = useFile((s) => s.savedOnDisk);
  const [comment, setComment] = useState('');
  const inProject = useProject((st) => st.view !== null);
  if (!info) return null;
  const addComment = () => {
    const text = comment.trim();
    if (!text) return;
    setReview({ comments: [...(review?.comments ?? []), { author: review?.author ?? '', text, at: new Date().toISOString() }] });
    setComment('');
  };
  return (
    <section className="panel" aria-label="Review">
      <h2>File and review</h2>
      <p className="small muted" data-testid="save-state">
        {inProject ? (savedOnDisk ? 'Saved in the project' : 'Tracing for the project') : fileName}
        {lastSavedAt ? ` · saved ${new Date(lastSavedAt).toLocaleTimeString()}` : ''}
        {/* A journal is not a save: until the file exists, call it what it is. */}
        {lastJournaledAt ? (savedOnDisk ? ` · autosaved ${new Date(lastJournaledAt).toLocaleTimeString()}` : ` · not saved yet · recovery copy ${new Date(lastJournaledAt).toLocaleTimeString()}`) : ''}
      </p>
      <div className="row">
        <label>
          Tracer <input type="text" aria-label="Tracer" value={review?.author ?? ''} onChange={(e) => setReview({ author: e.target.value })} />
        </label>
      </div>
      <div className="row">
        <label>
          Status{' '}
          <select aria-label="Review status" value={review?.status ?? 'in-progress'} onChange={(e) => setReview({ status: e.target.value as ReviewStatus })}>
            {REVIEW_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_NAMES[s]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {(review?.comments ?? []).map((c, i) => (
        <p key={i} className="small">
          <span className="muted">{c.author || 'anonymous'} · {new Date(c.at).toLocaleString()}:</span> {c.text}
        </p>
      ))}
      <div className="row">
        <input type="text" aria-label="Review comment" placeholder="Add a comment…" value={comment} onChange={(e) => setComment(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && addComment()} />
        <button type="button" onClick={addComment}>
          Add
        </button>
      </div>
    </section>
  );
}
