import { resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { NODE_WORKER_BUILD, NODE_WORKERS } from './electron/services/strip-worker-build';

/** Writes the main process's worker_threads scripts beside the main bundle, bundled as decode-pool.ts expects them. */
function stripDecodeWorker(): Plugin {
  let outDir = '';
  return {
    name: 'ramify-strip-decode-worker',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      for (const w of Object.values(NODE_WORKERS)) await esbuild({ ...NODE_WORKER_BUILD, entryPoints: [resolve(__dirname, w.source)], outfile: resolve(outDir, w.built), minify: true });
    },
  };
}

// Output goes to out/main, out/preload and out/renderer (electron-vite's defaults; `--outDir` moves all three).
// Sandboxed preloads must be CommonJS, so the preload is emitted as .cjs whatever the package type says.
// The renderer's window.__ramify test handle is compiled in only for `--mode e2e` (the E2E build).
export default defineConfig({
  main: {
    plugins: [stripDecodeWorker()],
    build: {
      // One file: modules that find files beside themselves (import.meta.url) must live where the worker is written.
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main.ts') }, output: { inlineDynamicImports: true } },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react()],
    worker: { format: 'es' },
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
