import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticNeurons } from '../../build/tools/synthetic-neuron';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { imagejDescription } from '../../shared/image/imagej';
import { writeLargeTiff } from './large-tiff';

// Memory of huge images (issue 13): peak resident memory of `ramify inspect` on an 8192² 16-bit Deflate TIFF (128
// MiB of pixels; the goal is ≤ 2.5× that, 320 MiB), read from the OS (GNU time's maximum resident set size), beside
// the whole-file decode inspect used before; and of `ramify autotrace --soma` on a 16384² slide scan, which reads only
// the window around the click from the file, beside the whole-file decode it did before. The Chromium figures (app open of 8192² and 16384², first pixels of a
// 4096² LZW) are in viewer-memory.bench.ts.

const here = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(here, '../..');
const load = () => loadavg().map((x) => x.toFixed(1)).join(' ');
const MiB = 1024 * 1024;

/** Peak RSS (bytes) and stdout of a command, via GNU time; null when /usr/bin/time is missing. */
function peakRss(args: string[]): { rss: number; stdout: string } | string {
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, ...args], { encoding: 'utf8', cwd: REPO, maxBuffer: 64 * MiB });
  if (r.error) return `not measured (${r.error.message}; apt-get install -y time)`;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  const kb = Number(r.stderr.trim().split('\n').pop());
  return { rss: kb * 1024, stdout: r.stdout };
}

