import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadImageFile } from '../../electron/services/image-file';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { kernelsWasmAvailable } from '../../shared/formats/tiff/kernels-wasm';
import { syntheticNeurons } from '../../build/tools/synthetic-neuron';
import { openBenchPage } from './browser-page';

// TIFF decoding against libtiff (Pillow's load()), on the files the issue measured: a 4096² 16-bit synthetic
// micrograph written by libtiff's tiffcp with 64 rows per strip as LZW, LZW + horizontal predictor and Deflate.
// Ours is measured twice: `ramify inspect --json` (its decodeMs, statistics included; a fresh process per run, as a
// user runs it) and the renderer's decode path in Chromium (the image worker: one thread, and its strip-worker pool).
// Every figure is a median of RUNS; the machine may be shared, so the load average is printed too.

const SIZE = 4096;
const RUNS = 5;
const here = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(here, '../..');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');

const FILES = [
  { name: 'lzw', tiffcp: ['-c', 'lzw'], compression: 'lzw', predictor: false },
  { name: 'lzw+predictor', tiffcp: ['-c', 'lzw:2'], compression: 'lzw', predictor: true },
  { name: 'deflate', tiffcp: ['-c', 'zip'], compression: 'deflate', predictor: false },
] as const;

/** A python3 that can import PIL (the pyenv one on PATH may lack Debian's python3-pil), or null. */
function findPillowPython(): string | null {
  for (const exe of ['python3', '/usr/bin/python3']) {
    if (spawnSync(exe, ['-c', 'import PIL'], { encoding: 'utf8' }).status === 0) return exe;
  }
  return null;
}

// A warm Python process that times Image.open + load() of each file named on stdin: prints "wall_ms cpu_ms".
const PILLOW_SERVER = `
import sys, time
from PIL import Image
for line in sys.stdin:
    t0, c0 = time.perf_counter(), time.process_time()
    im = Image.open(line.strip()); im.load()
    print((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, flush=True)
`;

type Timing = { wall: number; cpu: number };

/** Pillow in one long-lived process (so its timings are warm, like the issue's), or the reason it is not measured. */
function startPillow(): { time: (file: string) => Promise<Timing>; close: () => void } | string {
  const python = findPillowPython();
  if (!python) return 'not measured (no python3 with Pillow: apt-get install -y python3-pil)';
  const child = spawn(python, ['-c', PILLOW_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (l) => waiting.shift()?.(l));
  return {
    time: (file) =>
      new Promise((resolve, reject) => {
        waiting.push((l) => {
          const [wall, cpu] = l.split(' ').map(Number);
          if (Number.isFinite(wall) && Number.isFinite(cpu)) resolve({ wall, cpu });
          else reject(new Error(`Pillow failed on ${file}: ${l}`));
        });
        child.stdin.write(`${file}\n`);
      }),
    close: () => child.stdin.end(),
  };
}

/** Writes the three files with tiffcp, or with Ramify's own encoder (same strips) when tiffcp is missing. */
function writeFiles(dir: string, plane: Uint16Array): string {
  const raw = join(dir, 'raw.tif');
  writeFileSync(raw, encodeTiff({ width: SIZE, height: SIZE, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none', rowsPerStrip: 64 }));
  const hasTiffcp = spawnSync('tiffcp', [], { encoding: 'utf8' }).error === undefined;
  for (const f of FILES) {
    const out = join(dir, `${f.name}.tif`);
    if (hasTiffcp) {
      const r = spawnSync('tiffcp', [...f.tiffcp, '-r', '64', raw, out], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`tiffcp failed: ${r.stderr}`);
    } else {
      writeFileSync(out, encodeTiff({ width: SIZE, height: SIZE, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: f.compression, predictor: f.predictor, rowsPerStrip: 64 }));
    }
  }
  return hasTiffcp ? 'written by tiffcp (libtiff)' : 'tiffcp not found (apt-get install -y libtiff-tools): written by Ramify\'s encoder instead';
}

/** decodeMs of one `ramify inspect --json FILE` (a fresh process, as the CLI is used), and the statistics it printed. */
function inspectOnce(file: string): { ms: number; stats: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'electron/cli/bin.mjs'), 'inspect', '--json', file], { encoding: 'utf8', cwd: REPO });
  if (r.status !== 0) throw new Error(`ramify inspect failed: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as { timings: { decodeMs: number }; planes: Array<{ min: number; max: number; sum: number }> };
  const p = report.planes[0];
  return { ms: report.timings.decodeMs, stats: `min ${p.min}, max ${p.max}, sum ${p.sum}` };
}

/** One loadImageFile in this process (the app's main process; JIT warm after the first call): wall and CPU ms. */
async function warmOnce(file: string): Promise<Timing> {
  const c0 = process.cpuUsage();
  const { decodeMs } = await loadImageFile(file);
  const c = process.cpuUsage(c0);
  return { wall: decodeMs, cpu: (c.user + c.system) / 1000 };
}

type BrowserRun = { single: number; pooled: number; workers: number; same: boolean; kernel: string };
type Browser = { version: string; run: (name: string) => Promise<BrowserRun>; close: () => Promise<void> };

/**
 * The renderer's path in Chromium: decodeImage inside a worker, as image.worker.ts runs it, and BrowserDecodePool's
 * strip workers. A string says why it cannot run.
 */
async function openBrowser(dir: string): Promise<Browser | string> {
  // The pool asks for new URL('./strip.worker.ts', import.meta.url): the bundled worker is served under that name.
  const opened = await openBenchPage(dir, join(here, 'decode-browser-page.ts'), 'runOnce', { '/strip.worker.ts': join(here, '../../renderer/src/workers/strip.worker.ts') });
  if (typeof opened === 'string') return opened;
  const { page } = opened;
  return {
    version: opened.version,
    run: async (name) => {
      const r = await page.evaluate((n) => (globalThis as unknown as { runOnce: (n: string) => Promise<BrowserRun> }).runOnce(n), name);
      if (!r.same) throw new Error(`${name}: the browser pool's result differs from decodeImage`);
      return r;
    },
    close: opened.close,
  };
}

