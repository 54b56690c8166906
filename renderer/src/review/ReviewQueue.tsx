import { useEffect } from 'react';
import { FILTER_LABELS, filterCounts, QUEUE_FILTERS, type QueuedImage } from '../../../shared/review/queue';
import { nextToReview, queueStore, useQueue } from './review-queue';
import './review.css';

/**
 * The project list's status filter, with how many images each shows, and "Next to review" (Shift+N). The filter
 * belongs to the open project: closing it shows all images again.
 */
export function ReviewQueue({ images }: { images: readonly QueuedImage[] }) {
  const filter = useQueue((s) => s.filter);
  useEffect(() => () => queueStore.set({ filter: 'all' }), []);
  const counts = filterCounts(images);
  return (
    <div className="review-queue" role="group" aria-label="Review queue">
      <div className="queue-filters" data-testid="queue-filters">
        {/* "Unchecked" only where the batch left something to check (or while it is the filter): labs tracing by hand never see it. */}
        {QUEUE_FILTERS.filter((f) => f !== 'unchecked' || counts.unchecked > 0 || filter === 'unchecked').map((f) => (
          <button key={f} type="button" className={`chip ${f}`} aria-pressed={filter === f} onClick={() => queueStore.set({ filter: f })} title={f === 'to-do' ? 'To do and in progress' : f === 'unchecked' ? 'Traced by Auto-trace all images; nobody has checked the trace yet' : undefined}>
            {f !== 'all' && <span className={`dot ${f}`} />}
            {FILTER_LABELS[f]} <span className="n">{counts[f]}</span>
          </button>
        ))}
      </div>
      <button
        type="button"
        className="next-review"
        onClick={() => void nextToReview()}
        title={filter === 'all' ? 'Open the next image ready for review (Shift+N)' : `Open the next image that is ${FILTER_LABELS[filter]} (Shift+N)`}
      >
        Next to review ▶
      </button>
    </div>
  );
}
