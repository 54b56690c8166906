import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { loadavg } from 'node:os';
import { decodeImage, decodeImageParallel, type DecodeOptions } from '../../shared/image/decode';
import { NodeDecodePool } from '../../electron/services/decode-pool';
import { nativeInflate } from '../../electron/services/native-inflate';
import { syntheticNeurons } from '../../build/tools/synthetic-neuron';
import { parseTiffStructure } from '../../shared/formats/tiff/ifd';
import { readPageLayout } from '../../shared/formats/tiff/page';
import { lzwDecodeJs } from '../../shared/formats/tiff/lzw-decode';
import { lzwDecodeWasm, lzwWasmAvailable } from '../../shared/formats/tiff/lzw-wasm';

const SIZE = 4096;
const RUNS = 5;
const WORKERS = 2;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A python3 that can import PIL (the pyenv one on PATH may lack Debian's python3-pil), or null. */
function findPillowPython(): string | null {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', 'import PIL'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  return null;
}

// Prints "wall_ms cpu_ms": medians over the runs after one warm-up, timed inside Python.
const PILLOW_TIMER = `
import sys, time
from PIL import Image
f, runs = sys.argv[1], int(sys.argv[2])
wall, cpu = [], []
for _ in range(runs + 1):
    t0, c0 = time.perf_counter(), time.process_time()
    im = Image.open(f); im.load()
    wall.append((time.perf_counter() - t0) * 1000); cpu.append((time.process_time() - c0) * 1000)
med = lambda xs: sorted(xs[1:])[len(xs[1:]) // 2]
print(med(wall), med(cpu))
`;

/**
 * Median wall and CPU milliseconds of `runs` calls after one warm-up (CPU time is fairer on a shared machine).
 * CPU is the whole process's, so for the parallel path it includes the worker threads.
 */
async function time(f: () => unknown, runs: number): Promise<{ wall: number; cpu: number }> {
  await f();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const CHROMIUM = '/usr/bin/chromium';

/**
 * The renderer's path in Debian's Chromium (headless, via playwright-core): single-threaded decodeImage (fflate for
 * Deflate) and BrowserDecodePool (Web Workers, DecompressionStream). Skipped when Chromium or esbuild is missing.
 */
async function browserBench(dir: string, names: string[], rawBytes: number): Promise<void> {
  if (!existsSync(CHROMIUM)) return void console.log(`  Chromium: skipped (${CHROMIUM} not installed)`);
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const { chromium } = await import('playwright-core');
  const here = fileURLToPath(new URL('.', import.meta.url));
  await esbuild.build({ entryPoints: [join(here, 'decode-browser-page.ts')], bundle: true, format: 'esm', outfile: join(dir, 'page.js'), logLevel: 'error' });
  // The pool asks for new URL('./strip.worker.ts', import.meta.url): serve the bundled worker under that name.
  await esbuild.build({ entryPoints: [join(here, '../../renderer/src/workers/strip.worker.ts')], bundle: true, format: 'esm', outfile: join(dir, 'strip.worker.js'), logLevel: 'error' });
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/') return void res.end('<!doctype html><script type="module" src="/page.js"></script>');
    const file = join(dir, url === '/strip.worker.ts' ? 'strip.worker.js' : url.slice(1));
    if (!/^\/[\w.+-]+$/.test(url) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': url.endsWith('.tif') ? 'application/octet-stream' : 'text/javascript' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => 'runBench' in globalThis);
    console.log(`  Chromium ${browser.version()} (renderer path; wall ms, median of ${RUNS}):`);
    for (const name of names) {
      const r = await page.evaluate(([n, runs, w]) => (globalThis as unknown as { runBench: (n: string, r: number, w: number) => Promise<{ start: number; sync: number; parallel: number; same: boolean }> }).runBench(n, runs, w), [name, RUNS, WORKERS] as const);
      if (!r.same) throw new Error(`${name}: the browser pool's result differs from decodeImage`);
      const mbs = (ms: number) => (rawBytes / 1e6 / (ms / 1000)).toFixed(0);
      console.log(`    ${name.padEnd(18)} 1 thread ${r.sync.toFixed(1)} ms (${mbs(r.sync)} MB/s), ${WORKERS} workers ${r.parallel.toFixed(1)} ms (${mbs(r.parallel)} MB/s); first pooled decode incl. worker start ${r.start.toFixed(0)} ms`);
    }
  } finally {
    await browser.close();
    server.close();
  }
}

export async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ramify-decode-bench-'));
  const pool = new NodeDecodePool(WORKERS);
  try {
    // The dendrite channel of the generator that makes the bundled sample: noise-dominated, compresses like real data.
    const plane = syntheticNeurons({ seed: 1, width: SIZE, height: SIZE }).channels[0];
    const rawBytes = plane.byteLength;
    const python = findPillowPython();
    console.log(`decode bench: ${SIZE}×${SIZE} 16-bit synthetic neuron, ${(rawBytes / 1e6).toFixed(1)} MB raw, median of ${RUNS}`);
    if (!python) console.log('  (Pillow not found: install python3-pil to compare against libtiff)');
    console.log(`  times are medians: wall ms (CPU ms, all threads); MB/s = raw MB per wall second; ratio = ours/Pillow by wall (by CPU); load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    const c0 = performance.now();
    pool.warm();
    await decodeImageParallel(encodeTiff({ width: 64, height: 64, planes: [plane.subarray(0, 4096)], bitsPerSample: 16, sampleFormat: 'uint', compression: 'lzw' }), pool, { minBytes: 0 });
    console.log(`  ${WORKERS} worker threads started in ${(performance.now() - c0).toFixed(0)} ms (once per process; the CLI overlaps it with reading the file)`);
    const variants: Array<{ name: string; compression: 'lzw' | 'deflate'; predictor: boolean }> = [
      { name: 'lzw', compression: 'lzw', predictor: false },
      { name: 'lzw+predictor', compression: 'lzw', predictor: true },
      { name: 'deflate', compression: 'deflate', predictor: false },
      { name: 'deflate+predictor', compression: 'deflate', predictor: true },
    ];
    for (const v of variants) {
      const file = join(dir, `${v.name}.tif`);
      writeFileSync(file, encodeTiff({ width: SIZE, height: SIZE, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: v.compression, predictor: v.predictor }));
      const bytes = new Uint8Array(readFileSync(file));
      let pillow: { wall: number; cpu: number } | null = null;
      let pillowNote = '';
      if (python) {
        const r = spawnSync(python, ['-c', PILLOW_TIMER, file, String(RUNS)], { encoding: 'utf8' });
        const [wall, cpu] = r.stdout.trim().split(' ').map(Number);
        if (r.status === 0 && Number.isFinite(wall) && Number.isFinite(cpu)) pillow = { wall, cpu };
        else pillowNote = `  Pillow failed: ${r.stderr.trim().split('\n').pop()}`;
      }
      const decoders: Array<[string, DecodeOptions]> = v.compression === 'deflate' ? [['fflate (pure JS)', {}], ['Node zlib', { inflate: nativeInflate }]] : [['1 thread', {}]];
      console.log(`  ${v.name}: raw ${rawBytes} B, file ${bytes.length} B (${((100 * bytes.length) / rawBytes).toFixed(0)}%)${pillow ? `, Pillow ${pillow.wall.toFixed(1)} ms (${pillow.cpu.toFixed(1)})` : pillowNote}`);
      const report = (label: string, t: { wall: number; cpu: number }) => {
        const ratio = pillow ? `  ours/Pillow ${(t.wall / pillow.wall).toFixed(2)} (${(t.cpu / pillow.cpu).toFixed(2)})` : '';
        console.log(`    ours, ${label.padEnd(22)} ${t.wall.toFixed(1)} ms (${t.cpu.toFixed(1)})  ${(rawBytes / 1e6 / (t.wall / 1000)).toFixed(0)} MB/s${ratio}`);
      };
      for (const [label, opts] of decoders) {
        const check = decodeImage(bytes, opts);
        if (check.planes[0].some((x, i) => x !== plane[i])) throw new Error(`${v.name}: decoded pixels differ from the source`);
        report(label, await time(() => decodeImage(bytes, opts), RUNS));
        // The viewer decodes without page statistics (it makes its own histograms), like Pillow's load().
        if (label !== 'fflate (pure JS)') report(`${label}, as the viewer`, await time(() => decodeImage(bytes, { ...opts, stats: false }), RUNS));
      }
      if (v.compression === 'lzw') {
        // The LZW kernel alone over every strip of the file, without predictor or sample conversion.
        const t = parseTiffStructure(bytes);
        const page = readPageLayout(t, t.ifds[0], 0);
        const dst = new Uint8Array(page.width * page.blockHeight * 2);
        const strips = page.offsets.map((o, k) => bytes.subarray(o, o + page.byteCounts[k]));
        const kernel = (f: (src: Uint8Array, dst: Uint8Array) => number) => () => strips.forEach((s) => f(s, dst));
        const js = await time(kernel(lzwDecodeJs), RUNS);
        const wasm = lzwWasmAvailable() ? `, WebAssembly ${(await time(kernel(lzwDecodeWasm), RUNS)).wall.toFixed(1)} ms` : ', WebAssembly unavailable';
        console.log(`    LZW kernel only (${strips.length} strips): JS ${js.wall.toFixed(1)} ms${wasm}`);
      }
      const parOpts = { inflate: nativeInflate };
      const check = await decodeImageParallel(bytes, pool, parOpts);
      if (check.planes[0].some((x, i) => x !== plane[i])) throw new Error(`${v.name}: parallel decode differs from the source`);
      report(`${WORKERS} workers${v.compression === 'deflate' ? ' (zlib)' : ''}`, await time(() => decodeImageParallel(bytes, pool, parOpts), RUNS));
      report(`${WORKERS} workers, as the viewer`, await time(() => decodeImageParallel(bytes, pool, { ...parOpts, stats: false }), RUNS));
    }
    await pool.close();
    await browserBench(dir, variants.map((v) => v.name), rawBytes).catch((e: unknown) => console.log(`  Chromium: skipped (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`));
  } finally {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