export async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ramify-decode-bench-'));
  const pillow = startPillow();
  let browser: Browser | string = 'not measured';
  try {
    const how = writeFiles(dir, syntheticNeurons({ seed: 1, width: SIZE, height: SIZE }).channels[0]);
    browser = await openBrowser(dir).catch((e: unknown) => `not measured (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`);
    console.log(`decode bench: ${SIZE}×${SIZE} 16-bit synthetic micrograph, 64 rows per strip, ${how}`);
    console.log(`  ms are medians of ${RUNS} rounds; each round times Pillow, ramify inspect, the warm main process and Chromium one after another, so all see the same load`);
    console.log(`  load average at start ${load()} (2 cores shared with other work); WebAssembly kernels ${kernelsWasmAvailable() ? 'on' : 'off'}`);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);
    for (const f of FILES) {
      const file = join(dir, `${f.name}.tif`);
      const p: Timing[] = [];
      const ins: number[] = [];
      const warm: Timing[] = [];
      const br: BrowserRun[] = [];
      let stats = '';
      // Warm-up round (JIT, Python imports, browser workers), not counted.
      if (typeof pillow !== 'string') await pillow.time(file);
      await warmOnce(file);
      if (typeof browser !== 'string') await browser.run(f.name);
      for (let i = 0; i < RUNS; i++) {
        if (typeof pillow !== 'string') p.push(await pillow.time(file));
        const one = inspectOnce(file);
        ins.push(one.ms);
        stats = one.stats;
        warm.push(await warmOnce(file));
        if (typeof browser !== 'string') br.push(await browser.run(f.name));
      }
      const pw = p.length ? median(p.map((t) => t.wall)) : NaN;
      const pc = p.length ? median(p.map((t) => t.cpu)) : NaN;
      const vs = (ms: number, ref = pw) => (Number.isFinite(ref) ? `ours/Pillow ${(ms / ref).toFixed(2)}×` : 'Pillow not measured');
      console.log(`  ${f.name} (${(readFileSync(file).length / 1e6).toFixed(1)} MB): Pillow/libtiff load() ${typeof pillow === 'string' ? pillow : `${fmt(pw).trim()} (CPU ${pc.toFixed(1)} ms)`}`);
      console.log(`    ramify inspect decodeMs, fresh process, with statistics ${fmt(median(ins))}  ${vs(median(ins))}   [${stats}]`);
      const ww = median(warm.map((t) => t.wall));
      const wc = median(warm.map((t) => t.cpu));
      console.log(`    same, warm main process                                  ${fmt(ww)}  ${vs(ww)}  (CPU ${wc.toFixed(1)} ms, ${Number.isFinite(pc) ? `${(wc / pc).toFixed(2)}×` : 'n/a'})`);
      if (br.length) {
        console.log(`    Chromium image worker, 1 thread (Deflate: ${br[0].kernel})         ${fmt(median(br.map((b) => b.single)))}  ${vs(median(br.map((b) => b.single)))}`);
        console.log(`    Chromium image worker + ${br[0].workers} strip workers (app, ≥ 4 MiB)     ${fmt(median(br.map((b) => b.pooled)))}  ${vs(median(br.map((b) => b.pooled)))}`);
      }
    }
    if (typeof browser === 'string') console.log(`  Chromium: ${browser}`);
    else console.log(`  Chromium ${browser.version} headless; the renderer decodes without statistics (the viewer makes its own histograms)`);
    console.log(`  load average at end ${load()}`);
  } finally {
    if (typeof pillow !== 'string') pillow.close();
    if (typeof browser !== 'string') await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
