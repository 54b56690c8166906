import { autoContrast, rangeAfterViewChange } from '../../../shared/display/contrast';
import type { Histogram } from '../../../shared/display/histogram';
import { openingChannels } from '../../../shared/display/opening-display';
import { openingPlane } from '../../../shared/display/opening-view';
import { CHANNEL_COLORS, type ChannelDisplay } from '../../../shared/display/composite';
import { rgbHex, type Calibration, type ImageInfo } from '../../../shared/image/types';
import type { OpenedFile } from '../../../shared/ipc/contract';
import { emptyDocument } from '../../../shared/model/document';
import { docStore } from '../stores/doc-store';
import { resetAutoTrace } from '../tracing/autotrace-session';
import { resetLiveWire } from '../tracing/live-wire-session';
import { projectStore } from '../project/project-store';
import { useViewer, viewer, initialViewerState, type ChannelColor, type ChannelState, type ViewerState } from '../stores/viewer-store';
import type { BitmapRegion, PlaneSelector } from '../workers/image-protocol';
import { actualSize, fitCamera, zoomAt } from './camera';
import { imageClient } from './image-client';
import { regionServes, regionToRender } from './tiled-view';

// Drives the image worker and keeps the viewer store in step (what to open and when is the document controller's). Renders are latest-wins: while one
// is in flight, further requests collapse into a single follow-up.

let openSerial = 0;

/**
 * Pixels per plane from which the worker shows an image tiled (undefined: its own default). The E2E build reads an
 * override from localStorage, so a spec can show a small image both ways and compare the pixels.
 */
function tiledFromPixels(): number | undefined {
  if (import.meta.env.MODE !== 'e2e') return undefined;
  const v = Number(globalThis.localStorage?.getItem('ramify.tiledFromPixels'));
  return Number.isFinite(v) && v > 0 ? v : undefined;
}

/**
 * Decodes an image into the viewer (the document controller decides when; see controller/document-controller.ts).
 * Resolves to its info, or null when a newer open superseded it or it failed (the error is on screen).
 */
export async function loadImage(file: OpenedFile): Promise<ImageInfo | null> {
  const serial = ++openSerial;
  tiledReading = false;
  viewer.set({ loading: { name: file.name, phase: 'reading', fraction: 0 }, error: null });
  try {
    const opened = await imageClient().request(
      { type: 'open', url: file.url, tiledFromPixels: tiledFromPixels() },
      {
        onProgress: (phase, fraction) => {
          if (serial === openSerial) viewer.set({ loading: { name: file.name, phase, fraction } });
        },
      },
    );
    if (serial !== openSerial) return null;
    const { info } = opened;
    const view: PlaneSelector = { t: 0, ...openingPlane(info.slices) };
    // A tiled image's histograms come from the pass over the file that builds its pyramid: that is the decoding. It
    // is shown progressively: a first contrast from the first rows read, the rows drawn as they arrive, the
    // contrast settled from the whole image at the end.
    const full = opened.tiled ? readTiledProgressively(serial, file, view) : null;
    const histograms = await imageClient().request({ type: 'histograms', view, ...(full ? { preview: TILED_PREVIEW_FRACTION } : {}) });
    if (serial !== openSerial) return null;
    // A project can fix the display for every image (the same contrast for a fair comparison).
    const shared = projectStore.get().view?.display?.channels;
    const opening = openingChannels(info, histograms, shared);
    const channels: ChannelState[] = opening.map((ch, c) => ({ ...ch, visible: true, histogram: histograms[c] }));
    // Contrasts computed from the histogram (not the file's, the palette's or the project's) are redone once a tiled image is read whole.
    const sharedApplies = Boolean(shared && shared.length === channels.length);
    const automatic = channels.map((_, c) => {
      const fileRange = info.displayRanges?.[c];
      return !info.palette && !(fileRange && fileRange.max > fileRange.min) && !sharedApplies;
    });
    const { viewport } = viewer.get();
    viewer.set({
      ...initialViewerState,
      viewport,
      file,
      info,
      pageStats: opened.pageStats,
      channels,
      view,
      fileCalibration: info.calibration,
      camera: fitCamera(info.width, info.height, viewport.width, viewport.height),
      timings: { ...opened.timings, decodedWith: opened.decodedWith, lzwKernel: opened.lzwKernel },
      tiled: opened.tiled,
      // A tiled image is still being read (its indicator stays up until settleTiled): the fresh state must not hide it.
      loading: full ? viewer.get().loading : null,
    });
    docStore.reset(emptyDocument(info.calibration));
    resetLiveWire();
    resetAutoTrace();
    requestRender();
    if (full) void settleTiled(serial, full, channels, automatic);
    return info;
  } catch (e) {
    if (serial === openSerial) viewer.set({ loading: null, error: `Cannot open ${file.name}: ${(e as Error).message}` });
    return null;
  }
}

