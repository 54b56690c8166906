import type { ConditionChoice, OpenedFile } from '../../../shared/ipc/contract';
import { api } from '../api';
import { neuronCrop } from '../../../shared/gallery/crop';
import { fitBox } from '../image/camera';
import { imageClient } from '../image/image-client';
import { loadImage, reloadPixels, reportError, unloadImage } from '../image/image-session';
import { discardRecovery, isDirty, onChangedOnDisk, openAnnotations, refreshTitle, saveTracing, setAppVersion, setReview, startAutosave } from '../persistence/annotation-session';
import { fileStore } from '../persistence/file-store';
import { adoptProject, refreshProject, startShollSync } from '../project/project-actions';
import { adoptNamedChannels, startTracingSync } from '../project/tracing-sync';
import { projectStore } from '../project/project-store';
import { ask } from '../shell/ask';
import { docStore } from '../stores/doc-store';
import { viewer } from '../stores/viewer-store';
import { traceClient } from '../tracing/trace-client';
import { traceStore } from '../tracing/trace-store';
import { reviewSavedTrace } from '../tracing/autotrace-session';
import { historyStore } from '../review/history-store';
import { awaitsBatchReview, batchNoteEndedBySave, emptyAsTheBatchLeftIt, openBatchNote } from '../../../shared/tracing/auto/saved-trace';
import { nothingFoundNotice } from '../../../shared/tracing/auto/batch-note';
import { setResolved } from '../../../shared/review/comments';
import type { ReviewComment } from '../../../shared/formats/annotation/types';
import { settingsStore } from '../settings/settings-store';
import { refreshGallery } from '../gallery/gallery-store';
import { autotraceSummary } from '../../../shared/project/autotrace-summary';
import { oneOrMany, plural } from '../../../shared/text/plural';

/**
 * The one place that opens, saves, reloads and closes documents: images on their own, projects and the images of a
 * project, and the work a crash left behind. Panels, the project list, menus and shortcuts call these functions and
 * react to the stores they update (viewer, document, file, project, analysis); the modules below this one (image,
 * annotation and project sessions) never call each other's open or close. Nothing runs at import time:
 * startDocumentController wires events and starts the first document.
 */

/** Takes the version another program wrote (the external-change banner's "Load theirs"). */
export { reloadFromDisk } from '../persistence/annotation-session';

/** Opens an image on its own or as the current image of the project; false when the user kept the previous one. */
export async function openImage(file: OpenedFile): Promise<boolean> {
  if (!(await resolveUnsaved(`opening ${file.name}`))) return false;
  const info = await loadImage(file);
  if (!info) return false;
  adoptNamedChannels(info);
  refreshTitle();
  await openAnnotations(file, info);
  // An image a project's batch traced and nobody has reviewed since: its neurons open under review, as after Detect;
  // where it found nothing, what it traced and how to end the check are said.
  const review = fileStore.get().review;
  const history = historyStore.get().history;
  if (viewer.get().file === file && !isDirty() && review) {
    if (awaitsBatchReview(review, history)) void reviewSavedTrace({ onReviewed: () => void batchReviewed(file) });
    else if (emptyAsTheBatchLeftIt({ document: docStore.doc(), review, history })) viewer.set({ notice: nothingFoundNotice(review.comments[0].text) });
  }
  return true;
}

/**
 * The review of a batch-traced image ended (every neuron accepted or discarded): the batch's "awaiting review" note is
 * resolved in the reviewer's name and the file saved, so the image opens as reviewed work from now on, corrections
 * and all (like other review actions, it does not wait for Ctrl+S).
 */
async function batchReviewed(file: OpenedFile): Promise<void> {
  const comments = fileStore.get().review?.comments ?? [];
  const note = openBatchNote(comments);
  // The same image, by its handle: blinding switched on or off meanwhile renames the open file (a new object).
  if (viewer.get().file?.handle !== file.handle || note < 0) return;
  resolveBatchNote(comments, note);
  if (await save()) sayChecked();
}

/** The batch's note resolved in the name of the user the settings name: the check it asked for is done. */
function resolveBatchNote(comments: ReviewComment[], note: number): void {
  const { userName, role } = settingsStore.get().settings;
  setReview({ comments: setResolved(comments, note, true, { author: userName, role, at: new Date().toISOString() }) });
}

