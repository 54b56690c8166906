import { annotationToJson, newAnnotationFile, type AnnotationFile, type Review, type ShollSettings } from '../../../shared/formats/annotation-file';
import { emptyDocument } from '../../../shared/model/document';
import { mergeDocuments } from '../../../shared/model/merge';
import { startedIfTraced } from '../../../shared/review/review';
import type { OpenedFile } from '../../../shared/ipc/contract';
import type { ImageInfo } from '../../../shared/image/types';
import { plural } from '../../../shared/text/plural';
import { analysisStore } from '../analysis/analysis-store';
import { api } from '../api';
import { docStore, useDoc } from '../stores/doc-store';
import { viewer } from '../stores/viewer-store';
import { ask } from '../shell/ask';
import { projectStore } from '../project/project-store';
import { historyStore } from '../review/history-store';
import { fileStore, initialFileState, useFile } from './file-store';
import { microscopeCalibration } from '../../../shared/image/calibration';

// Opening, saving, autosaving and restoring the annotations of the open image. Main decides where files live and
// refuses to overwrite changes it did not make; this module asks the user whenever a choice is theirs.

/** Edits are journaled this long after the last one (and at least this often while edits keep coming). */
export const AUTOSAVE_DELAY_MS = 1000;

let appVersion = '0.0.0';
/** The app version stamped into saved files (the document controller asks main once at start). */
export const setAppVersion = (v: string) => void (appVersion = v);

const notify = (message: string) => viewer.set({ error: message });

export function isDirty(): boolean {
  const s = docStore.get();
  return s.history.present !== s.savedDoc || fileStore.get().reviewDirty;
}

let lastValidSholl: ShollSettings | null = null;

function currentFile(): AnnotationFile {
  const doc = docStore.doc();
  const { start, step, end } = analysisStore.get();
  // Half-typed settings (a step of 0 while the user edits the field) are not saved; the last valid ones are.
  if (step > 0 && start >= 0 && (end === null || end > start)) lastValidSholl = { start, step, end };
  const base = newAnnotationFile(doc, { appVersion, shollSettings: lastValidSholl ?? undefined });
  const review: Review = fileStore.get().review ?? base.review;
  const history = historyStore.get().history;
  return { ...base, image: fileStore.get().identity, review: startedIfTraced({ ...review, modifiedAt: new Date().toISOString() }, doc.neurons.length), ...(history ? { history } : {}) };
}

function applyFile(file: AnnotationFile, asSaved: boolean): void {
  docStore.reset(file.document);
  if (!asSaved) docStore.markSaved(emptyDocument(file.document.calibration));
  // One owner for Sholl settings: inside a project the project's rule (the file only records what it was measured
  // with); outside a project the file's.
  if (file.shollSettings && !projectStore.get().view) analysisStore.set({ start: file.shollSettings.start, step: file.shollSettings.step, end: file.shollSettings.end });
  fileStore.set({ review: file.review, reviewDirty: false });
  historyStore.set({ history: file.history });
}

