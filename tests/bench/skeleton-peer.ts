import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiademTree } from '../../shared/analysis/diadem';

/** One image for the peer: a 16-bit plane and the click on its root (document px). */
export interface PeerJob {
  plane: Uint16Array;
  width: number;
  height: number;
  root: { x: number; y: number };
}

/** Per image, the peer's tree at each pruning length asked for, and its time from the image to the first tree. */
export interface PeerTrace {
  trees: DiademTree[];
  ms: number;
}

const SCRIPT = fileURLToPath(new URL('./skeleton-peer.py', import.meta.url));

/**
 * Fiji's threshold-and-skeletonize route to a tree, run by scikit-image (skeleton-peer.py) on each image with its
 * end branches pruned at each of `prunePx`; a sentence saying why when no python3 with scikit-image is found.
 */
export function skeletonPeer(jobs: readonly PeerJob[], prunePx: readonly number[]): PeerTrace[] | string {
  const dir = mkdtempSync(join(tmpdir(), 'ramify-skeleton-peer-'));
  try {
    const manifest = jobs.map((j, k) => {
      const path = join(dir, `${k}.u16`);
      writeFileSync(path, Buffer.from(j.plane.buffer, j.plane.byteOffset, j.plane.byteLength));
      return { path, width: j.width, height: j.height, root: [j.root.x, j.root.y], prunePx };
    });
    for (const py of ['python3', '/usr/bin/python3']) {
      const r = spawnSync(py, [SCRIPT], { input: JSON.stringify(manifest), encoding: 'utf8', maxBuffer: 1 << 28 });
      if (r.status !== 0) continue;
      const out = JSON.parse(r.stdout) as Array<{ trees: Array<{ x: number[]; y: number[]; parent: number[] }>; ms: number }>;
      return out.map((o) => ({ trees: o.trees.map((t) => ({ ...t, z: new Float64Array(t.x.length) })), ms: o.ms }));
    }
    return 'not measured (no python3 with scikit-image: pip install scikit-image scipy)';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
