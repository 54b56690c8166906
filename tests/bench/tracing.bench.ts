/**
 * Tracing bench: cost image time (2048², 4096²), the app's first search slice, one full-image live-wire search,
 * per-move back-track time, and the same full search with scikit-image's MCP_Geometric (Debian python3-skimage) on the
 * identical cost image in the same run, with the ratio ours/skimage. Images are the bundled synthetic sample tiled to
 * size, so the content is neurite-like. Times are wall clock plus CPU time of the measuring process (robust when
 * other work shares the machine); the ratio is given for both.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImage } from '../../shared/image/decode';
import { computeCostImage, type CostImage } from '../../shared/tracing/cost-image';
import { refineCentreline } from '../../shared/tracing/centreline';
import { LiveWire } from '../../shared/tracing/live-wire';

function tiled(size: number): Uint16Array {
  const img = decodeImage(new Uint8Array(readFileSync(new URL('../../build/sample/sample-neurons.tif', import.meta.url))));
  const { width: w, height: h } = img.info;
  const src = img.planes[0] as Uint16Array;
  const out = new Uint16Array(size * size);
  for (let y = 0; y < size; y++) {
    const sy = y % h;
    for (let x = 0; x < size; x++) out[x + size * y] = src[(x % w) + w * sy];
  }
  return out;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const quantile = (v: number[], q: number) => [...v].sort((a, b) => a - b)[Math.min(v.length - 1, Math.floor(q * v.length))];

/** .npy v1.0 header + little-endian float32 data. */
function writeNpy(path: string, cost: CostImage): void {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${cost.height}, ${cost.width}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const pre = new Uint8Array(10);
  pre.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(pre.buffer).setUint16(8, header.length, true);
  writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(cost.data.buffer, cost.data.byteOffset, cost.data.byteLength)]));
}

const PY = `
import sys, time, json
import numpy as np
from skimage.graph import MCP_Geometric
c = np.load(sys.argv[1]).astype(np.float64)
runs = int(sys.argv[4])
wall = []
cpu = []
for _ in range(runs):
    t = time.perf_counter()
    p = time.process_time()
    MCP_Geometric(c).find_costs([(int(sys.argv[3]), int(sys.argv[2]))])
    cpu.append((time.process_time() - p) * 1000)
    wall.append((time.perf_counter() - t) * 1000)
print(json.dumps({'wall': wall, 'cpu': cpu}))
`;

interface Timing {
  /** Wall-clock ms per run. */
  wall: number[];
  /** CPU ms of the measuring process per run. */
  cpu: number[];
}

function timed(runs: number, f: () => void): Timing {
  const t: Timing = { wall: [], cpu: [] };
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    f();
    t.wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    t.cpu.push((c.user + c.system) / 1000);
  }
  return t;
}

const fmt = (t: Timing) => `${median(t.wall).toFixed(0)} ms wall, ${median(t.cpu).toFixed(0)} ms CPU${t.wall.length > 1 ? ` (median of ${t.wall.length})` : ''}`;

function skimageMs(cost: CostImage, ax: number, ay: number, runs: number): Timing | string {
  const npy = join(tmpdir(), `ramify-cost-${process.pid}-${cost.width}.npy`);
  writeNpy(npy, cost);
  try {
    for (const py of ['/usr/bin/python3', 'python3']) {
      const r = spawnSync(py, ['-c', PY, npy, String(ax), String(ay), String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (r.status === 0) return JSON.parse(r.stdout.trim()) as Timing;
    }
    return 'scikit-image not available (apt-get install -y python3-skimage); skipped';
  } finally {
    rmSync(npy, { force: true });
  }
}

export async function bench(): Promise<void> {
  for (const size of [2048, 4096]) {
    const img = tiled(size);
    let result = computeCostImage(img, size, size);
    const costTiming = timed(size === 2048 ? 3 : 1, () => (result = computeCostImage(img, size, size)));
    console.log(`tracing: cost image ${size}² (σ ${result.scales.map((s) => s.toFixed(2)).join('/')}): ${fmt(costTiming)}`);

    const lw = new LiveWire(result.cost);
    const ax = size >> 1;
    const ay = size >> 1;
    // What the app's worker does on a click: the first slice answers the anchor, later slices run in the background.
    const first = timed(5, () => lw.setAnchor(ax / 2 + 0.5, ay + 0.5, 40_000));
    const slice = timed(5, () => lw.continueSearch(60_000));
    console.log(`tracing: anchor reply ${size}² (first 40 000 px): ${fmt(first)}; background slice of 60 000 px: ${fmt(slice)}`);

    const runs = size === 2048 ? 3 : 1;
    const ours = timed(runs, () => lw.setAnchor(ax + 0.5, ay + 0.5));
    console.log(`tracing: full-image search ${size}² from one anchor: ${fmt(ours)}`);

    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296) * size;
    const moves: number[] = [];
    let points = 0;
    for (let k = 0; k < 1000; k++) {
      const t0 = performance.now();
      points += lw.pathTo(rnd(), rnd()).length;
      moves.push(performance.now() - t0);
    }
    console.log(`tracing: per-move back-track ${size}² (1000 random cursors, mean path ${(points / 1000).toFixed(0)} px): median ${median(moves).toFixed(3)} ms, p99 ${quantile(moves, 0.99).toFixed(3)} ms (target ≤ 4 ms median)`);

    // Centre-line refinement of one committed stretch (what each click and each preview adds to the back-track).
    const refine: number[] = [];
    let refined = 0;
    for (let k = 0; k < 200; k++) {
      const x = ax + 0.5 + (rnd() / size - 0.5) * 600;
      const y = ay + 0.5 + (rnd() / size - 0.5) * 600;
      const path = lw.pathTo(x, y);
      if (path.length < 150) continue;
      const t0 = performance.now();
      refineCentreline(result.smoothed, path, [0, path.length - 1]);
      refine.push(performance.now() - t0);
      refined += path.length;
    }
    console.log(`tracing: centre-line refinement ${size}² (${refine.length} stretches of 150+ px, mean ${(refined / refine.length).toFixed(0)} px): median ${median(refine).toFixed(3)} ms, p99 ${quantile(refine, 0.99).toFixed(3)} ms (target: a few ms)`);

    const sk = skimageMs(result.cost, ax, ay, runs);
    if (typeof sk === 'string') console.log(`tracing: ${sk}`);
    else {
      const wallRatio = median(ours.wall) / median(sk.wall);
      const cpuRatio = median(ours.cpu) / median(sk.cpu);
      console.log(`tracing: skimage MCP_Geometric.find_costs ${size}²: ${fmt(sk)}`);
      console.log(`tracing: ratio ours/skimage ${size}²: ${wallRatio.toFixed(3)} wall, ${cpuRatio.toFixed(3)} CPU (ours is ${(1 / wallRatio).toFixed(1)}× / ${(1 / cpuRatio).toFixed(1)}× faster; target ≤ 1)`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