/** After an image opened: load its saved annotations, and offer an autosaved state left by a crash. */
export async function openAnnotations(file: OpenedFile, info: ImageInfo): Promise<void> {
  fileStore.set({ ...initialFileState });
  historyStore.set({ history: undefined });
  const r = await api()['annotation:open']({ handle: file.handle, width: info.width, height: info.height });
  if (viewer.get().file?.handle !== file.handle) return;
  if (!r.ok) return notify(`Annotations for ${file.name} could not be opened: ${r.error.message}`);
  const o = r.value;
  fileStore.set({ fileName: o.fileName, identity: o.identity, loadError: o.loadError, savedOnDisk: o.file !== null || o.loadError !== null });
  // A project image without a file yet may already have a status (e.g. excluded before anything was traced).
  if (!o.file && o.status) fileStore.set({ review: { ...newAnnotationFile(docStore.doc(), { appVersion }).review, ...o.status } });
  if (o.loadError) notify(`${o.fileName} could not be read: ${o.loadError} Ramify will ask before replacing it.`);
  if (o.file) {
    let attach = true;
    if (o.identityWarning) {
      attach =
        (await ask({
          title: 'Annotations for another image?',
          // Under blinding the warning would name the original file; say only what the user needs to decide.
          message: `${projectStore.get().view?.blinded ? 'These annotations were made on a different image.' : o.identityWarning} Attach them to ${file.name} anyway?`,
          buttons: [
            { id: 'skip', label: "Don't attach" },
            { id: 'attach', label: 'Attach', primary: true },
          ],
          cancelId: 'skip',
        })) === 'attach';
    }
    if (attach) applyFile(o.file, true);
  }
  if (o.recovery) {
    const when = new Date(o.recovery.journaledAt).toLocaleString();
    const choice = await ask({
      title: 'Restore unsaved work?',
      message: `Ramify closed before your last changes to ${file.name} were saved. An autosaved tracing from ${when} (${plural(o.recovery.nodes, 'node')}) can be restored.`,
      buttons: [
        { id: 'discard', label: 'Discard it' },
        { id: 'restore', label: 'Restore', primary: true },
      ],
      cancelId: 'later',
    });
    if (choice === 'restore') {
      const restored = await api()['annotation:restore']({ handle: file.handle });
      if (!restored.ok) return notify(`The autosaved tracing could not be restored: ${restored.error.message}`);
      const saved = docStore.get().savedDoc;
      applyFile(restored.value, true);
      // Restored work is unsaved work: the title shows it until the user saves.
      docStore.markSaved(saved);
    } else if (choice === 'discard') await api()['annotation:discardRecovery']({ handle: file.handle });
  }
}

/** Writes the tracing (the document controller's save). Returns true when the file is saved (or nothing needed saving). */
export async function saveTracing(): Promise<boolean> {
  const opened = viewer.get().file;
  if (!opened) return true;
  const doc = docStore.doc();
  const file = currentFile();
  // A review change made while this save is on its way (a resolve right after a reply) must not be replaced by it.
  const reviewAtStart = fileStore.get().review;
  let r = await api()['annotation:save']({ handle: opened.handle, file: annotationToJson(file) });
  if (!r.ok && r.error.code === 'changed-on-disk') {
    const choice = await ask({
      title: 'The file changed on disk',
      message: `${r.error.message} Another program or window changed it since you opened it. Overwrite it with your tracing? (The previous version is kept as a .bak file.)`,
      buttons: [
        { id: 'cancel', label: 'Cancel' },
        { id: 'overwrite', label: 'Overwrite', primary: true },
      ],
      cancelId: 'cancel',
    });
    if (choice !== 'overwrite') return false;
    r = await api()['annotation:save']({ handle: opened.handle, file: annotationToJson(file), force: true });
  }
  if (!r.ok && r.error.code === 'cancelled') return false;
  if (!r.ok) {
    notify(r.error.message.startsWith('Could not save') ? r.error.message : `Could not save the tracing: ${r.error.message}`);
    return false;
  }
  docStore.markSaved(doc);
  historyStore.set({ history: r.value.history });
  const reviewKept = fileStore.get().review === reviewAtStart;
  fileStore.set({ lastSavedAt: r.value.savedAt, fileName: r.value.fileName, ...(reviewKept ? { review: file.review, reviewDirty: false } : {}), externalChange: null, loadError: null, savedOnDisk: true });
  return true;
}

/** Forgets the recovery journal of the open image (the user chose not to keep the unsaved work). */
export async function discardRecovery(): Promise<void> {
  const h = viewer.get().file?.handle;
  if (h) await api()['annotation:discardRecovery']({ handle: h });
}

/** Another program changed the file: take its version or keep ours (saving will then ask). */
export async function onChangedOnDisk(kind: 'changed' | 'deleted'): Promise<void> {
  fileStore.set({ externalChange: { kind } });
  if (kind === 'deleted') return;
  const h = viewer.get().file?.handle;
  if (!h) return;
  if (!isDirty()) {
    const r = await api()['annotation:reload']({ handle: h });
    if (r.ok) {
      applyFile(r.value, true);
      fileStore.set({ externalChange: null });
    }
  }
}

export async function reloadFromDisk(): Promise<void> {
  const h = viewer.get().file?.handle;
  if (!h) return;
  const r = await api()['annotation:reload']({ handle: h });
  if (!r.ok) return notify(`Could not reload: ${r.error.message}`);
  applyFile(r.value, true);
  fileStore.set({ externalChange: null });
}

