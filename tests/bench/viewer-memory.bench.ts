import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDataDir } from './large-image.bench';
import { writeLargeTiff } from './large-tiff';

// Issue 13 in the E2E setup (the built renderer in Debian's Chromium, wired to the real main-process services by
// tests/e2e/harness.ts): peak memory while opening an 8192² and a 16384² 16-bit Deflate TIFF, read from the OS as the
// proportional set size (shared pages split between the processes that map them) of every Chromium process (browser,
// renderer with its workers, GPU, utilities) plus this process, which plays Electron's main; and the time from the
// file being chosen to its first pixels on the canvas for a 4096² LZW TIFF. Each figure is taken twice: tiled
// display (the default for these sizes) and the whole-image display used before (forced through the E2E build's
// localStorage override).

const CHROMIUM = '/usr/bin/chromium';
const MiB = 1024 * 1024;
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const REPO = join(import.meta.dirname, '../..');

/** Proportional set size of a process in bytes (RSS when smaps_rollup is unreadable), 0 once it is gone. */
function pss(pid: number): number {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const m = /^Pss:\s+(\d+) kB/m.exec(rollup);
    if (m) return Number(m[1]) * 1024;
  } catch {
    // fall through to RSS
  }
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** A process and all its descendants (Chromium's zygote, renderers, GPU and utility processes). */
function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // the process ended meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    out.push(p);
    for (const c of children.get(p) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/**
 * Samples the memory of Chromium's processes (this process's descendants) and this one every 100 ms; keeps the peaks.
 * (Reading smaps_rollup takes each process's memory-map lock: sampled much more often, it slows the page down.)
 */
function sampler() {
  let peakTotal = 0;
  let peakChromium = 0;
  let peakMain = 0;
  const children = () => tree(process.pid).filter((p) => p !== process.pid);
  let pids = children();
  let ticks = 0;
  const timer = setInterval(() => {
    if (++ticks % 10 === 0) pids = children(); // workers are threads, but renderers may come and go
    const chromium = pids.reduce((n, p) => n + pss(p), 0);
    const main = pss(process.pid);
    peakChromium = Math.max(peakChromium, chromium);
    peakMain = Math.max(peakMain, main);
    peakTotal = Math.max(peakTotal, chromium + main);
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return { total: peakTotal, chromium: peakChromium, main: peakMain };
    },
    now: () => pids.reduce((n, p) => n + pss(p), 0) + pss(process.pid),
  };
}

type App = Awaited<ReturnType<typeof startApp>>;

async function startApp() {
  const { chromium } = await import('playwright-core');
  const { connect } = await import('../e2e/harness');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--font-render-hinting=none'],
  });
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const settingsDir = mkdtempSync(join(tmpdir(), 'ramify-memory-bench-'));
  const app = await connect(page as never, settingsDir);
  await app.start();
  // The bundled sample opens first: let it settle, so the baseline is the app at rest with an image shown.
  await page.waitForFunction(() => (window as unknown as { __ramify: { renderSerial(): number } }).__ramify.renderSerial() > 0 && !document.querySelector('[role="progressbar"]'));
  return { browser, page, app, settingsDir };
}

async function closeApp(a: App) {
  await a.browser.close();
  rmSync(a.settingsDir, { recursive: true, force: true });
}

/** Opens `file` (tiled or forced whole) and resolves when its first pixels are on the canvas; ms from the choice. */
async function openAndTime(a: App, file: string, tiled: boolean, timeoutMs = 90_000): Promise<number> {
  const { page, app } = a;
  await page.evaluate((t) => (t ? localStorage.removeItem('ramify.tiledFromPixels') : localStorage.setItem('ramify.tiledFromPixels', String(2 ** 40))), tiled);
  const name = file.split('/').pop()!;
  app.dialogAnswers.push(file);
  const t0 = performance.now();
  await app.services.menuActions.open();
  await page.waitForFunction(
    (n) => {
      const r = (window as unknown as { __ramify: { renderSerial(): number } }).__ramify;
      const err = document.querySelector('[role="alert"]')?.textContent;
      if (err && err.includes('Cannot open')) throw new Error(err);
      // Opening resets the viewer (file name shown, render serial back to 0) in one step; the first render bumps it.
      return document.querySelector('[data-testid="file-name"]')?.textContent === n && r.renderSerial() > 0;
    },
    name,
    { polling: 'raf', timeout: timeoutMs },
  );
  return performance.now() - t0;
}

