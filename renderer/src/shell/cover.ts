import { agreementStore } from '../agreement/agreement-store';
import { closeGallery, galleryStore } from '../gallery/gallery-store';
import { projectStore } from '../project/project-store';
import { resultsStore } from '../results/results-store';
import { viewer } from '../stores/viewer-store';

/**
 * What lies over the image on screen: a modal dialog (the shortcuts, calibration, or a project's new-project,
 * metadata and export dialogs), or a project view drawn over the canvas (Results, Agreement, Gallery). A key or
 * menu command meant for the image must not reach it unseen: Delete pressed over the Results view deleted the
 * selected neuron of the image hidden under it.
 */
export type Cover = 'dialog' | 'view' | null;

export function cover(): Cover {
  if (projectStore.get().dialog || viewer.get().dialog) return 'dialog';
  if (galleryStore.get().open || agreementStore.get().open || resultsStore.get().open) return 'view';
  return null;
}

/**
 * Closes the topmost dialog or view (the one drawn last); false when nothing covers the image. An export under way
 * keeps its dialog: its Cancel button stops it.
 */
export function closeCover(): boolean {
  const project = projectStore.get();
  if (project.dialog) {
    if (!project.export?.running) projectStore.set({ dialog: null });
    return true;
  }
  if (viewer.get().dialog) {
    viewer.set({ dialog: null, calibrationLinePx: null });
    return true;
  }
  if (galleryStore.get().open) closeGallery();
  else if (agreementStore.get().open) agreementStore.set({ open: false });
  else if (resultsStore.get().open) resultsStore.set({ open: false });
  else return false;
  return true;
}

/**
 * Makes way for something meant for the image (a menu command, a dropped file): the project views over it close, so
 * that what it does is seen; a modal dialog waits for its answer, as a window's menu does under a native dialog (false).
 */
export function uncoverForImage(): boolean {
  const c = cover();
  // Every view: the Gallery opened over the Results view would otherwise leave the Results over the image.
  while (cover() === 'view') closeCover();
  return c !== 'dialog';
}