export async function importTracing(): Promise<void> {
  // SWC µm are not placed by a print resolution (72 dpi): as on an uncalibrated image, by the file's stated voxel size.
  const cal = microscopeCalibration(docStore.doc().calibration);
  const r = await api()['annotation:importDialog']({ calibration: cal ? { pixelWidth: cal.pixelWidth, pixelHeight: cal.pixelHeight, ...(cal.voxelDepth !== undefined ? { voxelDepth: cal.voxelDepth } : {}) } : null });
  if (!r.ok) return notify(`Import failed: ${r.error.message}`);
  if (!r.value) return;
  const merged = mergeDocuments(docStore.doc(), r.value.document);
  docStore.commit(merged, `Import ${r.value.fileName}`);
  if (r.value.warnings.length) notify(`${r.value.fileName}: ${r.value.warnings.join(' ')}`);
}

export async function exportSwc(): Promise<void> {
  const name = viewer.get().file?.name.replace(/\.[^.]+$/, '') ?? 'tracing';
  const r = await api()['annotation:exportSwcDialog']({ file: annotationToJson(currentFile()), suggestedName: `${name}.swc` });
  if (!r.ok) notify(`SWC export failed: ${r.error.message}`);
}

export function setReview(patch: Partial<Review>): void {
  const current = fileStore.get().review ?? newAnnotationFile(docStore.doc(), { appVersion }).review;
  fileStore.set({ review: { ...current, ...patch }, reviewDirty: true });
}

// Autosave and dirty tracking follow the document store.
let timer: ReturnType<typeof setTimeout> | null = null;
let firstPending = 0;
let lastDirty = false;

function scheduleAutosave(): void {
  const now = Date.now();
  if (!timer) firstPending = now;
  if (timer) clearTimeout(timer);
  // Debounced, but never later than 2 AUTOSAVE_DELAY_MS after the first unsaved edit: at most ~2 s of work at risk.
  const wait = Math.max(0, Math.min(AUTOSAVE_DELAY_MS, firstPending + 2 * AUTOSAVE_DELAY_MS - now));
  timer = setTimeout(() => {
    timer = null;
    void flushAutosave();
  }, wait);
}

let inFlight = 0;
/** True when every edit so far is in the recovery journal (or saved). */
export const autosaveSettled = () => timer === null && inFlight === 0;

export async function flushAutosave(): Promise<void> {
  const opened = viewer.get().file;
  if (!opened || !isDirty()) return;
  inFlight++;
  const r = await api()['annotation:autosave']({ handle: opened.handle, file: annotationToJson(currentFile()) }).finally(() => inFlight--);
  if (r.ok) fileStore.set({ lastJournaledAt: r.value.journaledAt, autosaveError: null });
  else if (fileStore.get().autosaveError !== r.error.message) {
    fileStore.set({ autosaveError: r.error.message });
    notify(`Autosave failed: ${r.error.message}`);
  }
}

/** Re-sends the window title (a new image was opened). */
export let refreshTitle = () => undefined as void;

export function startAutosave(): () => void {
  const onChange = () => {
    const dirty = isDirty();
    if (dirty !== lastDirty) {
      lastDirty = dirty;
      void api()['window:setDirty']({ dirty });
      const name = viewer.get().file?.name;
      void api()['window:setTitle']({ title: name ? `${dirty ? '• ' : ''}${name} — Ramify` : 'Ramify' });
      document.title = name ? `${dirty ? '• ' : ''}${name} — Ramify` : 'Ramify';
    }
    if (dirty) scheduleAutosave();
  };
  // Only edits schedule autosaves: the file store also changes when an autosave lands, which must not loop.
  const offDoc = useDoc.subscribe((s, prev) => s.history.present !== prev.history.present || s.savedDoc !== prev.savedDoc ? onChange() : undefined);
  const offFile = useFile.subscribe((s, prev) => (s.reviewDirty !== prev.reviewDirty || s.review !== prev.review ? onChange() : undefined));
  refreshTitle = () => {
    lastDirty = !isDirty();
    onChange();
  };
  return () => {
    offDoc();
    offFile();
  };
}