async function memoryOf(file: string, size: number, tiled: boolean, timeoutMs: number): Promise<string> {
  const a = await startApp();
  try {
    await new Promise((r) => setTimeout(r, 1500));
    const s = sampler();
    const baseline = s.now();
    let ms: number;
    try {
      ms = await openAndTime(a, file, tiled, timeoutMs);
    } catch (e) {
      s.stop();
      return `FAILED (${(e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 120)})`;
    }
    // Until the whole image is read (progressive display: the first pixels come early), then a moment more.
    await a.page.waitForFunction(() => !document.querySelector('[role="progressbar"]'), undefined, { timeout: timeoutMs });
    await new Promise((r) => setTimeout(r, 1500));
    const peak = s.stop();
    const raw = size * size * 2;
    return `peak ${(peak.total / MiB).toFixed(0)} MiB = ${(peak.total / raw).toFixed(2)}× raw (Chromium ${(peak.chromium / MiB).toFixed(0)} + main ${(peak.main / MiB).toFixed(0)}; before opening ${(baseline / MiB).toFixed(0)} MiB, so the image added ${((peak.total - baseline) / MiB).toFixed(0)} MiB = ${((peak.total - baseline) / raw).toFixed(2)}× raw); first pixels after ${ms.toFixed(0)} ms`;
  } finally {
    await closeApp(a);
  }
}

export async function bench(): Promise<void> {
  if (!existsSync(CHROMIUM)) return console.log(`viewer memory: not measured (${CHROMIUM} not installed)`);
  const assets = join(REPO, 'out/renderer/assets');
  if (!existsSync(assets) || !readdirSync(assets).some((f) => f.startsWith('index-') && readFileSync(join(assets, f), 'utf8').includes('__ramify'))) {
    return console.log('viewer memory: not measured (out/renderer is not an E2E build: run `npm run build:e2e` first)');
  }
  const dir = benchDataDir();
  console.log(`viewer memory and first pixels (Chromium, E2E harness, 1280×800); load average at start ${load()} (2 cores shared)`);
  // RAMIFY_BENCH_SIZES=8192 (comma-separated) limits the memory runs; RAMIFY_BENCH_SKIP_FIRST_PIXELS=1 skips the timing.
  const sizes = (process.env.RAMIFY_BENCH_SIZES ?? '8192,16384').split(',').map(Number).filter((n) => n > 0);
  for (const size of sizes) {
    const file = writeLargeTiff(join(dir, `deflate-${size}.tif`), { size, compression: 'deflate' });
    console.log(`  ${size}² 16-bit Deflate (${size * size * 2 / MiB} MiB of pixels; goal ${size === 8192 ? '≤ 2.5× raw' : 'opens'}):`);
    console.log(`    tiled (now)           ${await memoryOf(file, size, true, size > 8192 ? 300_000 : 180_000)}`);
    console.log(`    whole image (before)  ${await memoryOf(file, size, false, size > 8192 ? 300_000 : 180_000)}`);
  }
  if (process.env.RAMIFY_BENCH_SKIP_FIRST_PIXELS === '1') return;
  const lzw = writeLargeTiff(join(dir, 'lzw-4096.tif'), { size: 4096, compression: 'lzw' });
  const a = await startApp();
  try {
    const runs: Record<string, number[]> = { tiled: [], whole: [] };
    await openAndTime(a, lzw, true); // warm-up: workers started, code compiled
    for (let i = 0; i < 5; i++) {
      for (const mode of ['tiled', 'whole'] as const) {
        await openAndTime(a, join(REPO, 'build/sample/sample-neurons.tif'), true); // switch away so the next open is a real one
        runs[mode].push(await openAndTime(a, lzw, mode === 'tiled'));
      }
    }
    const med = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    console.log(`  4096² 16-bit LZW, first pixels after the file is chosen (median of 5; goal ≤ 300 ms): tiled (now) ${med(runs.tiled).toFixed(0)} ms, whole image (before) ${med(runs.whole).toFixed(0)} ms`);
  } finally {
    await closeApp(a);
  }
  console.log(`  load average at end ${load()}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
