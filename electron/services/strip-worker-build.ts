/**
 * How the TIFF strip-decoding worker (strip-decode.worker.ts) becomes one self-contained CommonJS script: in memory
 * when Ramify runs from sources (CLI, tests, benches), and as `strip-decode.worker.cjs` beside the main bundle when
 * electron-vite builds the app (electron.vite.config.ts), which the packaged app reads and evaluates (a file inside
 * app.asar can be read by the main process but not started as a worker by path).
 */
export const STRIP_WORKER_SOURCE = 'electron/services/strip-decode.worker.ts';
export const STRIP_WORKER_BUILT = 'strip-decode.worker.cjs';
export const NODE_WORKER_BUILD = { bundle: true, format: 'cjs', platform: 'node', target: 'node20', logLevel: 'silent' } as const;
