import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { annotationFromJson } from '../../shared/formats/annotation-file';
import { readFile } from 'node:fs/promises';
import type { ProjectOp } from '../../shared/ipc/contract';
import { parseConditionSpec, type ConditionSpec } from '../../shared/project/conditions';
import { AnnotationSessions } from './annotation-sessions';
import { readTracingFile } from './tracing-import';
import { folderNotes, scanImageFiles } from './project-files';
import { mergeOutcomeLines, mergePlateWavelengths } from './merge-wavelengths';
import { wavelengthSets } from '../../shared/image/wavelength-sets';
import { ProjectSession } from './project-session';
import { Thumbnails } from './thumbnails';
import { GalleryService } from './gallery-service';
import { validateHandlers, type ChosenFolder, type HandlerTable, type IpcEvents, type MenuCommand, type OpenedFile } from '../../shared/ipc/contract';
import { ok, RamifyError, toAppError, type AppError, type Result } from '../../shared/result';
import { FileHandles, statOrThrow } from './file-handles';
import { RecentFiles } from './recent-files';
import { Settings } from './settings';
import { serveHandle } from './file-server';
import { JsonStore } from './json-store';
import { RecoveryLocator } from './recovery-locator';
import { hasImageExtension } from '../../shared/image/decode';
import { otherFormatByName } from '../../shared/image/other-formats';

/** What a folder is asked for: each purpose has its dialog title. */
export type FolderPurpose = 'new-project' | 'open-project' | 'export' | 'merge-wavelengths';

/** How the New project dialog's note on a plate's wavelength files says to merge them. */
const MERGE_IN_THE_APP = 'merge them first (Merge wavelengths… below): each site becomes one image, and the project is made of those.';

/** The one system dialog main needs so far; Electron's in the app, a scripted one in E2E tests. */
export interface DialogService {
  /** Resolves to the chosen path, or null when the user cancels. */
  showOpenImage(): Promise<string | null>;
  /** An SWC, NeuronJ .ndf or Ramify annotation file to import; null when cancelled. */
  showOpenTracing(): Promise<string | null>;
  /** Where to write an SWC export; null when cancelled. */
  showSaveSwc(suggestedName: string): Promise<string | null>;
  /**
   * A folder (of images for a new project, a project to open, an export destination, or where a plate's merged
   * images go); null when cancelled.
   */
  showOpenFolder(purpose: FolderPurpose): Promise<string | null>;
  /** A CSV mapping images to conditions; null when cancelled. */
  showOpenCsv(): Promise<string | null>;
  /** Where to save a tracing that cannot live beside its image (the bundled sample); null when cancelled. */
  showSaveTracing(suggestedName: string): Promise<string | null>;
  /** Where to write the HTML report; null when cancelled. */
  showSaveReport(suggestedName: string): Promise<string | null>;
}

export interface MainServicesOptions {
  settingsDir: string;
  /** The bundled sample micrograph. */
  samplePath: string;
  dialogs: DialogService;
  /** The URL that serves a handle's bytes in this transport. */
  urlFor(handle: string): string;
  /** Pushes an event to the renderer. */
  send<E extends keyof IpcEvents>(event: E, payload: IpcEvents[E]): void;
  setTitle(title: string): void;
  /** Main asks before closing a window with unsaved changes. */
  setDirty(dirty: boolean): void;
  /** Closes the window (the renderer has dealt with unsaved changes). */
  closeWindow(): void;
  /** Called when the recent list changes, so the native menu can be rebuilt. */
  onRecentChanged?(): void;
  version: string;
  platform: string;
}

/**
 * Main's composition root as plain Node code: Electron's main.ts and the E2E harness both build exactly this, so
 * tests exercise the real handlers and only the transport differs.
 */
