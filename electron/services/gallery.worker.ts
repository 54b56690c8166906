import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { toAppError } from '../../shared/result';
import { renderImageTiles, type GalleryImageJob, type GalleryJobReply } from './gallery-render';

// Body of the gallery's thumbnail worker (gallery-service.ts): one image per message, decoded once, every tile of it
// rendered and encoded here, so main stays responsive and a cancel can stop the work mid-image.
const port = parentPort;
if (port) {
  port.on('message', async ({ id, path, ...job }: GalleryImageJob) => {
    try {
      const pngs = renderImageTiles(new Uint8Array(await readFile(path)), job);
      port.postMessage({ id, pngs } satisfies GalleryJobReply, pngs.map((p) => p.buffer as ArrayBuffer));
    } catch (e) {
      port.postMessage({ id, error: toAppError(e, 'unreadable').message } satisfies GalleryJobReply);
    }
  });
}
