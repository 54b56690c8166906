import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseAnnotation, type AnnotationFile } from '../../shared/formats/annotation-file';
import type { GalleryTile, GalleryView, IpcEvents } from '../../shared/ipc/contract';
import { parseCsv } from '../../shared/project/csv-parse';
import { createExportBuilder, EXPORT_METRIC_NAMES } from '../../shared/project/export-tables';
import { findImage } from '../../shared/project/project';
import type { Project } from '../../shared/project/schema';
import { outlierFlags, type OutlierFlag } from '../../shared/review/outliers';
import { REVIEW_STATES, type ReviewState } from '../../shared/review/status';
import { imageSha256 } from './annotation-store';
import { resolveWorkerSource } from './decode-pool';
import type { GalleryImageJob, GalleryJobReply } from './gallery-render';
import { ramifyVersion } from './project-files';
import { annotationFilePath, imageFilePath } from './project-service';

/**
 * The gallery: every neuron of the open project as a tile with its numbers (the export's own neurons.csv rows, so
 * gallery and CSV agree), its status, outlier flags, and a thumbnail of its crop with the tracing.
 *
 * Thumbnails are cached as PNGs in the project's hidden cache folder (`.ramify-cache/gallery/`, which the image scan
 * skips), one per neuron, named by a key of the image's content hash, the annotation file's hash, the project's
 * display settings, the tile size and the drawing code's version: any change gives new names, and files no current
 * key names are deleted when the gallery opens. Missing ones render in a worker thread, one image at a time.
 */

/** Bump when tiles would be drawn differently, so old cached PNGs are not shown. */
export const GALLERY_RENDER_VERSION = 1;

/** The project as the gallery needs it (ProjectSession.galleryContext). */
export interface GalleryContext {
  dir: string;
  project: Project;
  blinded: boolean;
  /** Image ids in the order the renderer may list them. */
  order: string[];
  token(imageId: string): string;
  displayName(imageId: string): string;
  redact(text: string): string;
}

/** Renders one image's tiles; the app runs it in a worker thread. */
export type GalleryTileRenderer = (job: Omit<GalleryImageJob, 'id'>) => Promise<Uint8Array[]>;

