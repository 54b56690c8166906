import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNELS, wireName } from '../../../shared/ipc/contract';

// Loads electron/main.ts against a stand-in `electron` module (the binary cannot run here) and checks what it wires.
const rec = vi.hoisted(() => ({
  schemes: [] as unknown[],
  protocolHandlers: new Map<string, (req: { url: string; headers: Headers }) => Promise<Response>>(),
  ipc: new Map<string, (event: unknown, req: unknown) => unknown>(),
  windows: [] as Array<{ options: Record<string, unknown>; webContents: Record<string, unknown>; loaded: string[]; listeners: Map<string, (...a: unknown[]) => void>; openHandler?: (d: { url: string }) => unknown }>,
  menus: [] as unknown[],
  userData: '',
  permissionHandler: null as null | ((wc: unknown, p: string, cb: (ok: boolean) => void) => void),
  readyPromise: null as null | Promise<void>,
}));

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = () => rec.windows;
    webContents: Record<string, unknown>;
    loaded: string[] = [];
    listeners = new Map<string, (...a: unknown[]) => void>();
    openHandler?: (d: { url: string }) => unknown;
    constructor(public options: Record<string, unknown>) {
      const mainFrame = {};
      this.webContents = {
        mainFrame,
        setWindowOpenHandler: (h: (d: { url: string }) => unknown) => (this.openHandler = h),
        on: (ev: string, fn: (...a: unknown[]) => void) => this.listeners.set(`wc:${ev}`, fn),
        once: (ev: string, fn: (...a: unknown[]) => void) => this.listeners.set(`wc:${ev}`, fn),
        send: vi.fn(),
      };
      rec.windows.push(this as never);
    }
    once(ev: string, fn: () => void) {
      this.listeners.set(ev, fn);
    }
    on(ev: string, fn: () => void) {
      this.listeners.set(ev, fn);
    }
    loadURL(u: string) {
      this.loaded.push(u);
      return Promise.resolve();
    }
    loadFile(f: string) {
      this.loaded.push(f);
      return Promise.resolve();
    }
    setTitle() {}
    setDocumentEdited() {}
    show() {}
  }
  const app = {
    isPackaged: false,
    whenReady: () => (rec.readyPromise = Promise.resolve()),
    getPath: () => rec.userData,
    getVersion: () => '9.9.9',
    getAppPath: () => '/app',
    requestSingleInstanceLock: () => true,
    on: vi.fn(),
    quit: vi.fn(),
  };
  return {
    app,
    BrowserWindow,
    dialog: { showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] })), showSaveDialog: vi.fn(), showMessageBoxSync: vi.fn(() => 2) },
    session: { defaultSession: { setPermissionRequestHandler: (h: (wc: unknown, p: string, cb: (ok: boolean) => void) => void) => (rec.permissionHandler = h) } },
    ipcMain: { handle: (name: string, fn: (e: unknown, r: unknown) => unknown) => rec.ipc.set(name, fn) },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => rec.menus.push(m) },
    protocol: {
      registerSchemesAsPrivileged: (s: unknown[]) => rec.schemes.push(...s),
      handle: (scheme: string, fn: (req: { url: string; headers: Headers }) => Promise<Response>) => rec.protocolHandlers.set(scheme, fn),
    },
    shell: { openExternal: vi.fn() },
  };
});

beforeAll(async () => {
  rec.userData = mkdtempSync(join(tmpdir(), 'ramify-wiring-'));
  await import('../../../electron/main');
  await rec.readyPromise;
  await new Promise((r) => setTimeout(r, 0));
});

