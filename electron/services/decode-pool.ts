import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StripWorkerPool, type StripWorkerPort } from '../../shared/formats/tiff/strip-pool';
import { NODE_WORKER_BUILD, NODE_WORKERS, type NodeWorkerName } from './strip-worker-build';

/**
 * A StripWorkerPool of worker_threads decoding TIFF strips with native zlib. Workers start on first use (or warm())
 * and never keep the process alive while idle.
 */
export class NodeDecodePool extends StripWorkerPool {
  constructor(workers = defaultWorkerCount()) {
    super(spawnNodeWorker, workers);
  }
}

/** Workers for decoding: the cores there are, up to 4 (beyond that memory bandwidth, not CPU, limits). */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

let shared: NodeDecodePool | null = null;

/** One pool per process, created on first use. */
export function sharedDecodePool(): NodeDecodePool {
  shared ??= new NodeDecodePool();
  return shared;
}

const workerSources = new Map<NodeWorkerName, Promise<string>>();

/**
 * How to start a worker. Run from sources (the CLI, tests, benches go through tsx), the worker's small module graph
 * is bundled once per process with esbuild (tsx's own dependency) into one CommonJS string: about 60 ms, against
 * 400–600 ms for a worker that registers tsx and transpiles its imports itself. The built app has the same bundle
 * precomputed beside its main bundle (strip-worker-build.ts).
 */
export function resolveWorkerSource(name: NodeWorkerName = 'stripDecode'): Promise<string> {
  let workerSource = workerSources.get(name);
  workerSource ??= (async () => {
    const { source, built } = NODE_WORKERS[name];
    const entry = fileURLToPath(new URL(`./${source.split('/').pop()}`, import.meta.url));
    if (!existsSync(entry)) return readFile(fileURLToPath(new URL(`./${built}`, import.meta.url)), 'utf8');
    const require = createRequire(import.meta.url);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const out = await esbuild.build({ ...NODE_WORKER_BUILD, entryPoints: [entry], write: false });
    return out.outputFiles[0].text;
  })();
  workerSources.set(name, workerSource);
  return workerSource;
}

function spawnNodeWorker(): StripWorkerPort {
  const ready = resolveWorkerSource().then((src) => {
    const w = new Worker(src, { eval: true });
    w.unref();
    return w;
  });
  let busy = false;
  return {
    post: (req, transfer) => void ready.then((w) => w.postMessage(req, transfer)),
    listen: (onReply, onFail) => {
      ready.then(
        (w) => {
          if (busy) w.ref();
          w.on('message', onReply);
          w.on('error', (e) => onFail(e.message));
          w.on('exit', (code) => onFail(`exit code ${code}`));
        },
        (e: unknown) => onFail(`it could not be started (${e instanceof Error ? e.message : String(e)})`),
      );
    },
    // A pending job must keep the process alive; an idle worker must not.
    setBusy: (b) => {
      busy = b;
      void ready.then((w) => (busy ? w.ref() : w.unref()), () => undefined);
    },
    terminate: () => ready.then((w) => w.terminate(), () => undefined),
  };
}