export function createMainServices(o: MainServicesOptions) {
  const handles = new FileHandles();
  const recent = new RecentFiles(o.settingsDir);
  const settings = new Settings(o.settingsDir);
  const project: ProjectSession = new ProjectSession({ onAnnotationRenamed: (from, to) => annotations.moved(from, to), currentUser: () => settings.get().userName });
  /** Every message main sends while a project is blinded goes through this, whatever code built it. */
  const redacted = (a: AppError): AppError => ({ ...a, message: project.redact(a.message) });
  const shownError = (e: unknown): AppError => redacted(toAppError(e));
  const send: MainServicesOptions['send'] = (event, payload) => {
    if (event !== 'file:error') return o.send(event, payload);
    o.send(event, redacted(payload as AppError) as typeof payload);
  };
  const annotations = new AnnotationSessions({
    journalDir: join(o.settingsDir, 'recovery'),
    send,
    annotationPathFor: (path) => annotationPathOf(path),
    blindNameFor: (path) => project.blindNameOf(path),
    statusFor: (path) => project.statusOf(path),
    redact: (text) => project.redact(text),
    saver: () => settings.get(),
    // The tracing is saved even when the project file cannot be updated; the user is told.
    onSaved: (path, file) =>
      project
        .onAnnotationSaved(path, file)
        .then((imageId) => {
          if (imageId) send('project:annotationSaved', { imageId });
        })
        .catch((e) => send('file:error', toAppError(e))),
  });
  const folders = new FileHandles();
  let mergeAbort: AbortController | null = null;
  /** A folder a new project may be made of, as the New project dialog shows it. */
  const chosenFolder = async (folder: string): Promise<ChosenFolder> => {
    const others: string[] = [];
    const images = await scanImageFiles(folder, others);
    const subfolders = [...new Set(images.filter((p) => p.includes('/')).map((p) => p.split('/')[0]))].sort();
    const { sets } = wavelengthSets(images);
    return { folderToken: folders.register(folder), name: basename(folder), images: images.length, subfolders, notes: folderNotes(sets, others, MERGE_IN_THE_APP), wavelengthSites: sets.length };
  };
  const thumbnails = new Thumbnails(join(o.settingsDir, 'thumbnails'));
  const gallery = new GalleryService({ urlFor: (path) => o.urlFor(handles.register(path)), send: (e, p) => o.send(e, p), fallbackCacheDir: join(o.settingsDir, 'gallery-cache') });
  const imagePath = (handle: unknown) => handles.pathOrThrow(handle);

  function openPath(path: string, remember = true): OpenedFile {
    // Anything but an image file name is refused before reading.
    if (!hasImageExtension(basename(path))) {
      const other = otherFormatByName(path);
      throw new RamifyError('wrong-type', other ? `${basename(path)} is ${other.what}. ${other.advice}` : `${basename(path)} is not an image Ramify opens (TIFF, PNG or JPEG).`);
    }
    const st = statOrThrow(path);
    const handle = handles.register(path);
    if (remember) {
      recent.add(path);
      o.onRecentChanged?.();
    }
    return { handle, name: basename(path), size: st.size, mtimeMs: st.mtimeMs, url: o.urlFor(handle) };
  }

  const guard =
    <A extends unknown[], T>(f: (...a: A) => Promise<T> | T) =>
    async (...a: A): Promise<Result<T>> => {
      try {
        return ok(await f(...a));
      } catch (e) {
        return { ok: false, error: shownError(e) };
      }
    };

  // The bundled sample sits in the app's own (read-only once installed) folder: its tracing lives where the user
  // chose at the first save, remembered across starts.
  const sampleTracing = new JsonStore<{ path: string | null }>(join(o.settingsDir, 'sample-tracing.json'), { path: null }, (v) =>
    v && typeof (v as { path?: unknown }).path === 'string' ? { path: (v as { path: string }).path } : undefined,
  );
  const isSample = (path: string) => resolve(path) === resolve(o.samplePath);
  const annotationPathOf = async (path: string) => (await project.annotationPathFor(path)) ?? (isSample(path) ? (sampleTracing.read().path ?? undefined) : undefined);

  // A save that arrives while the Save As dialog is open (Ctrl+S again, a review action saving itself) waits for the
  // same answer: a second dialog could send the two saves to different files.
  let sampleSaveAs: Promise<void> | null = null;
  function saveSampleAs(path: string): Promise<void> {
    sampleSaveAs ??= askSampleTarget(path).finally(() => (sampleSaveAs = null));
    return sampleSaveAs;
  }

  async function askSampleTarget(path: string): Promise<void> {
    const chosen = await o.dialogs.showSaveTracing('sample-neurons.ramify.json');
    if (chosen === null) throw new RamifyError('cancelled', 'The tracing was not saved.');
    const target = chosen.toLowerCase().endsWith('.json') ? chosen : `${chosen}.ramify.json`;
    await annotations.relocate(path, target);
    sampleTracing.write({ path: target });
    recent.add(path);
    o.onRecentChanged?.();
  }

  const recovery = new RecoveryLocator(annotations.journal);

  const handlers: HandlerTable = validateHandlers({
    'image:openDialog': guard(async () => {
      const path = await o.dialogs.showOpenImage();
      return path === null ? null : openPath(path);
    }),
    'image:openRecent': guard(async (req) => {
      const path = recent.pathOf(req.id);
      if (!path) throw new RamifyError('not-found', 'That recent file is no longer in the list.');
      return openPath(path);
    }),
    'image:openSample': guard(async () => {
      if (!existsSync(o.samplePath)) throw new RamifyError('not-found', 'The bundled sample micrograph is missing from this installation.');
      return openPath(o.samplePath, false);
    }),
    'image:openDropped': guard(async (req) => openPath(req.droppedPath)),
    'recent:list': guard(async () => recent.list()),
    'recent:clear': guard(async () => {
      recent.clear();
      o.onRecentChanged?.();
      return recent.list();
    }),
    'window:setTitle': guard(async (req) => {
      // The schema lets '' through; a window title is never empty.
      if (req.title.length === 0) throw new RamifyError('bad-request', 'Invalid title.');
      o.setTitle(req.title.slice(0, 300));
    }),
    'file:check': guard(async (req) => {
      try {
        handles.describe(req.handle);
        return { exists: true };
      } catch {
        return { exists: false };
      }
    }),
    'app:info': guard(async () => ({ version: o.version, platform: o.platform })),
    'annotation:open': guard(async (req) => annotations.open(imagePath(req.handle), req.width, req.height)),
    'annotation:save': guard(async (req) => {
      const path = imagePath(req.handle);
      if (isSample(path) && !sampleTracing.read().path) await saveSampleAs(path);
      return annotations.save(path, req.file, req.force === true);
    }),
    'annotation:autosave': guard(async (req) => annotations.autosave(imagePath(req?.handle), req?.file)),
    'annotation:restore': guard(async (req) => annotations.restore(imagePath(req?.handle))),
    'annotation:discardRecovery': guard(async (req) => annotations.discardRecovery(imagePath(req?.handle))),
    'annotation:reload': guard(async (req) => annotations.reload(imagePath(req?.handle))),
    'annotation:importDialog': guard(async (req) => {
      const path = await o.dialogs.showOpenTracing();
      if (path === null) return null;
      // The request schema has already checked the calibration (positive, finite, nothing else).
      return readTracingFile(path, req.calibration);
    }),
    'annotation:exportSwcDialog': guard(async (req) => {
      const name = req.suggestedName.replace(/[\\/:*?"<>|]/g, '_');
      const path = await o.dialogs.showSaveSwc(name);
      if (path === null) return null;
      // Validated exactly like a saved file, then written as SWC.
      await annotations.exportSwc(path, annotationFromJson(req?.file).document);
      return { fileName: basename(path) };
    }),
    'window:setDirty': guard(async (req) => o.setDirty(req?.dirty === true)),
    'window:close': guard(async () => o.closeWindow()),
    'project:chooseFolder': guard(async () => {
      const folder = await o.dialogs.showOpenFolder('new-project');
      return folder === null ? null : chosenFolder(folder);
    }),
    'project:mergeWavelengths': guard(async (req) => {
      const plate = folders.pathOrThrow(req.folderToken);
      const out = await o.dialogs.showOpenFolder('merge-wavelengths');
      if (out === null) return null;
      mergeAbort?.abort();
      const abort = new AbortController();
      mergeAbort = abort;
      try {
        const outcome = await mergePlateWavelengths(plate, out, { signal: abort.signal, onProgress: (done, total) => o.send('project:mergeProgress', { done, total }) });
        return { lines: mergeOutcomeLines(outcome, basename(out)), folder: await chosenFolder(out) };
      } finally {
        if (mergeAbort === abort) mergeAbort = null;
      }
    }),
    'project:cancelMerge': guard(async () => mergeAbort?.abort()),
    'project:chooseCsv': guard(async () => {
      const csv = await o.dialogs.showOpenCsv();
      return csv === null ? null : { csvToken: folders.register(csv), name: basename(csv) };
    }),
    'project:create': guard(async (req) => {
      const folder = folders.pathOrThrow(req?.folderToken);
      const c = req?.conditions;
      let spec: ConditionSpec = { kind: 'none' };
      if (c?.kind === 'subfolder') spec = { kind: 'subfolder' };
      else if (c?.kind === 'regex') spec = parseConditionSpec(`regex:${c.pattern}`);
      else if (c?.kind === 'csv') {
        const file = folders.pathOrThrow(c.csvToken);
        spec = { kind: 'csv', file, text: await readFile(file, 'utf8') };
      }
      return project.create(folder, spec);
    }),
    'project:openDialog': guard(async () => {
      const folder = await o.dialogs.showOpenFolder('open-project');
      return folder === null ? null : project.open(folder);
    }),
    'project:close': guard(async () => {
      gallery.cancel();
      project.close();
    }),
    'project:view': guard(async () => (project.isOpen ? project.view() : null)),
    'project:openImage': guard(async (req) => {
      const token = req.imageId;
      const opened = openPath(project.imagePath(token), false);
      return { ...opened, name: project.displayNameOf(token) };
    }),
    'project:update': guard(async (req) => project.update(req as ProjectOp)),
    'project:thumbnail': guard(async (req) => {
      const png = await thumbnails.pngFor(project.imagePath(req.imageId));
      return { url: o.urlFor(handles.register(png)) };
    }),
    'gallery:open': guard(async (req) => gallery.open(project.galleryContext(), req.size)),
    'gallery:cancel': guard(async () => gallery.cancel()),
    'project:export': guard(async (req) => {
      const out = await o.dialogs.showOpenFolder('export');
      if (out === null) return null;
      const r = await project.export(out, { includePixelColumns: req?.includePixelColumns === true, includeSwc: req?.includeSwc === true, approvedOnly: req?.approvedOnly === true, appVersion: o.version }, (done, total) =>
        o.send('project:exportProgress', { done, total }),
      );
      return { folderName: project.redact(basename(r.outDir)), files: r.files.map((f) => ({ name: f.name, rows: f.rows })), warnings: r.warnings, images: r.images, neurons: r.neurons, ...(r.notApproved ? { notApproved: r.notApproved } : {}) };
    }),
    'project:cancelExport': guard(async () => project.cancelExport()),
    'recovery:list': guard(async () => (await recovery.list()).map((w) => w.work)),
    'recovery:reopen': guard(async (req) => {
      const found = (await recovery.list()).find((w) => w.work.key === req.key);
      if (!found) throw new RamifyError('not-found', 'That unsaved work is no longer in the recovery folder.');
      if (found.projectDir) {
        const view = await project.open(found.projectDir);
        // The renderer knows the image by the id its view gives it (which need not be the project's own id).
        const image = view.images.find((i) => project.imagePath(i.id) === found.imagePath);
        if (!image) throw new RamifyError('not-found', 'That image is no longer part of its project.');
        const opened = openPath(found.imagePath, false);
        return { file: { ...opened, name: image.displayName }, project: view, imageId: image.id };
      }
      return { file: openPath(found.imagePath, !isSample(found.imagePath)), project: null, imageId: null };
    }),
    'project:autotrace': guard(async (req) => project.autotrace(req.minBranchUm, req.channel ?? 0, req.nucleusChannel, req.skipImageIds ?? [], (done, total) => o.send('project:autotraceProgress', { done, total }))),
    'project:cancelAutotrace': guard(async () => project.cancelAutotrace()),
    'settings:get': guard(async () => settings.get()),
    'settings:set': guard(async (req) => settings.set(req)),
    'project:agreement': guard(() => project.agreement()),
    'project:assignAgreement': guard((req) => project.assignAgreement(req)),
    'project:results': guard(async (req) => project.results(req)),
    'project:report': guard(async (req) => {
      const file = await o.dialogs.showSaveReport(`${project.view().name || 'project'} report.html`);
      if (file === null) return null;
      await project.report(file, { ...req, appVersion: o.version });
      return { fileName: basename(file) };
    }),
  });

  /** What the native menu (and the E2E harness in its place) asks main to do. */
  const menuActions = {
    async open(): Promise<void> {
      const r = await handlers['image:openDialog']();
      if (!r.ok) send('file:error', r.error);
      else if (r.value) o.send('file:opened', r.value);
    },
    async openRecent(id: string): Promise<void> {
      const r = await handlers['image:openRecent']({ id });
      if (r.ok) o.send('file:opened', r.value);
      else send('file:error', r.error);
    },
    /** A path given on the command line or by the OS ("open with"). */
    openPathFromSystem(path: string): void {
      try {
        o.send('file:opened', openPath(path));
      } catch (e) {
        send('file:error', toAppError(e));
      }
    },
    command(command: MenuCommand): void {
      o.send('menu:command', { command });
    },
  };

  return { handles, recent, settings, annotations, project, handlers, menuActions, openPath, serve: (handle: string, range?: string | null) => serveHandle(handles, handle, range) };
}

export type MainServices = ReturnType<typeof createMainServices>;