/** Folder for the generated files, kept between runs (writing 16384² takes a while). */
export function benchDataDir(): string {
  const dir = join(tmpdir(), 'ramify-large-image-bench');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export async function bench(): Promise<void> {
  const size = 8192;
  const raw = size * size * 2;
  const file = writeLargeTiff(join(benchDataDir(), `deflate-${size}.tif`), { size, compression: 'deflate' });
  console.log(`large image: ${size}² 16-bit Deflate, 64 rows per strip, ${(statSync(file).size / MiB).toFixed(0)} MiB on disk, ${raw / MiB} MiB of pixels`);
  console.log(`  load average at start ${load()} (2 cores shared with other work)`);
  const streamed = peakRss([join(REPO, 'electron/cli/bin.mjs'), 'inspect', '--json', file]);
  const whole = peakRss(['--import', 'tsx', join(here, 'whole-decode-child.ts'), file]);
  const show = (label: string, m: typeof streamed) =>
    console.log(`  ${label.padEnd(58)} ${typeof m === 'string' ? m : `${(m.rss / MiB).toFixed(0)} MiB peak RSS = ${(m.rss / raw).toFixed(2)}× raw (goal ≤ 2.5×)`}`);
  show('ramify inspect (streamed statistics, ranged reads)', streamed);
  show('whole-file decode (loadImageFile; inspect before issue 13)', whole);
  if (typeof streamed !== 'string' && typeof whole !== 'string') {
    const s = JSON.parse(streamed.stdout) as { planes: Array<{ min: number; max: number; sum: number }>; timings: { decodeMs: number } };
    const w = JSON.parse(whole.stdout) as Array<{ min: number; max: number; sum: number }>;
    const same = s.planes[0].min === w[0].min && s.planes[0].max === w[0].max && s.planes[0].sum === w[0].sum;
    console.log(`  statistics ${same ? 'identical' : 'DIFFER'}: min ${s.planes[0].min}, max ${s.planes[0].max}, sum ${s.planes[0].sum}; streamed decode ${s.timings.decodeMs.toFixed(0)} ms`);
  }
  autotraceWindow(slideScan(SCAN), SCAN);
  batchStack();
  console.log(`  load average at end ${load()}`);
}

/** Side of the slide scan: 16384² 16-bit is 512 MiB of pixels, which the whole-file decode holds besides the trace. */
const SCAN = 16384;

/**
 * A 16-bit Deflate slide scan: dim noisy background with the project's synthetic field of four neurons
 * (1024², seed 1) in its middle. Written once, kept with the other generated files.
 */
function slideScan(size: number): string {
  const path = join(benchDataDir(), `slide-scan-${size}.tif`);
  if (existsSync(path)) return path;
  const s = syntheticNeurons({ seed: 1, neurons: 4 });
  const plane = new Uint16Array(size * size);
  // Noise that compresses as a camera's does (about 6 of 16 bits), so the file is as large as a real scan's.
  for (let i = 0; i < plane.length; i++) plane[i] = 400 + ((Math.imul(i ^ (i >>> 13), 1274126177) >>> 24) & 63);
  const at = (size - s.width) / 2;
  for (let y = 0; y < s.height; y++) plane.set(s.channels[0].subarray(y * s.width, (y + 1) * s.width), (at + y) * size + at);
  writeFileSync(path, encodeTiff({ width: size, height: size, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', rowsPerStrip: 64 }));
  return path;
}

/**
 * `ramify autotrace` with a click on a cell of the slide scan: it reads only the window around the click from the
 * file, beside the whole-file decode it did before (the same trace: the same window and neurons).
 */
function autotraceWindow(file: string, size: number): void {
  const raw = size * size * 2;
  const s = syntheticNeurons({ seed: 1, neurons: 4 });
  const first = s.truth.neurons[0].soma;
  if (first?.kind !== 'point') throw new Error('synthetic soma expected as a point');
  const at = (size - s.width) / 2;
  const soma = `${Math.round(first.x + at)},${Math.round(first.y + at)}`;
  const windowed = peakRss([join(REPO, 'electron/cli/bin.mjs'), 'autotrace', file, '--soma', soma, '--json']);
  const whole = peakRss(['--import', 'tsx', join(here, 'autotrace-whole-child.ts'), file, soma]);
  console.log(`slide scan: ${file.split('/').pop()}, ${(statSync(file).size / MiB).toFixed(0)} MiB on disk, ${raw / MiB} MiB of pixels, a click on a cell body`);
  const show = (label: string, m: typeof windowed, ms: number | null) =>
    console.log(`  ${label.padEnd(58)} ${typeof m === 'string' ? m : `${(m.rss / MiB).toFixed(0)} MiB peak RSS = ${(m.rss / raw).toFixed(2)}× raw${ms === null ? '' : `, ${(ms / 1000).toFixed(1)} s`}`}`);
  if (typeof windowed === 'string' || typeof whole === 'string') {
    show('ramify autotrace --soma (windows read from the file)', windowed, null);
    return;
  }
  const w = JSON.parse(windowed.stdout) as { neurons: Array<{ nodes: number; branches: number }>; parameters: { window: unknown; read: string }; timings: { totalMs: number } };
  const d = JSON.parse(whole.stdout) as { stats: Array<{ nodes: number; branches: number }>; window: unknown; ms: number };
  show(`ramify autotrace --soma ${soma} (read: ${w.parameters.read})`, windowed, w.timings.totalMs);
  show('the same trace on the file decoded whole (autotrace before)', whole, d.ms);
  const same = JSON.stringify(w.neurons.map((n) => [n.nodes, n.branches])) === JSON.stringify(d.stats.map((n) => [n.nodes, n.branches])) && JSON.stringify(w.parameters.window) === JSON.stringify({ ...(d.window as object), cut: (w.parameters.window as { cut: boolean }).cut });
  console.log(`  window ${JSON.stringify(w.parameters.window)}; neurons ${same ? 'identical' : 'DIFFER'} (${w.neurons.map((n) => `${n.branches} branches, ${n.nodes} nodes`).join('; ')})`);
}

/** The stack of batchStack: 2048², 16 slices, 3 channels of 16 bits (the neurons in channel 2): 384 MiB of pixels. */
const STACK = { size: 2048, slices: 16, channels: 3 };

/**
 * `ramify autotrace PROJECT --all --channel 2` on a project of one 3-channel z-stack: the batch reads only channel 2's
 * slices from the file, beside the whole-file decode it did before (the same trace).
 */
function batchStack(): void {
  const { size, slices, channels } = STACK;
  const raw = size * size * slices * channels * 2;
  const file = join(benchDataDir(), `stack-${channels}c-${slices}z-${size}.tif`);
  if (!existsSync(file)) {
    const s = syntheticNeurons({ seed: 7, width: size, height: size, neurons: 4 });
    const planes: Uint16Array[] = [];
    for (let z = 0; z < slices; z++) {
      // The neurons brightest in the middle slices; channel 1 holds noise, channel 3 a flat level.
      const f = Math.exp(-(((z - slices / 2) / (slices / 4)) ** 2));
      const noise = new Uint16Array(size * size);
      for (let i = 0; i < noise.length; i++) noise[i] = 300 + ((Math.imul(i ^ (i >>> 11) ^ z, 1274126177) >>> 24) & 63);
      planes.push(noise, Uint16Array.from(s.channels[0], (v) => 200 + Math.round(f * v)), new Uint16Array(size * size).fill(150));
    }
    writeFileSync(file, encodeTiff({ width: size, height: size, planes, bitsPerSample: 16, sampleFormat: 'uint', compression: 'deflate', rowsPerStrip: 64, imagejDescription: imagejDescription({ channels, slices, unit: 'micron', spacing: 1 }), resolution: { x: 2, y: 2, unit: 'cm' } }));
  }
  // A fresh project each run (the batch never traces over annotations), the stack linked into it.
  const dir = mkdtempSync(join(benchDataDir(), 'batch-'));
  linkSync(file, join(dir, 'stack.tif'));
  try {
    const init = spawnSync(process.execPath, [join(REPO, 'electron/cli/bin.mjs'), 'project', 'init', dir], { encoding: 'utf8', cwd: REPO });
    if (init.status !== 0) throw new Error(`project init failed: ${init.stderr}`);
    const batch = peakRss([join(REPO, 'electron/cli/bin.mjs'), 'autotrace', dir, '--all', '--channel', '2']);
    const whole = peakRss(['--import', 'tsx', join(here, 'batch-whole-child.ts'), file, '2']);
    console.log(`batch: ${channels}-channel z-stack, ${size}², ${slices} slices, 16-bit Deflate, ${(statSync(file).size / MiB).toFixed(0)} MiB on disk, ${raw / MiB} MiB of pixels, traced on channel 2`);
    const show = (label: string, m: typeof batch, ms: string) => console.log(`  ${label.padEnd(58)} ${typeof m === 'string' ? m : `${(m.rss / MiB).toFixed(0)} MiB peak RSS = ${(m.rss / raw).toFixed(2)}× raw${ms}`}`);
    if (typeof batch === 'string' || typeof whole === 'string') return show('ramify autotrace PROJECT --all (channel 2 read from the file)', batch, '');
    const d = JSON.parse(whole.stdout) as { stats: Array<{ nodes: number; branches: number }>; ms: number };
    show('ramify autotrace PROJECT --all --channel 2', batch, ` (${batch.stdout.trim().split('\n')[0]})`);
    show('the same image decoded whole (the batch before)', whole, `, ${(d.ms / 1000).toFixed(1)} s: ${d.stats.map((n) => `${n.branches} branches`).join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
