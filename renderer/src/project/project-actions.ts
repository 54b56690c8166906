import type { ConditionChoice, ProjectOp, ProjectView } from '../../../shared/ipc/contract';
import { analysisStore } from '../analysis/analysis-store';
import { api } from '../api';
import { openImage, reportError } from '../image/image-session';
import { resolveUnsaved } from '../persistence/annotation-session';
import { viewer } from '../stores/viewer-store';
import { docStore } from '../stores/doc-store';
import { projectStore } from './project-store';

// The renderer's side of projects: it shows the ProjectView main sends (blinded or not) and asks main for every
// change, so the project file has one writer and blinded names never reach the page.

function adopt(view: ProjectView): void {
  projectStore.set({ view });
  analysisStore.set({ start: view.sholl.start, step: view.sholl.step, end: view.sholl.end });
  if (view.notes.length) viewer.set({ notice: view.notes.join(' ') });
}

export async function createProject(folderToken: string, conditions: ConditionChoice): Promise<boolean> {
  const r = await api()['project:create']({ folderToken, conditions });
  if (!r.ok) {
    reportError(`Could not create the project: ${r.error.message}`);
    return false;
  }
  adopt(r.value);
  projectStore.set({ dialog: null });
  const first = r.value.images.find((i) => i.status !== 'excluded');
  if (first) await openProjectImage(first.id);
  return true;
}

export async function openProjectDialog(): Promise<void> {
  if (!(await resolveUnsaved('opening a project'))) return;
  const r = await api()['project:openDialog']();
  if (!r.ok) return reportError(`Could not open the project: ${r.error.message}`);
  if (!r.value) return;
  adopt(r.value);
  const first = r.value.images.find((i) => i.status !== 'excluded');
  if (first) await openProjectImage(first.id);
}

export async function closeProject(): Promise<void> {
  if (!(await resolveUnsaved('closing the project'))) return;
  await api()['project:close']();
  projectStore.set({ view: null, currentImageId: null });
}

export async function openProjectImage(imageId: string): Promise<void> {
  const r = await api()['project:openImage']({ imageId });
  if (!r.ok) return reportError(r.error.message);
  const before = projectStore.get().currentImageId;
  projectStore.set({ currentImageId: imageId });
  await openImage(r.value);
  // The user kept the previous image (cancelled at "unsaved changes").
  if (viewer.get().file?.handle !== r.value.handle) projectStore.set({ currentImageId: before });
}

/** Next or previous image in list order (blinded order when blinded), skipping excluded ones. */
export async function stepImage(delta: 1 | -1): Promise<void> {
  const { view, currentImageId } = projectStore.get();
  if (!view) return;
  const list = view.images.filter((i) => i.status !== 'excluded' || i.id === currentImageId);
  const at = list.findIndex((i) => i.id === currentImageId);
  const next = list[at === -1 ? 0 : at + delta];
  if (next) await openProjectImage(next.id);
}

export async function updateProject(op: ProjectOp): Promise<void> {
  const r = await api()['project:update'](op);
  if (!r.ok) return reportError(r.error.message);
  projectStore.set({ view: r.value });
}

/** Neuron counts and statuses change when annotations are saved; main has the truth. */
export async function refreshProject(): Promise<void> {
  if (!projectStore.get().view) return;
  const r = await api()['project:view']();
  if (r.ok) projectStore.set({ view: r.value });
}

/**
 * Traces every image of the project that has no annotations (in a worker in main; the images already traced by
 * someone are left alone), then shows the outcome. The files are marked as needing review.
 */
export async function autotraceProject(minBranchUm: number): Promise<void> {
  projectStore.set({ autotrace: { done: 0, total: 0 } });
  const r = await api()['project:autotrace']({ minBranchUm });
  projectStore.set({ autotrace: null });
  if (!r.ok) return reportError(`Automatic tracing failed: ${r.error.message}`);
  const { currentImageId } = projectStore.get();
  const wasEmpty = projectStore.get().view?.images.find((i) => i.id === currentImageId)?.neurons === 0;
  projectStore.set({ view: r.value.view });
  // The image on screen may have just been traced on disk: load that trace (an unedited empty document only).
  const nowTraced = (r.value.view.images.find((i) => i.id === currentImageId)?.neurons ?? 0) > 0;
  if (currentImageId && wasEmpty && nowTraced && docStore.doc().neurons.length === 0 && docStore.get().history.past === null) await openProjectImage(currentImageId);
  const { traced, skipped, failed, cancelled } = r.value;
  viewer.set({
    notice: `${cancelled ? 'Automatic tracing cancelled: ' : ''}Traced ${traced} image(s) automatically (marked for review); ${skipped} with annotations or excluded left alone.${failed.length ? ` Could not trace: ${failed.join('; ')}.` : ''}`,
  });
}

export async function exportProject(includePixelColumns: boolean, includeSwc: boolean): Promise<void> {
  projectStore.set({ export: { done: 0, total: 1, running: true } });
  const r = await api()['project:export']({ includePixelColumns, includeSwc });
  projectStore.set({ export: null });
  if (!r.ok) {
    if (r.error.code !== 'cancelled') reportError(`Export failed: ${r.error.message}`);
    else viewer.set({ notice: 'Export cancelled; no files were written.' });
    return;
  }
  if (!r.value) return;
  projectStore.set({ dialog: null });
  const files = r.value.files.map((f) => f.name).join(', ');
  viewer.set({ notice: `Exported ${r.value.neurons} neurons from ${r.value.images} images to ${r.value.folderName}: ${files}.${r.value.warnings.length ? ` ${r.value.warnings.join(' ')}` : ''}` });
}

// Sholl settings belong to the project when one is open: every image is analysed with the same radii.
let shollTimer: ReturnType<typeof setTimeout> | null = null;
analysisStore.subscribe((a, prev) => {
  if (a.start === prev.start && a.step === prev.step && a.end === prev.end) return;
  const view = projectStore.get().view;
  if (!view || !(a.step > 0) || !(a.start >= 0)) return;
  if (view.sholl.start === a.start && view.sholl.step === a.step && view.sholl.end === a.end) return;
  if (shollTimer) clearTimeout(shollTimer);
  shollTimer = setTimeout(() => void updateProject({ op: 'setSholl', sholl: { start: a.start, step: a.step, end: a.end } }), 500);
});
