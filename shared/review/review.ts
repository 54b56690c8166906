import type { NeuronReview, Review } from '../formats/annotation/types';
import { transition, type ReviewAction, type ReviewState, type TransitionContext } from './status';

/**
 * Review of one annotation file: the image's state and the neurons whose state differs from it. A neuron follows its
 * image unless it was changed on its own (e.g. excluded: left out of results, kept in the file).
 */

/** A neuron's state and exclusion reason: its own when set, else the image's. */
export function neuronState(review: Pick<Review, 'status' | 'neurons'>, neuronId: number): { status: ReviewState; reason: string } {
  const own = review.neurons?.find((n) => n.neuronId === neuronId);
  return own ? { status: own.status, reason: own.reason } : { status: review.status, reason: '' };
}

/** Who acts, and when: stamped as reviewer on approvals and requests for changes. */
export interface Actor extends TransitionContext {
  userName: string;
  now: string;
}

/**
 * Names stamped by an action: the reviewer on approvals and requests for changes; the tracer (the file's author) on
 * the first hand-over for review when nobody typed one, so the export's tracer column names who traced.
 */
const stamps = (action: ReviewAction, actor: Actor, review: Review): Partial<Review> => {
  if (action === 'approve' || action === 'request-changes') return { reviewer: actor.userName || 'anonymous', reviewedAt: actor.now };
  if (action === 'submit' && !review.author.trim() && actor.userName) return { author: actor.userName };
  return {};
};

/**
 * The review after an action on the image. Its neurons follow it (approving an image approves its neurons; handing
 * it back for review after changes hands back every neuron); only excluded neurons keep their own state. Throws
 * RamifyError('invalid-transition') when the action is not allowed.
 */
export function applyImageAction(review: Review, action: ReviewAction, actor: Actor): Review {
  const status = transition(review.status, action, actor);
  const next: Review = { ...review, status, ...stamps(action, actor, review) };
  if (status === 'excluded') next.reason = actor.reason!.trim();
  else delete next.reason;
  const neurons = (review.neurons ?? []).filter((n) => n.status === 'excluded');
  if (neurons.length > 0) next.neurons = neurons;
  else delete next.neurons;
  return next;
}

/**
 * The review after an action on one neuron; a neuron back in its image's state stops having its own (an excluded
 * neuron included again follows its image).
 */
export function applyNeuronAction(review: Review, neuronId: number, action: ReviewAction, actor: Actor): Review {
  const stepped = transition(neuronState(review, neuronId).status, action, actor);
  const status = action === 'include' && review.status !== 'excluded' ? review.status : stepped;
  const others = (review.neurons ?? []).filter((n) => n.neuronId !== neuronId);
  const own: NeuronReview[] = status === review.status ? [] : [{ neuronId, status, reason: status === 'excluded' ? actor.reason!.trim() : '' }];
  const neurons = [...others, ...own].sort((a, b) => a.neuronId - b.neuronId);
  const next: Review = { ...review, ...stamps(action, actor, review) };
  if (neurons.length > 0) next.neurons = neurons;
  else delete next.neurons;
  return next;
}

/** The one automatic step: a file saved with a neuron is no longer to do. */
export function startedIfTraced(review: Review, neurons: number): Review {
  return review.status === 'to-do' && neurons > 0 ? { ...review, status: 'in-progress' } : review;
}
