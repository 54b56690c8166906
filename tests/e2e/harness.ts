import { test as base, expect, type Page } from '@playwright/test';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { FILE_URL_PREFIX, handleFromUrl } from '../../electron/services/file-server';
import { createMainServices, type MainServices } from '../../electron/services/main-services';
import { EVENTS, PAGE_CHANNELS, type IpcEvents } from '../../shared/ipc/contract';

/**
 * The renderer as built for Electron, served at a fake origin, talking to the REAL main-process handlers (the same
 * createMainServices that electron/main.ts wires). Only the transport differs: exposeBinding instead of ipcMain,
 * a routed URL instead of the ramify-file: protocol, and a scripted file dialog.
 */
/** Where the built renderer is served for one connected page (a loopback port per page). */
export const ROOT = resolve(import.meta.dirname, '../..');
const RENDERER_DIR = join(ROOT, 'out/renderer');
export const SAMPLE = join(ROOT, 'build/sample/sample-neurons.tif');
export const FIXTURES = join(ROOT, 'tests/fixtures');

/**
 * A file of ../shared/data (reference material nobody here made) by its path there: where it is, or null on a machine
 * without it (its tests then skip). In CI (CI=true) a missing one fails the spec as it loads instead.
 */
export function sharedData(rel: string): string | null {
  const path = join(ROOT, '../shared/data', rel);
  if (existsSync(path)) return path;
  if (process.env.CI === 'true') throw new Error(`reference file missing: ../shared/data/${rel}`);
  return null;
}

const MIME: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2', '.json': 'application/json' };
/** Calls from the page that main is still serving; teardown waits for them before removing the settings folder. */
const inFlight = new Set<Promise<unknown>>();

export interface Harness {
  page: Page;
  services: MainServices;
  /** Paths the scripted Open dialog returns, in order; an empty queue means the user cancels. */
  dialogAnswers: Array<string | null>;
  /** Folder a dropped file's name is resolved in (a browser File has no path). */
  dropFolder: string;
  /** Unsaved changes as the renderer last reported them to main. */
  dirty: boolean;
  /** The title main was last asked to show. */
  title(): string;
  /** Opens the app page. */
  start(): Promise<void>;
  settingsDir: string;
  /** Everything main sent to the page, in order: each handler's response and each pushed event. */
  ipcLog: IpcRecord[];
}

/** One message from main to the renderer, as the page received it. */
export interface IpcRecord {
  kind: 'response' | 'event';
  channel: string;
  payload: unknown;
}

/** The specs drive the page through window.__ramify, which only `electron-vite build --mode e2e` compiles in. */
function assertE2eBuild(): void {
  const assets = join(RENDERER_DIR, 'assets');
  const hasHandle = existsSync(assets) && readdirSync(assets).some((f) => f.startsWith('index-') && f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('__ramify'));
  if (!hasHandle) throw new Error(`${RENDERER_DIR} is not an E2E build (no window.__ramify test handle): run \`npm run build:e2e\` first.`);
}