/** Share of a tiled image read before its first pixels are drawn (with a contrast from that share). */
const TILED_PREVIEW_FRACTION = 0.05;
/** While a tiled image is still being read, the loading indicator stays up (renders do not clear it). */
let tiledReading = false;

/** Starts reading a tiled image whole (its pyramid and exact histograms), redrawing as about each tenth arrives. */
function readTiledProgressively(serial: number, file: OpenedFile, view: PlaneSelector): Promise<Histogram[]> {
  tiledReading = true;
  let drawn = 0;
  const full = imageClient().request(
    { type: 'histograms', view },
    {
      onProgress: (phase, fraction) => {
        if (serial !== openSerial) return;
        viewer.set({ loading: { name: file.name, phase, fraction } });
        if (fraction - drawn >= 0.1 && viewer.get().file === file) {
          drawn = fraction;
          requestRender();
        }
      },
    },
  );
  full.catch(() => undefined);
  return full;
}

/** Once all of a tiled image is read: exact histograms, and the automatic contrasts the user has not changed redone from them. */
async function settleTiled(serial: number, full: Promise<Histogram[]>, first: ChannelState[], automatic: boolean[]): Promise<void> {
  try {
    const hs = await full;
    if (serial !== openSerial) return;
    const channels = viewer.get().channels.map((ch, c) => {
      const h = hs[c] ?? ch.histogram;
      const untouched = automatic[c] && ch.min === first[c].min && ch.max === first[c].max;
      return untouched && h ? { ...ch, histogram: h, ...autoContrast(h) } : { ...ch, histogram: h };
    });
    tiledReading = false;
    viewer.set({ channels, loading: null });
    requestRender();
  } catch (e) {
    tiledReading = false;
    if (serial === openSerial) viewer.set({ loading: null, error: `Cannot read ${viewer.get().file?.name ?? 'the image'}: ${(e as Error).message}` });
  }
}

/**
 * After the image worker was restarted (it lost its decoded image): decode the open file again and redraw it with the
 * display settings, plane and document as they were.
 */
export async function reloadPixels(): Promise<void> {
  const { file, view } = viewer.get();
  if (!file) return;
  const serial = openSerial;
  try {
    await imageClient().request({ type: 'open', url: file.url, tiledFromPixels: tiledFromPixels() });
    if (serial !== openSerial) return;
    viewer.set({ bitmapRegion: null });
    const histograms = await imageClient().request({ type: 'histograms', view });
    viewer.set({ channels: viewer.get().channels.map((ch, c) => ({ ...ch, histogram: histograms[c] ?? ch.histogram })) });
    resetLiveWire();
    requestRender();
  } catch (e) {
    if (serial === openSerial) reportError(`Cannot reload ${file.name}: ${(e as Error).message}`);
  }
}

/** Empties the viewer and the document. */
export function unloadImage(): void {
  openSerial++;
  tiledReading = false;
  const { viewport } = viewer.get();
  viewer.set({ ...initialViewerState, viewport });
  docStore.reset(emptyDocument());
  resetLiveWire();
  resetAutoTrace();
}

export function displaysFor(channels: ChannelState[], mode: 'composite' | 'single', active: number, palette?: Uint16Array): ChannelDisplay[] {
  return channels.map((ch, c) => ({
    visible: mode === 'composite' ? ch.visible : c === active,
    min: ch.min,
    max: ch.max,
    inverted: ch.inverted,
    rgb: ch.color === 'palette' ? CHANNEL_COLORS.grey : CHANNEL_COLORS[ch.color],
    palette: ch.color === 'palette' ? palette : undefined,
  }));
}

let rendering = false;
let renderAgain = false;

/** True while a render of the image is on its way (a tiled one decodes its tiles first): the canvas is not final yet. */
export const renderPending = (): boolean => rendering;

export function requestRender(): void {
  if (rendering) {
    renderAgain = true;
    return;
  }
  rendering = true;
  const s = viewer.get();
  if (!s.info) {
    rendering = false;
    return;
  }
  const file = s.file;
  const displays = displaysFor(s.channels, s.mode, s.activeChannel, s.info.palette);
  const rendered: Promise<{ bitmap: ImageBitmap; region: BitmapRegion | null } | null> = s.tiled ? renderRegion(s, displays) : imageClient().request({ type: 'render', view: s.view, displays }).then((bitmap) => ({ bitmap, region: null }));
  rendered
    .then((r) => {
      if (!r) return;
      const now = viewer.get();
      if (now.file !== file) return r.bitmap.close();
      now.bitmap?.close();
      viewer.set({ bitmap: r.bitmap, bitmapRegion: r.region, renderSerial: now.renderSerial + 1, loading: tiledReading && now.tiled ? now.loading : null });
    })
    .catch((e: Error) => viewer.set({ error: e.message, loading: null }))
    .finally(() => {
      rendering = false;
      if (renderAgain) {
        renderAgain = false;
        requestRender();
      }
    });
}

