import type { ProjectOp, ProjectView } from '../../../shared/ipc/contract';
import { exportHeadline } from '../../../shared/project/export-tables';
import { analysisStore } from '../analysis/analysis-store';
import { api } from '../api';
import { refreshGallery } from '../gallery/gallery-store';
import { reportError } from '../image/image-session';
import { viewer } from '../stores/viewer-store';
import { projectStore } from './project-store';
import { adoptTracing } from './tracing-sync';

// The renderer's side of projects: it shows the ProjectView main sends (blinded or not) and asks main for every
// change, so the project file has one writer and blinded names never reach the page. Opening and closing projects
// and their images is the document controller's (controller/document-controller.ts).

/**
 * Shows a project main opened; its Sholl settings and channels become the ones on screen (the project owns them).
 * `created`: a new project takes the channels chosen before (see adoptTracing).
 */
export function adoptProject(view: ProjectView, created = false): void {
  projectStore.set({ view });
  analysisStore.set({ start: view.sholl.start, step: view.sholl.step, end: view.sholl.end });
  adoptTracing(view, created);
  if (view.notes.length) viewer.set({ notice: view.notes.join(' ') });
}

export async function updateProject(op: ProjectOp): Promise<void> {
  const r = await api()['project:update'](op);
  if (!r.ok) return reportError(r.error.message);
  projectStore.set({ view: r.value });
  // Conditions, Sholl radii and the shared display change the gallery's groups, numbers and thumbnails.
  void refreshGallery();
}

/** Neuron counts and statuses change when annotations are saved; main has the truth. */
export async function refreshProject(): Promise<void> {
  if (!projectStore.get().view) return;
  const r = await api()['project:view']();
  if (r.ok) projectStore.set({ view: r.value });
}

export async function exportProject(includePixelColumns: boolean, includeSwc: boolean, approvedOnly = false): Promise<void> {
  // The export measures with the project's settings: the ones just typed in the panel must be there first.
  await flushShollSync();
  projectStore.set({ export: { done: 0, total: 1, running: true } });
  const r = await api()['project:export']({ includePixelColumns, includeSwc, approvedOnly });
  projectStore.set({ export: null });
  if (!r.ok) {
    if (r.error.code !== 'cancelled') reportError(`Export failed: ${r.error.message}`);
    else viewer.set({ notice: 'Export cancelled; no files were written.' });
    return;
  }
  if (!r.value) return;
  projectStore.set({ dialog: null });
  const files = r.value.files.map((f) => f.name).join(', ');
  viewer.set({ notice: `${exportHeadline(r.value)} to ${r.value.folderName}: ${files}.${r.value.warnings.length ? ` ${r.value.warnings.join(' ')}` : ''}` });
}

// Sholl settings belong to the project when one is open: every image is analysed with the same radii, so an edit in
// the panel is an edit of the project (debounced while the user types).
let shollTimer: ReturnType<typeof setTimeout> | null = null;

function pendingSholl(): ProjectOp | null {
  const a = analysisStore.get();
  const view = projectStore.get().view;
  if (!view || !(a.step > 0) || !(a.start >= 0) || (a.end !== null && !(a.end > a.start))) return null;
  if (view.sholl.start === a.start && view.sholl.step === a.step && view.sholl.end === a.end) return null;
  return { op: 'setSholl', sholl: { start: a.start, step: a.step, end: a.end } };
}

async function flushShollSync(): Promise<void> {
  if (shollTimer) clearTimeout(shollTimer);
  shollTimer = null;
  const op = pendingSholl();
  if (op) await updateProject(op);
}

/** Starts pushing Sholl edits into the open project; returns the stop function. */
export function startShollSync(): () => void {
  const off = analysisStore.subscribe((a, prev) => {
    if (a.start === prev.start && a.step === prev.step && a.end === prev.end) return;
    if (!pendingSholl()) return;
    if (shollTimer) clearTimeout(shollTimer);
    shollTimer = setTimeout(() => void flushShollSync(), 500);
  });
  return () => {
    off();
    if (shollTimer) clearTimeout(shollTimer);
    shollTimer = null;
  };
}