/** The cache key of one image's tiles. */
export function galleryCacheKey(parts: { imageSha256: string; annotationSha256: string; display: Project['display']; size: number }): string {
  const text = [`v${GALLERY_RENDER_VERSION}`, parts.imageSha256, parts.annotationSha256, JSON.stringify(parts.display), parts.size].join('|');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export const galleryCacheDir = (projectDir: string) => join(projectDir, '.ramify-cache', 'gallery');
const tileFile = (key: string, neuronId: number) => `${key}-${neuronId}.png`;

/** SHA-256 of image files, remembered by size and modification time so an unchanged image is not read again. */
type HashMemo = Record<string, { size: number; mtimeMs: number; sha256: string }>;

async function imageHash(path: string, memo: HashMemo): Promise<string> {
  const st = await stat(path);
  const known = memo[path];
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return known.sha256;
  const sha256 = await imageSha256(path);
  memo[path] = { size: st.size, mtimeMs: st.mtimeMs, sha256 };
  return sha256;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Writes beside the target and renames: a crash never leaves half a PNG under a cache name. */
async function writeReplacing(path: string, bytes: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, bytes);
  await rename(tmp, path);
}

/** One image whose tiles are not all cached. */
interface PendingImage {
  job: Omit<GalleryImageJob, 'id'>;
  /** Cache file and tile key per entry of job.tiles. */
  files: Array<{ path: string; key: string }>;
}

/** The gallery of a project as read from disk, before any rendering: what `open` sends, and what is left to draw. */
export interface GalleryBuild {
  view: Omit<GalleryView, 'serial'>;
  /** Cached thumbnail file of each tile (same order as view.tiles), or null. */
  cached: Array<string | null>;
  pending: PendingImage[];
  cacheDir: string;
}

/** A neuron's row of the gallery table, as measured (ids are the project's own; tokens are added per session). */
interface NeuronRecord {
  imageId: string;
  neuronId: number;
  neuronName: string;
  /** The true condition ('' none). */
  condition: string;
  status: ReviewState;
  values: Array<number | null>;
  flags: OutlierFlag[];
}

/**
 * The measured neurons of every image, saved in the cache folder. Each image's records are kept under a key of
 * everything they depend on (that image's annotation file and project entry, the Sholl radii, the app version), so
 * after a save only the saved image is measured again.
 */
interface TableSnapshot {
  columns: string[];
  images: Record<string, { key: string; records: NeuronRecord[] }>;
}

const TABLE_FILE = `table-v${GALLERY_RENDER_VERSION}.json`;

/** The key of one image's neuron records. */
function recordsKey(project: Project, imageId: string, annotationSha256: string): string {
  return createHash('sha256')
    .update(`v${GALLERY_RENDER_VERSION}|${ramifyVersion()}|${JSON.stringify(project.sholl)}|${JSON.stringify(findImage(project, imageId))}|${annotationSha256}`)
    .digest('hex')
    .slice(0, 32);
}

/**
 * The table of every neuron: the export's own neuron rows (exactly as `ramify export` builds them) joined to the
 * neurons, with outlier flags by condition (over the whole project, so they are computed afresh each time). Parsing
 * and measuring a thousand neurons takes seconds, so each image's rows are kept in the cache folder (TableSnapshot)
 * and only images whose key changed are measured.
 */
async function neuronTable(ctx: GalleryContext, texts: Map<string, { text: string; sha256: string }>, cacheDir: string, parsed: Map<string, AnnotationFile>, warnings: string[]): Promise<{ records: NeuronRecord[]; snapshot: string }> {
  const { project } = ctx;
  const snapshotPath = join(cacheDir, TABLE_FILE);
  const saved = await readText(snapshotPath)
    .then((t) => (t ? (JSON.parse(t) as TableSnapshot) : null))
    .catch(() => null);
  const known = saved && saved.columns.join() === EXPORT_METRIC_NAMES.join() && saved.images ? saved.images : {};
  const keys = new Map(project.images.map((image) => [image.id, recordsKey(project, image.id, texts.get(image.id)?.sha256 ?? '')]));
  const stale = project.images.filter((image) => known[image.id]?.key !== keys.get(image.id));
  const measured = stale.length ? measureImages(project, stale, texts, parsed, warnings) : new Map<string, NeuronRecord[]>();

  const images: TableSnapshot['images'] = {};
  const records: NeuronRecord[] = [];
  for (const image of project.images) {
    const mine = measured.get(image.id) ?? known[image.id]?.records ?? [];
    // An annotation file that could not be parsed (perhaps mid-write) is read again next time.
    const unreadable = measured.has(image.id) && texts.has(image.id) && !parsed.has(image.id);
    if (!unreadable) images[image.id] = { key: keys.get(image.id)!, records: mine };
    records.push(...mine.map((r) => ({ ...r, flags: [] })));
  }
  // Excluded neurons take no part in their condition's median.
  const flags = outlierFlags(records.map((r) => ({ group: r.condition, values: r.status === 'excluded' ? {} : Object.fromEntries(EXPORT_METRIC_NAMES.map((c, k) => [c, r.values[k]])) })));
  records.forEach((r, i) => (r.flags = flags[i]));
  if (stale.length) await writeReplacing(snapshotPath, new TextEncoder().encode(JSON.stringify({ columns: EXPORT_METRIC_NAMES, images } satisfies TableSnapshot))).catch(() => undefined);
  return { records, snapshot: TABLE_FILE };
}

/** Measures some images' neurons with the export's own code; the records by image id (flags left empty). */
function measureImages(project: Project, images: Project['images'], texts: Map<string, { text: string; sha256: string }>, parsed: Map<string, AnnotationFile>, warnings: string[]): Map<string, NeuronRecord[]> {
  const builder = createExportBuilder(project, { appVersion: ramifyVersion(), now: new Date().toISOString() });
  for (const image of images) {
    let file: AnnotationFile | null = null;
    const t = texts.get(image.id);
    try {
      if (t) parsed.set(image.id, (file = parseAnnotation(t.text)));
    } catch (e) {
      warnings.push(`${image.path}: annotations not shown (${e instanceof Error ? e.message : String(e)}).`);
    }
    builder.add({ image, document: file?.document ?? null, tracer: file?.review.author ?? '', review: file?.review ?? null });
  }
  const [header = [], ...rows] = parseCsv(builder.finish().files.find((f) => f.name === 'neurons.csv')!.text);
  const col = (name: string) => header.indexOf(name);
  const rowByUid = new Map(rows.map((r) => [r[col('neuron_uid')], r]));
  const metricCols = EXPORT_METRIC_NAMES.map(col);
  const statusCol = col('review_status');
  const out = new Map<string, NeuronRecord[]>();
  for (const image of images) {
    const records: NeuronRecord[] = [];
    for (const neuron of parsed.get(image.id)?.document.neurons ?? []) {
      const row = rowByUid.get(`${image.id}:${neuron.id}`);
      // Excluded neurons and images have no row: they keep their tile, without numbers.
      const status = row && (REVIEW_STATES as readonly string[]).includes(row[statusCol]) ? (row[statusCol] as ReviewState) : 'excluded';
      const values = metricCols.map((c) => (row && row[c] !== '' && row[c] !== undefined ? Number(row[c]) : null));
      records.push({ imageId: image.id, neuronId: neuron.id, neuronName: neuron.name, condition: image.metadata.condition ?? '', status, values, flags: [] });
    }
    out.set(image.id, records);
  }
  return out;
}

/**
 * Everything the gallery shows, read from disk: the neuron table (neuronTable), each tile's cached thumbnail, and
 * the images whose thumbnails are missing (parsed only then, for their tracings).
 */
export async function buildGallery(ctx: GalleryContext, size: number, fallbackCacheDir?: string): Promise<GalleryBuild> {
  const { dir, project } = ctx;
  let cacheDir = galleryCacheDir(dir);
  try {
    await mkdir(cacheDir, { recursive: true });
  } catch (e) {
    // A read-only project (a copy on a share) still gets a gallery, cached outside it.
    if (!fallbackCacheDir) throw e;
    cacheDir = join(fallbackCacheDir, createHash('sha256').update(dir).digest('hex').slice(0, 16));
    await mkdir(cacheDir, { recursive: true });
  }
  const memoPath = join(cacheDir, 'image-hashes.json');
  const memo: HashMemo = await readText(memoPath)
    .then((t) => (t ? (JSON.parse(t) as HashMemo) : {}))
    .catch(() => ({}));
  const cachedNames = new Set(await readdir(cacheDir));
  const warnings: string[] = [];

  const texts = new Map<string, { text: string; sha256: string }>();
  for (const image of project.images) {
    try {
      const text = await readText(annotationFilePath(dir, project, image.id));
      if (text !== null) texts.set(image.id, { text, sha256: createHash('sha256').update(text).digest('hex') });
    } catch (e) {
      warnings.push(`${image.path}: annotations not shown (${e instanceof Error ? e.message : String(e)}).`);
    }
  }
  const parsed = new Map<string, AnnotationFile>();
  const { records, snapshot } = await neuronTable(ctx, texts, cacheDir, parsed, warnings);
  const byImage = new Map<string, NeuronRecord[]>();
  for (const r of records) byImage.set(r.imageId, [...(byImage.get(r.imageId) ?? []), r]);

  const tiles: GalleryTile[] = [];
  const cached: Array<string | null> = [];
  const pending: PendingImage[] = [];
  const liveKeys = new Set<string>();
  for (const imageId of ctx.order) {
    const recs = byImage.get(imageId);
    if (!recs) continue;
    const image = findImage(project, imageId);
    const imagePath = imageFilePath(dir, project, imageId);
    let key: string | null = null;
    try {
      key = galleryCacheKey({ imageSha256: await imageHash(imagePath, memo), annotationSha256: texts.get(imageId)!.sha256, display: project.display, size });
      liveKeys.add(key);
    } catch (e) {
      warnings.push(`${image.path}: no thumbnails (${e instanceof Error ? e.message : String(e)}).`);
    }
    const missing: PendingImage['files'] = [];
    const missingIds: number[] = [];
    for (const r of recs) {
      const tileKey = `${ctx.token(imageId)}:${r.neuronId}`;
      const name = key ? tileFile(key, r.neuronId) : null;
      tiles.push({
        key: tileKey,
        imageId: ctx.token(imageId),
        neuronId: r.neuronId,
        neuronName: r.neuronName,
        imageName: ctx.displayName(imageId),
        condition: ctx.blinded || r.condition === '' ? null : r.condition,
        status: r.status,
        values: r.values,
        flags: r.flags,
        thumb: null,
      });
      cached.push(name && cachedNames.has(name) ? join(cacheDir, name) : null);
      if (name && !cachedNames.has(name)) {
        missing.push({ path: join(cacheDir, name), key: tileKey });
        missingIds.push(r.neuronId);
      }
    }
    if (missing.length === 0) continue;
    const file = parsed.get(imageId) ?? parseAnnotation(texts.get(imageId)!.text);
    pending.push({ job: { path: imagePath, neurons: file.document.neurons, tiles: missingIds, display: project.display, size }, files: missing });
  }

  // Stale thumbnails and tables (an edited tracing, a changed display, image or setting) and interrupted writes go.
  const stale = (n: string) => n.endsWith('.tmp') || (n.endsWith('.png') && !liveKeys.has(n.slice(0, 32))) || (n.startsWith('table-') && n !== snapshot);
  await Promise.all([...cachedNames].filter(stale).map((n) => rm(join(cacheDir, n), { force: true })));
  await writeFile(memoPath, JSON.stringify(memo)).catch(() => undefined);

  return {
    view: {
      blinded: ctx.blinded,
      columns: EXPORT_METRIC_NAMES,
      conditions: ctx.blinded ? [] : project.conditions,
      tiles,
      pending: pending.reduce((s, p) => s + p.job.tiles.length, 0),
      warnings: warnings.map((w) => ctx.redact(w)),
    },
    cached,
    pending,
    cacheDir,
  };
}

/** A GalleryTileRenderer in one worker thread; `close` ends it, which also stops an image mid-way. */
export function workerTileRenderer(): { render: GalleryTileRenderer; close: () => void } {
  let worker: Promise<Worker> | null = null;
  let nextId = 1;
  let closed = false;
  const render: GalleryTileRenderer = async (job) => {
    const w = await (worker ??= resolveWorkerSource('gallery').then((src) => new Worker(src, { eval: true })));
    if (closed) throw new Error('Thumbnail rendering stopped.');
    const id = nextId++;
    return new Promise<Uint8Array[]>((resolve, reject) => {
      const onMessage = (m: GalleryJobReply) => {
        if (m.id !== id) return;
        w.off('message', onMessage);
        w.off('exit', onExit);
        if ('pngs' in m) resolve(m.pngs);
        else reject(new Error(m.error));
      };
      const onExit = () => reject(new Error('Thumbnail rendering stopped.'));
      w.on('message', onMessage);
      w.once('exit', onExit);
      w.postMessage({ id, ...job } satisfies GalleryImageJob);
    });
  };
  return {
    render,
    close: () => {
      closed = true;
      void worker?.then((w) => w.terminate());
    },
  };
}

/** Opens galleries for the renderer: one run of thumbnail rendering at a time, the newest wins. */
export class GalleryService {
  private serial = 0;
  private stop: (() => void) | null = null;

  constructor(
    private readonly o: {
      /** URL the renderer loads a cached PNG from. */
      urlFor(path: string): string;
      send(event: 'gallery:thumbs', payload: IpcEvents['gallery:thumbs']): void;
      /** Where thumbnails go when the project folder cannot be written. */
      fallbackCacheDir?: string;
      /** Default: a worker thread per run. */
      renderer?: () => { render: GalleryTileRenderer; close: () => void };
    },
  ) {}

  async open(ctx: GalleryContext, size: number): Promise<GalleryView> {
    this.cancel();
    const serial = ++this.serial;
    const build = await buildGallery(ctx, size, this.o.fallbackCacheDir);
    const tiles = build.view.tiles.map((t, i) => ({ ...t, thumb: build.cached[i] ? this.o.urlFor(build.cached[i]) : null }));
    if (build.pending.length) void this.renderMissing(serial, build, ctx);
    return { ...build.view, tiles, serial };
  }

  cancel(): void {
    this.stop?.();
    this.stop = null;
  }

  private async renderMissing(serial: number, build: GalleryBuild, ctx: GalleryContext): Promise<void> {
    const renderer = (this.o.renderer ?? workerTileRenderer)();
    let stopped = false;
    this.stop = () => {
      stopped = true;
      renderer.close();
    };
    const total = build.view.pending;
    let done = 0;
    let error: string | null = null;
    try {
      for (const p of build.pending) {
        if (stopped) break;
        let pngs: Uint8Array[];
        try {
          pngs = await renderer.render(p.job);
        } catch (e) {
          if (stopped) break;
          // One unreadable image keeps its tiles blank; the others still render.
          error = ctx.redact(`${e instanceof Error ? e.message : String(e)}`);
          done += p.files.length;
          this.o.send('gallery:thumbs', { serial, tiles: [], done, total, finished: false, error });
          continue;
        }
        await Promise.all(p.files.map((f, k) => writeReplacing(f.path, pngs[k])));
        done += p.files.length;
        if (!stopped) this.o.send('gallery:thumbs', { serial, tiles: p.files.map((f) => ({ key: f.key, url: this.o.urlFor(f.path) })), done, total, finished: false, error: null });
      }
    } catch (e) {
      error = ctx.redact(`Thumbnails could not be saved: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      renderer.close();
      if (this.serial === serial) this.stop = null;
      this.o.send('gallery:thumbs', { serial, tiles: [], done, total, finished: true, error });
    }
  }
}
