// Page script for decode.bench.ts's Chromium line (bundled with esbuild by the bench; not part of the app).
import { BrowserDecodePool } from '../../renderer/src/workers/decode-pool';
import { decodeImage, decodeImageParallel } from '../../shared/image/decode';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median wall ms of the single-threaded (fflate) and pooled (DecompressionStream) decodes of /<name>.tif. */
async function runBench(name: string, runs: number, workers: number): Promise<{ start: number; sync: number; parallel: number; same: boolean }> {
  const bytes = new Uint8Array(await (await fetch(`/${name}.tif`)).arrayBuffer());
  const pool = new BrowserDecodePool(workers);
  const t0 = performance.now();
  pool.warm();
  const first = await decodeImageParallel(bytes, pool);
  const start = performance.now() - t0;
  const time = async (f: () => unknown) => {
    const w: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await f();
      w.push(performance.now() - t);
    }
    return median(w);
  };
  const sync = await time(() => decodeImage(bytes));
  const parallel = await time(() => decodeImageParallel(bytes, pool));
  const ref = decodeImage(bytes);
  const same = ref.planes[0].every((v, i) => v === first.planes[0][i]) && JSON.stringify(ref.pageStats) === JSON.stringify(first.pageStats);
  await pool.close();
  return { start, sync, parallel, same };
}

(globalThis as unknown as { runBench: typeof runBench }).runBench = runBench;