/** Said at once when a batch's image is checked, so that the technician knows it is done and how many are left. */
function sayChecked(): void {
  const { view, currentImageId } = projectStore.get();
  // The project list may not have caught up with this save yet: the image on screen is counted as checked.
  const left = view?.images.filter((i) => i.toCheck && i.id !== currentImageId).length ?? 0;
  const next = left > 0 ? `${plural(left, 'auto-traced image')} still to check; Shift+N opens the next image to review.` : 'Every auto-traced image of the project is checked.';
  // The name the project list shows: a code when the project is blinded.
  const name = view?.images.find((i) => i.id === currentImageId)?.displayName ?? viewer.get().file?.name ?? '';
  viewer.set({ notice: `${name} checked and saved: ${plural(docStore.doc().neurons.length, 'neuron')}. ${view ? next : ''}`.trim() });
}

/**
 * The first save with a neuron on an image where a batch found nothing ends that check: the batch's note ("0
 * neurons; awaiting review") is resolved in the saver's name, as the end of a batch trace's review resolves it
 * (batchReviewed). True when it was.
 */
function endEmptyBatchCheck(): boolean {
  const review = fileStore.get().review;
  if (!review) return false;
  const note = batchNoteEndedBySave({ document: docStore.get().savedDoc, review, history: historyStore.get().history }, docStore.doc().neurons.length);
  if (note < 0) return false;
  resolveBatchNote(review.comments, note);
  return true;
}

export async function closeImage(): Promise<void> {
  if (!(await resolveUnsaved('closing the image'))) return;
  unloadImage();
  refreshTitle();
}

/** Ctrl+S. Returns true when the file is saved (or nothing needed saving). */
export async function save(): Promise<boolean> {
  const checked = endEmptyBatchCheck();
  const saved = await saveTracing();
  // Neuron counts and statuses in the project list change with the saved file.
  if (saved) void refreshProject();
  if (saved && checked) sayChecked();
  return saved;
}

/** Before the image is replaced or closed: save, discard or stay. */
export async function resolveUnsaved(action: string): Promise<boolean> {
  if (!isDirty()) return true;
  const choice = await ask({
    title: 'Unsaved tracing',
    message: `Save your changes to ${fileStore.get().fileName ?? 'this tracing'} before ${action}?`,
    buttons: [
      { id: 'cancel', label: 'Cancel' },
      { id: 'discard', label: "Don't save" },
      { id: 'save', label: 'Save', primary: true },
    ],
    cancelId: 'cancel',
  });
  if (choice === 'save') return save();
  if (choice === 'discard') {
    await discardRecovery();
    return true;
  }
  return false;
}

export async function saveAndClose(): Promise<void> {
  if (await save()) await api()['window:close']();
}

export async function createProject(folderToken: string, conditions: ConditionChoice): Promise<boolean> {
  const r = await api()['project:create']({ folderToken, conditions });
  if (!r.ok) {
    reportError(`Could not create the project: ${r.error.message}`);
    return false;
  }
  adoptProject(r.value, true);
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
  adoptProject(r.value);
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
  await openAsProjectImage(r.value, imageId);
}

async function openAsProjectImage(file: OpenedFile, imageId: string): Promise<void> {
  const before = projectStore.get().currentImageId;
  projectStore.set({ currentImageId: imageId });
  await openImage(file);
  // The user kept the previous image (cancelled at "unsaved changes").
  if (viewer.get().file?.handle !== file.handle) projectStore.set({ currentImageId: before });
}

/** Opens a project image with one of its neurons selected and centred (a gallery tile's click). */
export async function openProjectNeuron(imageId: string, neuronId: number): Promise<void> {
  if (projectStore.get().currentImageId !== imageId || !viewer.get().file) await openProjectImage(imageId);
  if (projectStore.get().currentImageId !== imageId) return;
  if (!showNeuron(neuronId)) reportError('That neuron is no longer in the tracing (it was deleted or the file changed).');
}

