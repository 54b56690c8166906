import { autosaveSettled } from './persistence/annotation-session';
import { docStore } from './stores/doc-store';
import { viewer } from './stores/viewer-store';
import { traceIdle } from './tools/trace-tool';
import { traceStore } from './tracing/trace-store';
import { useAutoTrace } from './tracing/autotrace-session';

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
      autosaveSettled: () => autosaveSettled(),
      decodeTimings: () => viewer.get().timings,
      tiled: () => ({ tiled: viewer.get().tiled, region: viewer.get().bitmapRegion }),
      autotrace: () => { const a = useAutoTrace.getState(); return { busy: a.busy, pending: a.pending.slice(), doubtful: a.doubtful.size, lastMs: a.lastMs }; },
    }),
  });
}
