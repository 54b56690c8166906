import { newAnnotationFile, type Review } from '../../../shared/formats/annotation-file';
import { applyImageAction, applyNeuronAction, type Actor } from '../../../shared/review/review';
import type { ReviewAction } from '../../../shared/review/status';
import { save } from '../controller/document-controller';
import { fileStore } from '../persistence/file-store';
import { docStore } from '../stores/doc-store';
import { viewer } from '../stores/viewer-store';
import { settingsStore } from '../settings/settings-store';

// Review actions change the annotation file's review, stamped with the user's name and role from the
// settings, and save themselves: a PI who approves is never asked to save afterwards.

function currentReview(): Review {
  return fileStore.get().review ?? newAnnotationFile(docStore.doc(), { appVersion: '' }).review;
}

function actor(reason?: string): Actor {
  const { userName, role } = settingsStore.get().settings;
  return { userName, role, reason, traced: docStore.doc().neurons.length > 0, now: new Date().toISOString() };
}

/** Applies an action to the image (or to one neuron) and saves; false when refused or not saved. */
export async function reviewAction(action: ReviewAction, options: { neuronId?: number; reason?: string } = {}): Promise<boolean> {
  const review = currentReview();
  const who = actor(options.reason);
  let next: Review;
  try {
    next = options.neuronId === undefined ? applyImageAction(review, action, who) : applyNeuronAction(review, options.neuronId, action, who);
  } catch (e) {
    viewer.set({ error: (e as Error).message });
    return false;
  }
  // The whole review is replaced: a reason or an override that the action cleared must not survive a merge.
  fileStore.set({ review: next, reviewDirty: true });
  return save();
}
