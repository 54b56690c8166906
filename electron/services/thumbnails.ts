import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { thumbnailRgba } from '../../shared/display/thumbnail';
import { writeFileAtomicDurable } from './atomic-write';
import { loadImageFile } from './image-file';

/**
 * Preview PNGs for project image lists, cached in the settings folder (never inside the project, whose folder is
 * scanned for images) under a key of path, size and modification time, so an edited image gets a new preview.
 */
export class Thumbnails {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {}

  /** Path of the cached PNG for an image, made on first request. One image is decoded at a time. */
  pngFor(imagePath: string, size = 96): Promise<string> {
    const st = statSync(imagePath);
    const key = createHash('sha256').update(`${imagePath}|${st.size}|${st.mtimeMs}|${size}`).digest('hex').slice(0, 32);
    const out = join(this.dir, `${key}.png`);
    if (existsSync(out)) return Promise.resolve(out);
    const job = this.queue.then(async () => {
      if (existsSync(out)) return out;
      const { image } = await loadImageFile(imagePath);
      const t = thumbnailRgba(image, size);
      mkdirSync(this.dir, { recursive: true });
      await writeFileAtomicDurable(out, encodePng({ width: t.width, height: t.height, data: new Uint8Array(t.rgba.buffer), channels: 4, depth: 8 }));
      return out;
    });
    this.queue = job.catch(() => undefined);
    return job;
  }
}