describe('electron/main.ts wiring', () => {
  it('creates one secure window with the CommonJS preload', () => {
    expect(rec.windows).toHaveLength(1);
    const prefs = rec.windows[0].options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(rec.windows[0].loaded[0]).toMatch(/renderer[\\/]index\.html$/);
  });

  it('refuses every permission request', () => {
    const answers: boolean[] = [];
    rec.permissionHandler!({}, 'media', (ok) => answers.push(ok));
    rec.permissionHandler!({}, 'notifications', (ok) => answers.push(ok));
    expect(answers).toEqual([false, false]);
  });

  it('asks before closing a window with unsaved changes', async () => {
    const w = rec.windows[0];
    const wc = w.webContents;
    await rec.ipc.get(wireName('window:setDirty'))!({ sender: wc, senderFrame: wc.mainFrame }, { dirty: true });
    const prevent = vi.fn();
    w.listeners.get('close')!({ preventDefault: prevent });
    expect(prevent).toHaveBeenCalled();
    await rec.ipc.get(wireName('window:setDirty'))!({ sender: wc, senderFrame: wc.mainFrame }, { dirty: false });
    const prevent2 = vi.fn();
    w.listeners.get('close')!({ preventDefault: prevent2 });
    expect(prevent2).not.toHaveBeenCalled();
  });

  it('denies new windows and foreign navigation', () => {
    const w = rec.windows[0];
    expect(w.openHandler!({ url: 'https://example.org' })).toEqual({ action: 'deny' });
    const prevent = vi.fn();
    w.listeners.get('wc:will-navigate')!({ preventDefault: prevent }, 'https://evil.example/');
    expect(prevent).toHaveBeenCalled();
  });

  it('registers exactly one IPC handler per contract channel and refuses foreign frames', async () => {
    expect([...rec.ipc.keys()].sort()).toEqual(CHANNELS.map(wireName).sort());
    const info = rec.ipc.get(wireName('app:info'))!;
    const wc = rec.windows[0].webContents;
    expect(await info({ sender: wc, senderFrame: wc.mainFrame }, undefined)).toEqual({ ok: true, value: { version: '9.9.9', platform: process.platform } });
    expect(await info({ sender: {}, senderFrame: {} }, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('checks requests arriving over Electron IPC against their schema before any handler runs', async () => {
    const wc = rec.windows[0].webContents;
    const update = rec.ipc.get(wireName('project:update'))!;
    expect(await update({ sender: wc, senderFrame: wc.mainFrame }, { op: 'setSholl', sholl: { start: 0, step: -1, end: null } })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: expect.stringContaining('sholl.step') },
    });
  });

  it('serves files only through handles on the privileged ramify-file scheme', async () => {
    expect(rec.schemes).toEqual([expect.objectContaining({ scheme: 'ramify-file', privileges: expect.objectContaining({ supportFetchAPI: true, secure: true }) })]);
    const serve = rec.protocolHandlers.get('ramify-file')!;
    const dir = mkdtempSync(join(tmpdir(), 'ramify-wiring-img-'));
    const file = join(dir, 'cells.tif');
    writeFileSync(file, new Uint8Array([73, 73, 42, 0, 1, 2, 3]));
    const wc = rec.windows[0].webContents;
    // Dropping a file registers it; its URL then serves the bytes.
    const opened = (await rec.ipc.get(wireName('image:openDropped'))!({ sender: wc, senderFrame: wc.mainFrame }, { droppedPath: file })) as { ok: true; value: { url: string; size: number } };
    expect(opened.ok).toBe(true);
    expect(opened.value.url).toMatch(/^ramify-file:\/\/file\/[0-9a-f-]{36}$/);
    const res = await serve({ url: opened.value.url, headers: new Headers() });
    expect(res.status).toBe(200);
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([73, 73, 42, 0, 1, 2, 3]);
    // Byte ranges (the image worker reads huge TIFFs by their strips and tiles).
    const part = await serve({ url: opened.value.url, headers: new Headers({ range: 'bytes=2-4' }) });
    expect(part.status).toBe(206);
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([42, 0, 1]);
    expect((await serve({ url: 'ramify-file://file/00000000-0000-0000-0000-000000000000', headers: new Headers() })).status).toBe(404);
    expect((await serve({ url: 'ramify-file://file/..%2F..%2Fetc%2Fpasswd', headers: new Headers() })).status).toBe(404);
  });

  it('builds the native menu with the usual accelerators', () => {
    const menu = rec.menus.at(-1) as Array<{ label?: string; submenu?: Array<{ label?: string; accelerator?: string }> }>;
    const find = (top: string, item: string) => menu.find((m) => m.label?.replace('&', '') === top)?.submenu?.find((i) => i.label === item);
    expect(find('File', 'Open…')?.accelerator).toBe('CmdOrCtrl+O');
    expect(find('File', 'Open Recent')).toBeDefined();
    expect(find('File', 'Save Tracing')?.accelerator).toBe('CmdOrCtrl+S');
    expect(find('View', 'Zoom In')?.accelerator).toBe('CmdOrCtrl+=');
    expect(find('View', 'Fit to Window')?.accelerator).toBe('CmdOrCtrl+0');
    expect(find('View', 'Actual Size (100 %)')?.accelerator).toBe('CmdOrCtrl+1');
    expect(find('Help', 'Keyboard Shortcuts')?.accelerator).toBe('F1');
  });

  it("shows the keys a text field uses in the menu without taking them from the page (the renderer handles them)", () => {
    const menu = rec.menus.at(-1) as Array<{ label?: string; submenu?: Array<{ label?: string; accelerator?: string; registerAccelerator?: boolean }> }>;
    const find = (top: string, item: string) => menu.find((m) => m.label?.replace('&', '') === top)?.submenu?.find((i) => i.label === item);
    const items = [find('Edit', 'Undo'), find('Edit', 'Redo'), find('View', 'Next Image in Project'), find('View', 'Previous Image in Project')];
    expect(items.map((i) => [i?.accelerator, i?.registerAccelerator])).toEqual([
      ['CmdOrCtrl+Z', false],
      [process.platform === 'darwin' ? 'Shift+Cmd+Z' : 'Ctrl+Y', false],
      ['PageDown', false],
      ['PageUp', false],
    ]);
    // The rest are the menu's own.
    expect(find('File', 'Save Tracing')?.registerAccelerator).toBeUndefined();
    expect(find('File', 'Close Image')?.registerAccelerator).toBeUndefined();
  });
});
