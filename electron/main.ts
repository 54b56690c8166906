import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, type IpcMainInvokeEvent, type OpenDialogOptions, type SaveDialogOptions } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { wireName, type IpcEvents } from '../shared/ipc/contract';
import { registerHandlers } from './ipc-main';
import { buildMenuTemplate } from './menu';
import { handleFromUrl } from './services/file-server';
import { createMainServices, type FolderPurpose, type MainServices } from './services/main-services';
import { hasImageExtension, IMAGE_EXTENSIONS } from '../shared/image/decode';
import { TRACING_EXTENSIONS } from './services/tracing-import';
import { isAllowedNavigation, mainWindowOptions } from './window-options';

// Electron wiring only: every decision lives in plain modules under services/ so tests and the CLI share them.
const here = dirname(fileURLToPath(import.meta.url));
const rendererUrl = process.env.ELECTRON_RENDERER_URL;
const FILE_SCHEME = 'ramify-file';

protocol.registerSchemesAsPrivileged([
  { scheme: FILE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true, stream: true } },
]);

let win: BrowserWindow | null = null;
let services: MainServices;
/** The renderer reports unsaved changes; closing then asks first. */
let dirty = false;
let closingConfirmed = false;

function samplePath(): string {
  const packaged = join(process.resourcesPath ?? '', 'sample', 'sample-neurons.tif');
  return app.isPackaged && existsSync(packaged) ? packaged : join(app.getAppPath(), 'build', 'sample', 'sample-neurons.tif');
}

function send<E extends keyof IpcEvents>(event: E, payload: IpcEvents[E]): void {
  win?.webContents.send(wireName(event), payload);
}

function rebuildMenu(): void {
  const template = buildMenuTemplate(
    {
      open: () => void services.menuActions.open(),
      openRecent: (id) => void services.menuActions.openRecent(id),
      clearRecent: () => void services.handlers['recent:clear'](),
      command: (c) => services.menuActions.command(c),
    },
    services.recent.list(),
    process.platform,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function imageArgument(argv: string[]): string | undefined {
  return argv.slice(1).find((a) => !a.startsWith('-') && hasImageExtension(a));
}

function createWindow(): BrowserWindow {
  const options = mainWindowOptions(join(here, '../preload/index.cjs'));
  // Spelled out here (they are also in mainWindowOptions) so static checkers such as Electronegativity see them.
  const w = new BrowserWindow({ ...options, webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false, disableBlinkFeatures: 'Auxclick' } });
  w.once('ready-to-show', () => w.show());
  w.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  w.on('close', (e) => {
    if (!dirty || closingConfirmed) return;
    e.preventDefault();
    const choice = dialog.showMessageBoxSync(w, {
      type: 'warning',
      buttons: ['Save', "Don't Save", 'Cancel'],
      defaultId: 0,
      cancelId: 2,
      message: 'Save the changes to your tracing before closing?',
      detail: 'Unsaved work is also kept in the recovery journal, but saving writes the annotation file.',
    });
    if (choice === 0) services.menuActions.command('file:saveAndClose');
    else if (choice === 1) {
      closingConfirmed = true;
      w.close();
    }
  });
  w.webContents.on('will-navigate', (e, url) => {
    if (!isAllowedNavigation(url, rendererUrl)) e.preventDefault();
  });
  w.webContents.on('will-attach-webview', (e) => e.preventDefault());
  if (rendererUrl) void w.loadURL(rendererUrl);
  else void w.loadFile(join(here, '../renderer/index.html'));
  return w;
}

/** One path from an open dialog (modal to the window when there is one); null when cancelled. */
async function openOne(options: OpenDialogOptions): Promise<string | null> {
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

/** The path from a save dialog (modal to the window when there is one); null when cancelled. */
async function saveAs(options: SaveDialogOptions): Promise<string | null> {
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : r.filePath;
}

const isTrustedSender = (e: IpcMainInvokeEvent) => win !== null && e.sender === win.webContents && e.senderFrame === win.webContents.mainFrame;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', (_e, argv) => {
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.focus();
    const file = imageArgument(argv);
    if (file) services.menuActions.openPathFromSystem(file);
  });

  void app.whenReady().then(() => {
    services = createMainServices({
      settingsDir: app.getPath('userData'),
      samplePath: samplePath(),
      dialogs: {
        async showOpenTracing() {
          const options = {
            title: 'Import tracing',
            properties: ['openFile' as const],
            filters: [{ name: 'Tracings (SWC, NeuronJ, Ramify)', extensions: [...TRACING_EXTENSIONS] }],
          };
          return openOne(options);
        },
        async showSaveSwc(suggestedName: string) {
          const options = { title: 'Export SWC', defaultPath: suggestedName, filters: [{ name: 'SWC', extensions: ['swc'] }] };
          return saveAs(options);
        },
        async showSaveTracing(suggestedName: string) {
          const options = { title: 'Save tracing', defaultPath: join(app.getPath('documents'), suggestedName), filters: [{ name: 'Ramify tracing', extensions: ['json'] }] };
          return saveAs(options);
        },
        async showSaveReport(suggestedName: string) {
          const options = { title: 'Export report', defaultPath: suggestedName, filters: [{ name: 'HTML report', extensions: ['html'] }] };
          return saveAs(options);
        },
        async showOpenFolder(purpose: FolderPurpose) {
          const titles = { 'new-project': 'Folder of images for the new project', 'open-project': 'Open project folder', export: 'Export to folder', 'merge-wavelengths': 'Folder for the merged images (one per site)' };
          const options = { title: titles[purpose], properties: ['openDirectory' as const, 'createDirectory' as const] };
          return openOne(options);
        },
        async showOpenCsv() {
          const options = { title: 'Conditions CSV', properties: ['openFile' as const], filters: [{ name: 'CSV', extensions: ['csv'] }] };
          return openOne(options);
        },
        async showOpenImage() {
          const options = {
            title: 'Open micrograph',
            properties: ['openFile' as const],
            filters: [
              { name: 'Images', extensions: [...IMAGE_EXTENSIONS] },
              { name: 'All files', extensions: ['*'] },
            ],
          };
          return openOne(options);
        },
      },
      urlFor: (handle) => `${FILE_SCHEME}://file/${handle}`,
      send,
      setTitle: (title) => win?.setTitle(title),
      setDirty: (d) => {
        dirty = d;
        win?.setDocumentEdited(d);
      },
      closeWindow: () => {
        closingConfirmed = true;
        win?.close();
      },
      onRecentChanged: rebuildMenu,
      version: app.getVersion(),
      platform: process.platform,
    });

    protocol.handle(FILE_SCHEME, async (request) => {
      const handle = handleFromUrl(request.url);
      if (!handle) return new Response('Not found', { status: 404 });
      const served = await services.serve(handle, request.headers.get('range'));
      return new Response(served.body as Uint8Array<ArrayBuffer>, { status: served.status, headers: served.headers });
    });

    registerHandlers(ipcMain, services.handlers, isTrustedSender);
    // Ramify needs no camera, microphone, notifications or geolocation: every permission request is refused.
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    rebuildMenu();
    win = createWindow();
    win.on('closed', () => {
      win = null;
      dirty = false;
      closingConfirmed = false;
    });

    const file = imageArgument(process.argv);
    if (file) win.webContents.once('did-finish-load', () => services.menuActions.openPathFromSystem(file));
  });

  app.on('before-quit', () => services?.annotations.closeAll());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 && services) win = createWindow();
  });
}
