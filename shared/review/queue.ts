import { STATE_LABELS, type ReviewState } from './status';

/**
 * The review queue of a project: its image list filtered by status, and the next image to review. "To do" holds the
 * images not handed over yet (to do and in progress), so the five filters of the workflow cover every image.
 * "Unchecked" cuts across them: the images "Auto-trace all images" traced that nobody has checked yet (their review
 * in the app ends when every neuron is accepted or discarded), the technician's queue after a batch.
 */
export const QUEUE_FILTERS = ['all', 'to-do', 'ready-for-review', 'changes-requested', 'approved', 'excluded', 'unchecked'] as const;
export type QueueFilter = (typeof QUEUE_FILTERS)[number];

export const FILTER_LABELS: Record<QueueFilter, string> = {
  all: 'all',
  'to-do': STATE_LABELS['to-do'],
  'ready-for-review': STATE_LABELS['ready-for-review'],
  'changes-requested': STATE_LABELS['changes-requested'],
  approved: STATE_LABELS.approved,
  excluded: STATE_LABELS.excluded,
  unchecked: 'unchecked',
};

/** What the queue reads of an image: its status, and whether it holds an automatic trace nobody has checked. */
export interface QueuedImage {
  status: ReviewState;
  toCheck?: boolean;
}

export function matchesFilter(image: QueuedImage, filter: QueueFilter): boolean {
  const { status } = image;
  if (filter === 'all') return true;
  if (filter === 'unchecked') return image.toCheck === true;
  if (filter === 'to-do') return status === 'to-do' || status === 'in-progress';
  return status === filter;
}

/** How many images each filter shows. */
export function filterCounts(images: readonly QueuedImage[]): Record<QueueFilter, number> {
  return Object.fromEntries(QUEUE_FILTERS.map((f) => [f, images.filter((i) => matchesFilter(i, f)).length])) as Record<QueueFilter, number>;
}

/**
 * The image "Next to review" opens: the first after the current one in list order (the blinded order when blinded),
 * wrapping around, that is ready for review; under a filter other than "all" the first the filter shows (a tracer
 * filtering "changes requested" walks through the images sent back). Null when there is none besides the current.
 */
export function nextInQueue<T extends QueuedImage & { id: string }>(images: readonly T[], currentId: string | null, filter: QueueFilter): T | null {
  const wanted: QueueFilter = filter === 'all' ? 'ready-for-review' : filter;
  const at = images.findIndex((i) => i.id === currentId);
  for (let k = 1; k <= images.length; k++) {
    const img = images[(at + k + images.length) % images.length];
    if (img.id !== currentId && matchesFilter(img, wanted)) return img;
  }
  return null;
}