/** A tiled image's region around the viewport, at the pyramid level for the zoom; null when none of it is in view. */
function renderRegion(s: ViewerState, displays: ChannelDisplay[]): Promise<{ bitmap: ImageBitmap; region: BitmapRegion } | null> {
  const r = regionToRender(s.camera, s.viewport, s.info!.width, s.info!.height);
  if (!r) return Promise.resolve(null);
  return imageClient().request({ type: 'renderRegion', view: s.view, displays, ...r, scale: s.camera.scale * dpr() });
}

const dpr = () => globalThis.devicePixelRatio || 1;

// A tiled image is drawn around what is in view: when the camera leaves the drawn region, or the zoom calls for
// another pyramid level, draw again (renders stay latest-wins).
useViewer.subscribe((s, prev) => {
  if (!s.tiled || !s.info || !s.bitmap || (s.camera === prev.camera && s.viewport === prev.viewport)) return;
  if (!regionServes(s.bitmapRegion, s.camera, s.viewport, s.info.width, s.info.height, dpr())) requestRender();
});

export function updateChannel(c: number, patch: Partial<ChannelState>): void {
  const channels = viewer.get().channels.map((ch, i) => (i === c ? { ...ch, ...patch } : ch));
  viewer.set({ channels });
  requestRender();
}

export function autoChannel(c: number): void {
  const h = viewer.get().channels[c]?.histogram;
  if (h) updateChannel(c, autoContrast(h));
}

export async function setView(patch: Partial<PlaneSelector>): Promise<void> {
  const previous = viewer.get().view;
  const view = { ...previous, ...patch };
  viewer.set({ view });
  const histograms = await imageClient().request({ type: 'histograms', view });
  const projectionToggled = view.mip !== previous.mip;
  viewer.set({
    channels: viewer.get().channels.map((ch, c) => {
      const histogram = histograms[c] ?? null;
      return { ...ch, histogram, ...rangeAfterViewChange(ch, ch.histogram, histogram, projectionToggled) };
    }),
  });
  requestRender();
}

let probeInFlight = false;
let probeNext: { x: number; y: number } | null = null;

/** Updates the status-bar cursor; raw values come from the worker, latest position wins. */
export function probe(x: number, y: number): void {
  viewer.set({ cursor: { x, y, values: viewer.get().cursor?.values ?? null } });
  if (probeInFlight) {
    probeNext = { x, y };
    return;
  }
  probeInFlight = true;
  imageClient()
    .request({ type: 'probe', view: viewer.get().view, x, y })
    .then((values) => {
      const cur = viewer.get().cursor;
      if (cur) viewer.set({ cursor: { ...cur, values } });
    })
    .catch(() => undefined)
    .finally(() => {
      probeInFlight = false;
      if (probeNext) {
        const p = probeNext;
        probeNext = null;
        probe(p.x, p.y);
      }
    });
}

export const camera = {
  zoom(factor: number, sx?: number, sy?: number) {
    const { camera: c, viewport } = viewer.get();
    viewer.set({ camera: zoomAt(c, factor, sx ?? viewport.width / 2, sy ?? viewport.height / 2) });
  },
  fit() {
    const { info, viewport } = viewer.get();
    if (info) viewer.set({ camera: fitCamera(info.width, info.height, viewport.width, viewport.height) });
  },
  actualSize() {
    const { camera: c, viewport } = viewer.get();
    viewer.set({ camera: actualSize(c, viewport.width, viewport.height) });
  },
};

/** Calibration is part of the annotation document (measurements depend on it), so setting it is an undoable edit. */
export function setCalibration(calibration: Calibration | null): void {
  docStore.dispatch({ type: 'setCalibration', calibration });
  viewer.set({ dialog: null, calibrationLinePx: null, tool: 'navigate' });
}

export function reportError(message: string): void {
  viewer.set({ error: message, loading: null });
}

/** #rrggbb of a channel colour, for project display settings. */
export function colorHex(color: ChannelColor): string {
  return rgbHex(CHANNEL_COLORS[color === 'palette' ? 'grey' : color]);
}

