import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportProject } from '../../electron/services/export-service';
import { writeBenchProject } from './bench-project';

export async function bench(): Promise<void> {
  const IMAGES = 100;
  const root = await mkdtemp(join(tmpdir(), 'ramify-export-bench-'));
  try {
    const made = await writeBenchProject(root, { images: IMAGES, imageSize: 16, perImage: 3, place: (k) => [200 + k * 300, 300] });
    const { createMs, nodes } = made;
    const project = { ...made.project, sholl: { start: 10, step: 5, end: null } };

    const runs: number[] = [];
    let last: Awaited<ReturnType<typeof exportProject>> | null = null;
    for (let r = 0; r < 3; r++) {
      const t = performance.now();
      last = await exportProject(root, join(root, 'exports', `run${r}`), { project, appVersion: 'bench' });
      runs.push(performance.now() - t);
    }
    const sholl = last!.files.find((f) => f.name === 'sholl.csv')!.rows;
    console.log(`project init (scan + headers of ${IMAGES} TIFFs): ${createMs.toFixed(0)} ms`);
    console.log(`export ${IMAGES} images × 3 neurons (${(nodes / (IMAGES * 3)).toFixed(0)} nodes each, ${sholl} Sholl rows): ${runs.map((x) => x.toFixed(0)).join(' / ')} ms (target ≤ 2000 ms)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
