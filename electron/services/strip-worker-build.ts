/**
 * How the main process's worker_threads scripts become self-contained CommonJS: in memory when Ramify runs from
 * sources (CLI, tests, benches), and as `<name>.cjs` beside the main bundle when electron-vite builds the app
 * (electron.vite.config.ts), which the packaged app reads and evaluates (a file inside app.asar can be read by the
 * main process but not started as a worker by path).
 */
export const NODE_WORKERS = {
  /** TIFF strip decoding (decode-pool.ts). */
  stripDecode: { source: 'electron/services/strip-decode.worker.ts', built: 'strip-decode.worker.cjs' },
  /** Automatic tracing of a project's images (autotrace-batch.ts). */
  autotrace: { source: 'electron/services/autotrace.worker.ts', built: 'autotrace.worker.cjs' },
  /** Gallery thumbnails of a project's neurons (gallery-service.ts). */
  gallery: { source: 'electron/services/gallery.worker.ts', built: 'gallery.worker.cjs' },
} as const;

export type NodeWorkerName = keyof typeof NODE_WORKERS;

export const STRIP_WORKER_BUILT = NODE_WORKERS.stripDecode.built;
export const NODE_WORKER_BUILD = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' } as const;
