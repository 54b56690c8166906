import { create } from 'zustand';
import { FILTER_LABELS, nextInQueue, type QueueFilter } from '../../../shared/review/queue';
import { openProjectImage } from '../controller/document-controller';
import { projectStore } from '../project/project-store';
import { viewer } from '../stores/viewer-store';

/** Which images the project list shows; the session's, reset with each project. */
export const useQueue = create<{ filter: QueueFilter }>(() => ({ filter: 'all' }));
export const queueStore = { get: useQueue.getState, set: useQueue.setState };

/** Shift+N and the "Next to review" button: opens the next image of the queue, or says there is none. */
export async function nextToReview(): Promise<void> {
  const { view, currentImageId } = projectStore.get();
  if (!view) return;
  const { filter } = queueStore.get();
  const next = nextInQueue(view.images, currentImageId, filter);
  if (next) await openProjectImage(next.id);
  else viewer.set({ notice: `No ${currentImageId ? 'other ' : ''}image is ${FILTER_LABELS[filter === 'all' ? 'ready-for-review' : filter]}.` });
}
