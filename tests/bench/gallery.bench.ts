import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GalleryService } from '../../electron/services/gallery-service';
import { ProjectSession } from '../../electron/services/project-session';
import { saveProject } from '../../electron/services/project-service';
import type { IpcEvents } from '../../shared/ipc/contract';
import { writeBenchProject } from './bench-project';

/**
 * Opening the gallery of a project of 1,000 neurons (100 images × 10 neurons of 240 nodes) once every thumbnail is
 * cached: reading every annotation file, the export's neuron table, outlier flags, the cache lookup (issue 11: ≤ 2 s).
 * Also the first opening's thumbnail rendering in the worker thread, for scale.
 */
export async function bench(): Promise<void> {
  const IMAGES = 100;
  const PER_IMAGE = 10;
  const root = await mkdtemp(join(tmpdir(), 'ramify-gallery-bench-'));
  try {
    // Sholl settings saved in the project: the gallery measures with what the project file says.
    const { project } = await writeBenchProject(root, { images: IMAGES, imageSize: 1024, perImage: PER_IMAGE, place: (k) => [110 + (k % 5) * 200, 200 + Math.floor(k / 5) * 500] });
    await saveProject(root, { ...project, sholl: { start: 10, step: 5, end: null } });

    const session = new ProjectSession();
    await session.open(root);
    let finished: (e: IpcEvents['gallery:thumbs']) => void = () => undefined;
    const gallery = new GalleryService({ urlFor: (p) => p, send: (_e, p) => p.finished && finished(p) });

    let t = performance.now();
    const rendered = new Promise<IpcEvents['gallery:thumbs']>((r) => (finished = r));
    const first = await gallery.open(session.galleryContext(), 160);
    const firstMs = performance.now() - t;
    const end = await rendered;
    const renderMs = performance.now() - t;

    const runs: number[] = [];
    let cachedTiles = 0;
    for (let r = 0; r < 5; r++) {
      t = performance.now();
      const v = await gallery.open(session.galleryContext(), 160);
      runs.push(performance.now() - t);
      cachedTiles = v.tiles.filter((x) => x.thumb !== null).length;
    }
    runs.sort((a, b) => a - b);
    session.close();
    console.log(`first open of ${first.tiles.length} neurons (no thumbnails yet): ${firstMs.toFixed(0)} ms; rendering ${end.done} thumbnails (1024² images, 160 px tiles, one worker): ${renderMs.toFixed(0)} ms`);
    console.log(`gallery open with ${cachedTiles} cached neurons: median ${runs[2].toFixed(0)} ms (runs ${runs.map((x) => x.toFixed(0)).join(' / ')}; target ≤ 2000 ms)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
