import { existsSync } from 'node:fs';
import { z } from 'zod';
import { basename, join } from 'node:path';
import { annotationFromJson } from '../../shared/formats/annotation-file';
import { readFile } from 'node:fs/promises';
import type { ProjectOp } from '../../shared/ipc/contract';
import { parseConditionSpec, type ConditionSpec } from '../../shared/project/conditions';
import { AnnotationSessions, readTracingFile } from './annotation-sessions';
import { scanImageFiles } from './project-files';
import { ProjectSession } from './project-session';
import { Thumbnails } from './thumbnails';
import type { HandlerTable, IpcEvents, MenuCommand, OpenedFile } from '../../shared/ipc/contract';
import { ok, RamifyError, toAppError, type Result } from '../../shared/result';
import { FileHandles, statOrThrow } from './file-handles';
import { RecentFiles } from './recent-files';
import { serveHandle } from './file-server';

/** The one system dialog main needs so far; Electron's in the app, a scripted one in E2E tests. */
export interface DialogService {
  /** Resolves to the chosen path, or null when the user cancels. */
  showOpenImage(): Promise<string | null>;
  /** An SWC, NeuronJ .ndf or Ramify annotation file to import; null when cancelled. */
  showOpenTracing(): Promise<string | null>;
  /** Where to write an SWC export; null when cancelled. */
  showSaveSwc(suggestedName: string): Promise<string | null>;
  /** A folder (of images for a new project, a project to open, or an export destination); null when cancelled. */
  showOpenFolder(purpose: 'new-project' | 'open-project' | 'export'): Promise<string | null>;
  /** A CSV mapping images to conditions; null when cancelled. */
  showOpenCsv(): Promise<string | null>;
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

/** Extensions Ramify opens; anything else is refused before reading. */
export const IMAGE_EXTENSIONS = ['tif', 'tiff', 'png', 'jpg', 'jpeg'] as const;

/**
 * Main's composition root as plain Node code: Electron's main.ts and the E2E harness both build exactly this, so
 * tests exercise the real handlers and only the transport differs.
 */
export function createMainServices(o: MainServicesOptions) {
  const handles = new FileHandles();
  const recent = new RecentFiles(o.settingsDir);
  const project = new ProjectSession();
  const annotations = new AnnotationSessions({
    journalDir: join(o.settingsDir, 'recovery'),
    send: o.send,
    annotationPathFor: (path) => project.annotationPathFor(path),
    onSaved: (path, file) => void project.onAnnotationSaved(path, file).catch((e) => o.send('file:error', toAppError(e))),
  });
  const folders = new FileHandles();
  const thumbnails = new Thumbnails(join(o.settingsDir, 'thumbnails'));
  const imagePath = (handle: unknown) => handles.pathOrThrow(handle);
  const dim = (v: unknown, what: string): number => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 1_000_000) throw new RamifyError('bad-request', `Invalid ${what}.`);
    return v;
  };

  function openPath(path: string, remember = true): OpenedFile {
    const ext = basename(path).split('.').pop()?.toLowerCase() ?? '';
    if (!(IMAGE_EXTENSIONS as readonly string[]).includes(ext)) {
      throw new RamifyError('wrong-type', `${basename(path)} is not an image Ramify opens (TIFF, PNG or JPEG).`);
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
        return { ok: false, error: toAppError(e) };
      }
    };

  const str = (v: unknown, what: string): string => {
    if (typeof v !== 'string' || v.length === 0 || v.length > 4096) throw new RamifyError('bad-request', `Invalid ${what}.`);
    return v;
  };

  const resultsSchema = z.object({ control: z.string().max(4096).nullable(), unit: z.string().min(1).max(4096) });
  const resultsRequest = (req: unknown) => {
    const r = resultsSchema.safeParse(req);
    if (!r.success) throw new RamifyError('bad-request', 'Invalid results request.');
    return r.data;
  };

  const handlers: HandlerTable = {
    'image:openDialog': guard(async () => {
      const path = await o.dialogs.showOpenImage();
      return path === null ? null : openPath(path);
    }),
    'image:openRecent': guard(async (req) => {
      const path = recent.pathOf(str(req?.id, 'recent entry'));
      if (!path) throw new RamifyError('not-found', 'That recent file is no longer in the list.');
      return openPath(path);
    }),
    'image:openSample': guard(async () => {
      if (!existsSync(o.samplePath)) throw new RamifyError('not-found', 'The bundled sample micrograph is missing from this installation.');
      return openPath(o.samplePath, false);
    }),
    'image:openDropped': guard(async (req) => openPath(str(req?.droppedPath, 'dropped file'))),
    'recent:list': guard(async () => recent.list()),
    'recent:clear': guard(async () => {
      recent.clear();
      o.onRecentChanged?.();
      return recent.list();
    }),
    'window:setTitle': guard(async (req) => {
      o.setTitle(str(req?.title, 'title').slice(0, 300));
    }),
    'file:check': guard(async (req) => {
      try {
        handles.describe(str(req?.handle, 'handle'));
        return { exists: true };
      } catch {
        return { exists: false };
      }
    }),
    'app:info': guard(async () => ({ version: o.version, platform: o.platform })),
    'annotation:open': guard(async (req) => annotations.open(imagePath(req?.handle), dim(req?.width, 'width'), dim(req?.height, 'height'))),
    'annotation:save': guard(async (req) => annotations.save(imagePath(req?.handle), req?.file, req?.force === true)),
    'annotation:autosave': guard(async (req) => annotations.autosave(imagePath(req?.handle), req?.file)),
    'annotation:restore': guard(async (req) => annotations.restore(imagePath(req?.handle))),
    'annotation:discardRecovery': guard(async (req) => annotations.discardRecovery(imagePath(req?.handle))),
    'annotation:reload': guard(async (req) => annotations.reload(imagePath(req?.handle))),
    'annotation:importDialog': guard(async (req) => {
      const path = await o.dialogs.showOpenTracing();
      if (path === null) return null;
      const c = req?.calibration;
      const calibration = c && c.pixelWidth > 0 && c.pixelHeight > 0 ? { pixelWidth: Number(c.pixelWidth), pixelHeight: Number(c.pixelHeight) } : null;
      return { ...(await readTracingFile(path, calibration, 1)), fileName: basename(path) };
    }),
    'annotation:exportSwcDialog': guard(async (req) => {
      const name = str(req?.suggestedName, 'file name').replace(/[\\/:*?"<>|]/g, '_');
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
      if (folder === null) return null;
      const images = await scanImageFiles(folder);
      const subfolders = [...new Set(images.filter((p) => p.includes('/')).map((p) => p.split('/')[0]))].sort();
      return { folderToken: folders.register(folder), name: basename(folder), images: images.length, subfolders };
    }),
    'project:chooseCsv': guard(async () => {
      const csv = await o.dialogs.showOpenCsv();
      return csv === null ? null : { csvToken: folders.register(csv), name: basename(csv) };
    }),
    'project:create': guard(async (req) => {
      const folder = folders.pathOrThrow(req?.folderToken);
      const c = req?.conditions;
      let spec: ConditionSpec = { kind: 'none' };
      if (c?.kind === 'subfolder') spec = { kind: 'subfolder' };
      else if (c?.kind === 'regex') spec = parseConditionSpec(`regex:${str(c.pattern, 'pattern')}`);
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
    'project:close': guard(async () => project.close()),
    'project:view': guard(async () => (project.isOpen ? project.view() : null)),
    'project:openImage': guard(async (req) => {
      const id = str(req?.imageId, 'image');
      const opened = openPath(project.imagePath(id), false);
      return { ...opened, name: project.displayNameOf(id) };
    }),
    'project:update': guard(async (req) => project.update(req as ProjectOp)),
    'project:thumbnail': guard(async (req) => {
      const png = await thumbnails.pngFor(project.imagePath(str(req?.imageId, 'image')));
      return { url: o.urlFor(handles.register(png)) };
    }),
    'project:export': guard(async (req) => {
      const out = await o.dialogs.showOpenFolder('export');
      if (out === null) return null;
      const r = await project.export(out, { includePixelColumns: req?.includePixelColumns === true, includeSwc: req?.includeSwc === true, appVersion: o.version }, (done, total) =>
        o.send('project:exportProgress', { done, total }),
      );
      return { folderName: basename(r.outDir), files: r.files.map((f) => ({ name: f.name, rows: f.rows })), warnings: r.warnings, images: r.images, neurons: r.neurons };
    }),
    'project:cancelExport': guard(async () => project.cancelExport()),
    'project:results': guard(async (req) => project.results(resultsRequest(req))),
    'project:report': guard(async (req) => {
      const opts = resultsRequest(req);
      const file = await o.dialogs.showSaveReport(`${project.view().name || 'project'} report.html`);
      if (file === null) return null;
      await project.report(file, { ...opts, appVersion: o.version });
      return { fileName: basename(file) };
    }),
  };

  /** What the native menu (and the E2E harness in its place) asks main to do. */
  const menuActions = {
    async open(): Promise<void> {
      const r = await handlers['image:openDialog']();
      if (!r.ok) o.send('file:error', r.error);
      else if (r.value) o.send('file:opened', r.value);
    },
    async openRecent(id: string): Promise<void> {
      const r = await handlers['image:openRecent']({ id });
      if (r.ok) o.send('file:opened', r.value);
      else o.send('file:error', r.error);
    },
    /** A path given on the command line or by the OS ("open with"). */
    openPathFromSystem(path: string): void {
      try {
        o.send('file:opened', openPath(path));
      } catch (e) {
        o.send('file:error', toAppError(e));
      }
    },
    command(command: MenuCommand): void {
      o.send('menu:command', { command });
    },
  };

  return { handles, recent, annotations, project, handlers, menuActions, openPath, serve: (handle: string) => serveHandle(handles, handle) };
}

export type MainServices = ReturnType<typeof createMainServices>;
