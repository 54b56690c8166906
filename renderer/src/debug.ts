import { changesOnCanvas } from './canvas/ChangesLayer';
import { paintNeurons, type PaintMode } from './canvas/trace-painter';
import { autosaveSettled } from './persistence/annotation-session';
import { renderPending } from './image/image-session';
import { docStore } from './stores/doc-store';
import { viewer } from './stores/viewer-store';
import { traceIdle } from './tools/trace-tool';
import { traceStore } from './tracing/trace-store';
import { autoTracePrepared, autoTracePreparedFile, useAutoTrace } from './tracing/autotrace-session';

/**
 * Read-only views of renderer state for end-to-end tests and for support ("what is the camera?") in DevTools.
 * Nothing here grants anything the page does not already have.
 */
export function installDebugHandle(): void {
  Object.defineProperty(window, '__ramify', {
    value: Object.freeze({
      camera: () => ({ ...viewer.get().camera }),
      doc: () => docStore.doc(),
      selection: () => docStore.get().selection,
      tool: () => viewer.get().tool,
      undoLabel: () => docStore.get().history.past?.top.label ?? null,
      tracing: () => ({ status: traceStore.get().status, draft: traceStore.get().draft !== null }),
      idle: () => traceIdle().then(() => undefined),
      renderSerial: () => viewer.get().renderSerial,
      renderPending: () => renderPending(),
      autosaveSettled: () => autosaveSettled(),
      decodeTimings: () => viewer.get().timings,
      changesOnCanvas: () => changesOnCanvas(),
      /**
       * Paints the tracings at the current view into `canvas`: 'reference' without index, simplification or bitmaps,
       * 'fast' as the canvas paints them (without its bitmaps).
       */
      paintTracing: (canvas: HTMLCanvasElement, mode: PaintMode) => paintTracing(canvas, mode),
      tiled: () => ({ tiled: viewer.get().tiled, region: viewer.get().bitmapRegion }),
      autotracePrepared: () => autoTracePrepared(),
      autotracePreparedFile: () => autoTracePreparedFile(),
      autotrace: () => { const a = useAutoTrace.getState(); return { busy: a.busy, pending: a.pending.slice(), doubtful: a.doubtful.size, uncertain: [...a.doubtful.keys()], spots: [...a.doubtful].flatMap(([branchId, d]) => d.spots.map((p) => ({ branchId, ...p }))), lastMs: a.lastMs, lastReused: a.lastReused }; },
    }),
  });
}

function paintTracing(canvas: HTMLCanvasElement, mode: PaintMode): void {
  const { camera, viewport } = viewer.get();
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(viewport.width * dpr);
  canvas.height = Math.round(viewport.height * dpr);
  const c = canvas.getContext('2d')!;
  c.setTransform(dpr, 0, 0, dpr, 0, 0);
  paintNeurons(c, docStore.doc().neurons, { ...camera, ...viewport }, useAutoTrace.getState().doubtful, mode);
}
