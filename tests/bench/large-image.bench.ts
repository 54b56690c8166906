import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLargeTiff } from './large-tiff';

// Memory of huge images (issue 13): peak resident memory of `ramify inspect` on an 8192² 16-bit Deflate TIFF (128
// MiB of pixels; the goal is ≤ 2.5× that, 320 MiB), read from the OS (GNU time's maximum resident set size), beside
// the whole-file decode inspect used before. The Chromium figures (app open of 8192² and 16384², first pixels of a
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
  console.log(`  load average at end ${load()}`);
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
