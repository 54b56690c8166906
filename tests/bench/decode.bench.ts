import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { decodeImage } from '../../shared/image/decode';
import { syntheticNeuron } from './synthetic-neuron';

const SIZE = 4096;
const RUNS = 5;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A python3 that can import PIL (the pyenv one on PATH may lack Debian's python3-pil), or null. */
function findPillowPython(): string | null {
  for (const exe of ['python3', '/usr/bin/python3']) {
    const r = spawnSync(exe, ['-c', 'import PIL'], { encoding: 'utf8' });
    if (r.status === 0) return exe;
  }
  return null;
}

const PILLOW_TIMER = `
import sys, time
from PIL import Image
f, runs = sys.argv[1], int(sys.argv[2])
ts = []
for _ in range(runs + 1):
    t0 = time.perf_counter()
    im = Image.open(f); im.load()
    ts.append((time.perf_counter() - t0) * 1000)
ts = sorted(ts[1:])
print(ts[len(ts) // 2])
`;

export async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ramify-decode-bench-'));
  try {
    const plane = syntheticNeuron(SIZE);
    const rawBytes = plane.byteLength;
    const python = findPillowPython();
    console.log(`decode bench: ${SIZE}×${SIZE} 16-bit synthetic neuron, ${(rawBytes / 1e6).toFixed(1)} MB raw, median of ${RUNS}`);
    if (!python) console.log('  (Pillow not found: install python3-pil to compare against libtiff)');
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
      decodeImage(bytes); // warm-up (JIT)
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const img = decodeImage(bytes);
        times.push(performance.now() - t0);
        if (img.planes[0][12345] !== plane[12345]) throw new Error(`${v.name}: decoded pixels differ from the source`);
      }
      const ours = median(times);
      let pillow = '';
      if (python) {
        const r = spawnSync(python, ['-c', PILLOW_TIMER, file, String(RUNS)], { encoding: 'utf8' });
        const ms = Number(r.stdout.trim());
        pillow = r.status === 0 && Number.isFinite(ms) ? `  Pillow ${ms.toFixed(1)} ms  ours/Pillow ${(ours / ms).toFixed(2)}` : `  Pillow failed: ${r.stderr.trim().split('\n').pop()}`;
      }
      console.log(`  ${v.name.padEnd(18)} raw ${rawBytes} B  file ${bytes.length} B (${((100 * bytes.length) / rawBytes).toFixed(0)}%)  decode ${ours.toFixed(1)} ms  ${(rawBytes / 1e6 / (ours / 1000)).toFixed(0)} MB/s${pillow}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