/** Wires a page to a fresh set of main services over `settingsDir` (reuse the folder to "restart" the app). */
export async function connect(page: Page, settingsDir: string): Promise<Harness> {
  assertE2eBuild();
  let origin = '';
  let title = '';
  const dialogAnswers: Array<string | null> = [];
  const ipcLog: IpcRecord[] = [];
  const harness = { dropFolder: FIXTURES, dirty: false, ipcLog } as Harness;
  const send = <E extends keyof IpcEvents>(event: E, payload: IpcEvents[E]) => {
    ipcLog.push({ kind: 'event', channel: event, payload });
    void page.evaluate(([e, p]) => (window as unknown as { __ramifyEmit(e: string, p: unknown): void }).__ramifyEmit(e, p), [event, payload] as const).catch(() => undefined);
  };
  const services = createMainServices({
    settingsDir,
    samplePath: SAMPLE,
    dialogs: {
      showOpenImage: async () => dialogAnswers.shift() ?? null,
      showOpenTracing: async () => dialogAnswers.shift() ?? null,
      showSaveSwc: async () => dialogAnswers.shift() ?? null,
      showOpenFolder: async () => dialogAnswers.shift() ?? null,
      showOpenCsv: async () => dialogAnswers.shift() ?? null,
      showSaveTracing: async () => dialogAnswers.shift() ?? null,
      showSaveReport: async () => dialogAnswers.shift() ?? null,
    },
    urlFor: (h) => `${origin}${FILE_URL_PREFIX}${h}`,
    send,
    setTitle: (t) => (title = t),
    setDirty: (d) => (harness.dirty = d),
    closeWindow: () => void page.close(),
    version: '0.0.0-e2e',
    platform: process.platform,
  });
  page.on('close', () => services.annotations.closeAll());

  // A real HTTP server on loopback serves the built renderer and the file URLs, so every request the page makes
  // (including those of workers nested in workers, which Playwright routing does not see) takes the normal path.
  const server = createServer((req, res) => void serveHttp(req.url ?? '/', res, req.headers.range));
  const serveHttp = async (url: string, res: ServerResponse, range?: string) => {
    const u = new URL(url, 'http://127.0.0.1');
    if (u.pathname.startsWith(FILE_URL_PREFIX)) {
      const handle = handleFromUrl(u.href);
      const served = handle ? await services.serve(handle, range) : { status: 404, headers: {}, body: new TextEncoder().encode('Unknown file') };
      res.writeHead(served.status, served.headers);
      return res.end(Buffer.from(served.body.buffer, served.body.byteOffset, served.body.byteLength));
    }
    const path = join(RENDERER_DIR, decodeURIComponent(u.pathname === '/' ? '/index.html' : u.pathname));
    if (!path.startsWith(RENDERER_DIR)) return res.writeHead(403).end();
    try {
      const body = readFileSync(path);
      res.writeHead(200, { 'content-type': MIME[extname(path)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  page.on('close', () => server.close());

  // Requests and responses cross as JSON text (toWire): Playwright's own serializer took 2-10 s for a traced field's
  // autosave or an imported 100,000-node SWC (1-5 MB), where Electron's structured clone takes milliseconds.
  await page.exposeBinding('__ramifyInvoke', async (_source, channel: string, wire: string) => {
    if (!(PAGE_CHANNELS as readonly string[]).includes(channel)) return toWire({ ok: false, error: { code: 'forbidden', message: `Unknown channel ${channel}` } });
    const call = (services.handlers as Record<string, (r: unknown) => Promise<unknown>>)[channel](fromWire(wire));
    inFlight.add(call);
    try {
      const res = await call;
      ipcLog.push({ kind: 'response', channel, payload: res });
      return toWire(res);
    } finally {
      inFlight.delete(call);
    }
  });
  await page.exposeBinding('__ramifyDrop', async (_source, name: string) => services.handlers['image:openDropped']({ droppedPath: join(harness.dropFolder, name) }));

  // window.api built from the same channel and event lists the preload uses.
  await page.addInitScript(
    ({ channels, events }) => {
      const w = window as unknown as Record<string, unknown> & { __ramifyInvoke(c: string, r: string): Promise<string>; __ramifyDrop(n: string): Promise<unknown> };
      const listeners = new Map<string, Set<(p: unknown) => void>>();
      const api: Record<string, unknown> = {};
      // toWire and fromWire below, written again here: an init script carries no closure over the spec's module.
      const tag = '__ramifyWire';
      const toWire = (v: unknown) => JSON.stringify(v, (_k, x) => ((typeof x === 'number' && !Number.isFinite(x)) || x === undefined ? { [tag]: String(x) } : x));
      const fromWire = (t: string): unknown => JSON.parse(t, (_k, x) => (x !== null && typeof x === 'object' && tag in x ? (x[tag] === 'undefined' ? undefined : Number(x[tag])) : x));
      for (const c of channels) api[c] = async (req?: unknown) => fromWire(await w.__ramifyInvoke(c, toWire(req ?? null)));
      api.on = (event: string, fn: (p: unknown) => void) => {
        if (!events.includes(event)) throw new Error(`Unknown event ${event}`);
        if (!listeners.has(event)) listeners.set(event, new Set());
        listeners.get(event)!.add(fn);
        return () => listeners.get(event)!.delete(fn);
      };
      api.openDroppedFile = (file: { name: string }) => w.__ramifyDrop(file.name);
      w.api = api;
      w.__ramifyEmit = (event: string, payload: unknown) => listeners.get(event)?.forEach((fn) => fn(payload));
    },
    { channels: [...PAGE_CHANNELS] as string[], events: [...EVENTS] as string[] },
  );

  return Object.assign(harness, {
    page,
    services,
    dialogAnswers,
    settingsDir,
    title: () => title,
    start: async () => {
      await page.goto(`${origin}/index.html`);
    },
  });
}

/**
 * JSON that keeps what Electron's structured clone keeps and JSON has no literal for: NaN, ±Infinity and undefined in
 * arrays (an object's undefined property is left out, as JSON leaves it). The page's copy is in connect's init script.
 */
const WIRE_TAG = '__ramifyWire';
const toWire = (v: unknown): string => JSON.stringify(v, (_k, x) => ((typeof x === 'number' && !Number.isFinite(x)) || x === undefined ? { [WIRE_TAG]: String(x) } : x));
const fromWire = (t: string): unknown =>
  JSON.parse(t, (_k, x) => (x !== null && typeof x === 'object' && WIRE_TAG in x ? (x[WIRE_TAG] === 'undefined' ? undefined : Number(x[WIRE_TAG])) : x));

export const test = base.extend<{ app: Harness }>({
  app: async ({ page }, use) => {
    const settingsDir = mkdtempSync(join(tmpdir(), 'ramify-e2e-'));
    await use(await connect(page, settingsDir));
    // Autosave may still be writing its recovery copy: close the page so nothing new starts, let what main is
    // doing finish, then remove the folder.
    for (const open of page.context().pages()) await open.close({ runBeforeUnload: false });
    await Promise.allSettled([...inFlight]);
    rmSync(settingsDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  },
});

export { expect };

/** Waits until the viewer shows a decoded image of the given file name. */
export async function waitForImage(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('file-name')).toHaveText(name);
  await expect(page.getByTestId('status-image')).toBeVisible();
  await expect(page.getByRole('progressbar')).toHaveCount(0);
}

/**
 * The Auto tool chosen from the toolbar (pressed, its panel shown): a key pressed just after an image opens can reach
 * a control that still has the focus, and the button, as the key, puts a tool already chosen down again.
 */
export async function chooseAutoTool(page: Page): Promise<void> {
  const button = page.getByRole('button', { name: 'Auto', description: /trace its whole tree/ });
  await expect(async () => {
    if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true', { timeout: 1000 });
    await expect(page.getByRole('region', { name: 'Automatic tracing' })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
}

/** Opens `path` through File › Open (the scripted dialog answers it) and waits until it is shown. */
export async function openByDialog(app: Harness, path: string): Promise<void> {
  app.dialogAnswers.push(path);
  await app.services.menuActions.open();
  await waitForImage(app.page, basename(path));
}

/**
 * The bundled sample opened again as a slide scan is (tiled), with `limits` (localStorage overrides such as
 * 'ramify.liveWireMaxPixels') shrinking what the tools read at once, so that a 1024² image behaves as a huge one.
 */
export async function openSampleAsSlideScan(app: Harness, limits: Record<string, number>): Promise<void> {
  await app.page.evaluate((limits) => {
    localStorage.setItem('ramify.tiledFromPixels', '1');
    for (const [key, value] of Object.entries(limits)) localStorage.setItem(key, String(value));
  }, limits);
  await openByDialog(app, SAMPLE);
  await expect.poll(() => debug(app.page, (d) => d.tiled().tiled)).toBe(true);
}

/** RGBA of one canvas pixel (CSS px within the viewer canvas), read from the drawn Konva layers. */
export async function canvasPixel(page: Page, x: number, y: number): Promise<number[]> {
  return page.evaluate(
    ([x, y]) => {
      const canvases = [...document.querySelectorAll('[data-testid="viewer-canvas"] canvas')] as HTMLCanvasElement[];
      const ctx = canvases[0].getContext('2d')!;
      const r = window.devicePixelRatio || 1;
      return [...ctx.getImageData(Math.floor(x * r), Math.floor(y * r), 1, 1).data];
    },
    [x, y],
  );
}

/** RGBA the viewer shows at an image-px point (as canvasPixel reads it). */
export async function imagePixel(page: Page, x: number, y: number): Promise<number[]> {
  const p = await toPage(page, x, y);
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  return canvasPixel(page, p.x - box.x, p.y - box.y);
}

/** Renderer state read through the debug handle (see renderer/src/debug.ts). */
export interface DebugHandle {
  camera(): { scale: number; x: number; y: number };
  doc(): import('../../shared/model/document').AnnotationDocument;
  selection(): unknown;
  tool(): string;
  undoLabel(): string | null;
  tracing(): { status: string; draft: boolean };
  idle(): Promise<void>;
  renderSerial(): number;
  /** True while a render is on its way (see renderer/src/image/image-session.ts renderPending). */
  renderPending(): boolean;
  autosaveSettled(): boolean;
  tiled(): { tiled: boolean; region: { x: number; y: number; width: number; height: number; factor: number } | null };
  decodeTimings(): { fetchMs: number; decodeMs: number; decodedWith: 'workers' | 'single'; lzwKernel: 'wasm' | 'js' } | null;
  autotrace(): { busy: boolean; pending: number[]; doubtful: number; uncertain: number[]; spots: Array<{ branchId: number; doubt: string; x: number; y: number }>; lastMs: number | null; lastReused: boolean };
  /** The last plane the Auto tool sent ahead of a click: true when its tracer was built, false when the worker had it. */
  autotracePrepared(): Promise<boolean | null>;
  /** The name of the file that plane was read from; null before any. */
  autotracePreparedFile(): string | null;
  /** What the "Changes since review" layer draws; null while hidden. */
  changesOnCanvas(): import('../../shared/model/diff').EdgeChanges | null;
  paintTracing(canvas: HTMLCanvasElement, mode: 'fast' | 'reference'): void;
}

export const debug = <T>(page: Page, f: (d: DebugHandle) => T | Promise<T>): Promise<T> =>
  page.evaluate(`(${f.toString()})(window.__ramify)`) as Promise<T>;

/** Page coordinates of an image-px point, for mouse actions. */
export async function toPage(page: Page, x: number, y: number): Promise<{ x: number; y: number }> {
  const cam = await debug(page, (d) => d.camera());
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  return { x: box.x + x * cam.scale + cam.x, y: box.y + y * cam.scale + cam.y };
}

/** Clicks at an image-px point and waits for the tracing queue to settle. */
export async function clickImage(page: Page, x: number, y: number, opts: { shift?: boolean } = {}): Promise<void> {
  const p = await toPage(page, x, y);
  await page.mouse.move(p.x - 3, p.y - 3);
  await page.mouse.move(p.x, p.y);
  if (opts.shift) await page.keyboard.down('Shift');
  await page.mouse.click(p.x, p.y);
  if (opts.shift) await page.keyboard.up('Shift');
  await debug(page, (d) => d.idle());
}

/** Places a point soma with one click, then traces one path from the soma through `anchors` (image px) and ends it. */
export async function traceSomaAndPath(page: Page, soma: { x: number; y: number }, anchors: Array<{ x: number; y: number }>): Promise<void> {
  await page.keyboard.press('s');
  await clickImage(page, soma.x, soma.y);
  await page.keyboard.press('t');
  await expect.poll(() => debug(page, (d) => d.tracing().status)).toBe('ready');
  for (const a of anchors) await clickImage(page, a.x, a.y);
  await page.keyboard.press('Enter');
}