/** Selects a neuron of the open image and fits the view to it (its gallery tile's square); false when it is gone. */
export function showNeuron(neuronId: number): boolean {
  const neuron = docStore.doc().neurons.find((n) => n.id === neuronId);
  if (!neuron) return false;
  docStore.select({ kind: 'neuron', neuronId });
  const { info, viewport } = viewer.get();
  if (info) viewer.set({ camera: fitBox(neuronCrop(neuron, info.width, info.height), viewport.width, viewport.height) });
  return true;
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

/**
 * At start: when a crash left unsaved work, say where it is and offer to reopen it (opening it then offers the
 * restore). True when something was reopened.
 */
export async function offerRecoveredWork(): Promise<boolean> {
  const r = await api()['recovery:list']();
  if (!r.ok || r.value.length === 0) return false;
  const [w, ...others] = r.value;
  const where = w.projectName ? `${w.imageName} (project ${w.projectName})` : w.imageName;
  const more = others.length ? ` Unsaved work in ${plural(others.length, 'more image')} is offered when you open ${oneOrMany(others.length, 'it', 'them')}.` : '';
  const choice = await ask({
    title: 'Unsaved work from last time',
    message: `Ramify closed before your changes to ${where} were saved. A recovery copy from ${new Date(w.journaledAt).toLocaleString()}${w.nodes > 0 ? ` (${w.nodes} traced nodes)` : ''} is kept.${more} Reopen ${w.imageName} to restore it?`,
    buttons: [
      { id: 'later', label: 'Not now' },
      { id: 'reopen', label: 'Reopen', primary: true },
    ],
    cancelId: 'later',
  });
  if (choice !== 'reopen') return false;
  const opened = await api()['recovery:reopen']({ key: w.key });
  if (!opened.ok) {
    reportError(`Could not reopen ${w.imageName}: ${opened.error.message}`);
    return false;
  }
  const { file, project, imageId } = opened.value;
  if (project && imageId) {
    adoptProject(project);
    await openAsProjectImage(file, imageId);
  } else await openImage(file);
  return true;
}

/** Wires main's events, autosave, the project's Sholl settings and channels, and worker recovery; opens the first document. */
export function startDocumentController(): () => void {
  const a = api();
  const offs = [
    a.on('file:opened', (f) => void openImage(f)),
    a.on('file:error', (e) => reportError(e.message)),
    a.on('annotation:changedOnDisk', ({ kind }) => void onChangedOnDisk(kind)),
    startAutosave(),
    startShollSync(),
    startTracingSync(),
    // A worker that died lost what it held: say so, and give it back what the screen shows.
    imageClient().onCrash((e) => {
      reportError(`${e.message}. Ramify restarted it and reloaded the image; your tracing is untouched.`);
      void reloadPixels();
    }),
    traceClient().onCrash((e) => {
      traceStore.set({ draft: null, status: 'idle', statusMessage: null });
      reportError(`${e.message}. Ramify restarted it; the branch being drawn was dropped, finished branches are kept.`);
    }),
  ];
  void a['app:info']().then((r) => r.ok && setAppVersion(r.value.version)).catch(() => undefined);
  void (async () => {
    if (await offerRecoveredWork()) return;
    // With nothing else to show, start on the bundled sample so a first-time user sees a real micrograph.
    const r = await a['image:openSample']();
    if (viewer.get().file || viewer.get().loading) return;
    if (r.ok) void openImage(r.value);
    else reportError(r.error.message);
  })();
  return () => offs.forEach((off) => off());
}

/**
 * Traces every image of the project that has no annotations, and again those an earlier batch traced with other
 * settings that nobody has checked since (in a worker in main; the images someone traced or saved are left alone),
 * then shows the outcome. The files are marked as needing review.
 */
export async function autotraceProject(minBranchUm: number, nucleusChannel: number | null): Promise<void> {
  projectStore.set({ autotrace: { done: 0, total: 0 } });
  // The image on screen with unsaved work: that work exists only here, so main cannot see it; it is left alone.
  const open = projectStore.get().currentImageId;
  const { channel } = traceStore.get();
  const nuclei = nucleusChannel !== null && nucleusChannel !== channel ? { nucleusChannel } : {};
  const r = await api()['project:autotrace']({ minBranchUm, channel, ...nuclei, skipImageIds: open && isDirty() ? [open] : [] });
  projectStore.set({ autotrace: null });
  if (!r.ok) return reportError(`Automatic tracing failed: ${r.error.message}`);
  const { currentImageId } = projectStore.get();
  const shown = projectStore.get().view?.images.find((i) => i.id === currentImageId);
  const wasEmpty = shown?.neurons === 0;
  projectStore.set({ view: r.value.view });
  if (r.value.traced > 0) void refreshGallery();
  // The image on screen may have just been traced on disk: load that trace, or the note of a batch that found nothing
  // there (an unedited empty document only), or, when the batch traced unchecked traces again (r.value.retraced) and
  // it was one, the new one in place of the one shown.
  const now = r.value.view.images.find((i) => i.id === currentImageId);
  const written = (now?.neurons ?? 0) > 0 || now?.toCheck === true;
  const untouched = docStore.get().history.past === null && !isDirty();
  if (currentImageId && written && untouched && ((wasEmpty && docStore.doc().neurons.length === 0) || (shown?.toCheck === true && (r.value.retraced ?? 0) > 0))) await openProjectImage(currentImageId);
  viewer.set({ notice: autotraceSummary(r.value, (kind) => (kind === 'channel' ? 'Choose it under Tracing ▸ Channel' : 'Choose it under Automatic tracing ▸ Cell bodies') + ' and run Auto-trace all images again: the images no one has checked are traced again.') });
}
