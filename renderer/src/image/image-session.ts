import { autoContrast } from '../../../shared/display/contrast';
import { openingChannels, rgbHex } from '../../../shared/display/opening-display';
import { openingPlane } from '../../../shared/display/opening-view';
import { CHANNEL_COLORS, type ChannelDisplay } from '../../../shared/display/composite';
import type { Calibration, ImageInfo } from '../../../shared/image/types';
import type { OpenedFile } from '../../../shared/ipc/contract';
import { emptyDocument } from '../../../shared/model/document';
import { docStore } from '../stores/doc-store';
import { resetLiveWire } from '../tracing/live-wire-session';
import { projectStore } from '../project/project-store';
import { viewer, initialViewerState, type ChannelColor, type ChannelState } from '../stores/viewer-store';
import type { PlaneSelector } from '../workers/image-protocol';
import { actualSize, fitCamera, zoomAt } from './camera';
import { imageClient } from './image-client';

// Drives the image worker and keeps the viewer store in step (what to open and when is the document controller's). Renders are latest-wins: while one
// is in flight, further requests collapse into a single follow-up.

let openSerial = 0;

/**
 * Decodes an image into the viewer (the document controller decides when; see controller/document-controller.ts).
 * Resolves to its info, or null when a newer open superseded it or it failed (the error is on screen).
 */
export async function loadImage(file: OpenedFile): Promise<ImageInfo | null> {
  const serial = ++openSerial;
  viewer.set({ loading: { name: file.name, phase: 'reading', fraction: 0 }, error: null });
  try {
    const opened = await imageClient().request(
      { type: 'open', url: file.url },
      {
        onProgress: (phase, fraction) => {
          if (serial === openSerial) viewer.set({ loading: { name: file.name, phase, fraction } });
        },
      },
    );
    if (serial !== openSerial) return null;
    const { info } = opened;
    const view: PlaneSelector = { t: 0, ...openingPlane(info.slices) };
    const histograms = await imageClient().request({ type: 'histograms', view });
    // A project can fix the display for every image (the same contrast for a fair comparison).
    const opening = openingChannels(info, histograms, projectStore.get().view?.display?.channels);
    const channels: ChannelState[] = opening.map((ch, c) => ({ ...ch, visible: true, histogram: histograms[c] }));
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
    });
    docStore.reset(emptyDocument(info.calibration));
    resetLiveWire();
    requestRender();
    return info;
  } catch (e) {
    if (serial === openSerial) viewer.set({ loading: null, error: `Cannot open ${file.name}: ${(e as Error).message}` });
    return null;
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
    await imageClient().request({ type: 'open', url: file.url });
    if (serial !== openSerial) return;
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
  const { viewport } = viewer.get();
  viewer.set({ ...initialViewerState, viewport });
  docStore.reset(emptyDocument());
  resetLiveWire();
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
  imageClient()
    .request({ type: 'render', view: s.view, displays: displaysFor(s.channels, s.mode, s.activeChannel, s.info.palette) })
    .then((bitmap) => {
      const now = viewer.get();
      if (now.file !== file) return bitmap.close();
      now.bitmap?.close();
      viewer.set({ bitmap, renderSerial: now.renderSerial + 1, loading: null });
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
  const view = { ...viewer.get().view, ...patch };
  viewer.set({ view });
  const histograms = await imageClient().request({ type: 'histograms', view });
  viewer.set({ channels: viewer.get().channels.map((ch, c) => ({ ...ch, histogram: histograms[c] ?? null })) });
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

