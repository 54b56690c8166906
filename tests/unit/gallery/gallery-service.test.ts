import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProject } from '../../../electron/services/export-service';
import { renderImageTiles } from '../../../electron/services/gallery-render';
import { galleryCacheDir, galleryCacheKey, GalleryService, type GalleryTileRenderer } from '../../../electron/services/gallery-service';
import { ProjectSession } from '../../../electron/services/project-session';
import { loadProject } from '../../../electron/services/project-service';
import { parseAnnotation, serializeAnnotation } from '../../../shared/formats/annotation-file';
import type { GalleryView, IpcEvents } from '../../../shared/ipc/contract';
import { neuronCrop, tileSize } from '../../../shared/gallery/crop';
import { parseCsv } from '../../../shared/project/csv-parse';
import { makeGalleryProject, SPURIOUS } from '../../fixtures/project/make-gallery-project';

type Thumbs = IpcEvents['gallery:thumbs'];

/** A gallery service rendering in-process (the app's worker runs the same renderImageTiles), recording its events. */
function service() {
  const events: Thumbs[] = [];
  let finished: (e: Thumbs) => void = () => undefined;
  const inProcess: GalleryTileRenderer = async ({ path, ...job }) => renderImageTiles(new Uint8Array(await readFile(path)), job);
  const s = new GalleryService({
    urlFor: (p) => `file-url:${p}`,
    send: (_e, payload) => {
      events.push(payload);
      if (payload.finished) finished(payload);
    },
    renderer: () => ({ render: inProcess, close: () => undefined }),
  });
  const open = async (session: ProjectSession, size = 160): Promise<{ view: GalleryView; done: Promise<Thumbs> }> => {
    const done = new Promise<Thumbs>((r) => (finished = r));
    const view = await s.open(session.galleryContext(), size);
    return { view, done: view.pending ? done : Promise.resolve({ serial: view.serial, tiles: [], done: 0, total: 0, finished: true, error: null }) };
  };
  return { s, events, open };
}

let dir: string;
let session: ProjectSession;
let csv: { header: string[]; rows: string[][] };

beforeAll(async () => {
  dir = await makeGalleryProject();
  session = new ProjectSession();
  await session.open(dir);
  const out = await mkdtemp(join(tmpdir(), 'ramify-gallery-export-'));
  await exportProject(dir, out, { appVersion: 'test' });
  const [header, ...rows] = parseCsv(readFileSync(join(out, 'neurons.csv'), 'utf8'));
  csv = { header, rows };
}, 60_000);

afterAll(() => session.close());

const cell = (row: string[], name: string) => row[csv.header.indexOf(name)];

describe('gallery numbers', () => {
  it('one tile per neuron with the values of the exported neurons.csv, cell for cell', async () => {
    const { view, done } = await service().open(session);
    await done;
    expect(view.tiles).toHaveLength(16);
    expect(view.tiles).toHaveLength(csv.rows.length);
    const project = await loadProject(dir);
    for (const t of view.tiles) {
      const image = project.images.find((i) => i.path.endsWith(`/${t.imageName}`))!;
      const row = csv.rows.find((r) => cell(r, 'neuron_uid') === `${image.id}:${t.neuronId}`)!;
      expect(row, t.key).toBeDefined();
      expect(t.condition).toBe(cell(row, 'condition'));
      expect(t.status).toBe(cell(row, 'review_status'));
      view.columns.forEach((c, k) => expect(t.values[k] === null ? '' : String(t.values[k]), `${t.key} ${c}`).toBe(cell(row, c)));
    }
  });

  it('flags the neuron traced with ten spurious branches, on tips, against its condition (by hand from the CSV)', async () => {
    const { view } = await service().open(session);
    const flagged = view.tiles.filter((t) => t.flags.length > 0);
    expect(flagged.map((t) => `${t.imageName}#${t.neuronId}`)).toEqual([`${SPURIOUS.image.split('/')[1]}#2`]);
    // Control tips from neurons.csv: 5 3 6 14 5 4 7 4 → median 5, |x − 5| = 0 2 1 9 0 1 2 1 → median 1 → MAD 1.4826.
    const tips = csv.rows.filter((r) => cell(r, 'condition') === 'control').map((r) => Number(cell(r, 'tips')));
    expect(tips).toEqual([5, 3, 6, 14, 5, 4, 7, 4]);
    expect(flagged[0].flags).toHaveLength(1);
    expect(flagged[0].flags[0]).toMatchObject({ measure: 'tips', value: 14, median: 5 });
    expect(flagged[0].flags[0].z).toBeCloseTo(9 / 1.4826, 12);
  });
});

describe('gallery thumbnails and their cache', () => {
  it('renders every missing tile once, then opens from the cache; an edited tracing re-renders only its image', async () => {
    const { open, events } = service();
    const dir = await makeGalleryProject();
    const session = new ProjectSession();
    await session.open(dir);
    const cache = galleryCacheDir(dir);
    const first = await open(session);
    const end = await first.done;
    const pngs = () => readdirSync(cache).filter((f) => f.endsWith('.png')).sort();
    expect(end).toMatchObject({ finished: true, done: 16, total: 16, error: null });
    expect(pngs()).toHaveLength(16);

    const again = await open(session);
    expect(again.view.pending).toBe(0);
    expect(again.view.tiles.every((t) => t.thumb?.startsWith(`file-url:${cache}`))).toBe(true);

    // Move one node of ctl_1's tracing: its two tiles get new names, the 14 others stay, the old two are deleted.
    const project = await loadProject(dir);
    const img = project.images.find((i) => i.path === 'control/ctl_1.tif')!;
    const annPath = join(dir, ...img.annotation!.split('/'));
    const file = parseAnnotation(await readFile(annPath, 'utf8'));
    file.document.neurons[0].branches[0].nodes[0].x += 1;
    await writeFile(annPath, serializeAnnotation(file));
    const before = new Set(pngs());
    events.length = 0;
    const edited = await open(session);
    expect(edited.view.pending).toBe(2);
    expect(edited.view.tiles.filter((t) => t.thumb === null).map((t) => t.imageName)).toEqual(['ctl_1.tif', 'ctl_1.tif']);
    await edited.done;
    const after = new Set(pngs());
    expect(after.size).toBe(16);
    // The saved table was made again too: the moved node changed that neuron's length, and one table is kept.
    const length = (v: GalleryView) => v.tiles.find((t) => t.imageName === 'ctl_1.tif' && t.neuronId === file.document.neurons[0].id)!.values[v.columns.indexOf('total_length_um')];
    expect(length(edited.view)).not.toBe(length(again.view));
    expect(readdirSync(cache).filter((f) => f.startsWith('table-'))).toHaveLength(1);
    expect([...before].filter((f) => !after.has(f))).toHaveLength(2);
    expect(events.flatMap((e) => e.tiles).map((t) => t.key).sort()).toEqual(edited.view.tiles.filter((t) => t.imageName === 'ctl_1.tif').map((t) => t.key).sort());
    session.close();
  }, 60_000);

  it('the cache key changes with each of its parts and only with them', () => {
    const base = { imageSha256: 'a'.repeat(64), annotationSha256: 'b'.repeat(64), display: null, size: 160 };
    const k = galleryCacheKey(base);
    expect(galleryCacheKey({ ...base })).toBe(k);
    expect(k).toMatch(/^[0-9a-f]{32}$/);
    const variants = [
      { ...base, imageSha256: 'c'.repeat(64) },
      { ...base, annotationSha256: 'c'.repeat(64) },
      { ...base, display: { channels: [{ min: 0, max: 1000, color: '#00ff00' }] } },
      { ...base, display: { channels: [{ min: 0, max: 1001, color: '#00ff00' }] } },
      { ...base, size: 128 },
    ];
    const keys = new Set([k, ...variants.map(galleryCacheKey)]);
    expect(keys.size).toBe(6);
  });

  it('a tile is the crop around its neuron at the tile size, its soma drawn in the neuron colour', async () => {
    const { view } = await service().open(session);
    const project = await loadProject(dir);
    const t = view.tiles.find((x) => x.imageName === 'trt_3.tif' && x.neuronId === 1)!;
    const image = project.images.find((i) => i.path.endsWith(`/${t.imageName}`))!;
    const neuron = parseAnnotation(await readFile(join(dir, ...image.annotation!.split('/')), 'utf8')).document.neurons[0];
    const png = decodePng(readFileSync(t.thumb!.slice('file-url:'.length)));
    const crop = neuronCrop(neuron, 288, 288);
    const { width, height, scale } = tileSize(crop, 160);
    expect([png.width, png.height]).toEqual([width, height]);
    expect(Math.max(png.width, png.height)).toBe(160);
    const soma = neuron.soma as { x: number; y: number };
    const u = Math.floor((soma.x - crop.x) * scale);
    const v = Math.floor((soma.y - crop.y) * scale);
    const k = (v * png.width + u) * png.channels;
    const hex = `#${[...png.data.slice(k, k + 3)].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
    expect(hex).toBe(neuron.color.toLowerCase());
    // Away from the tracing the micrograph shows (not a blank tile): the crop has many distinct grey levels.
    const levels = new Set<number>();
    for (let i = 0; i < png.data.length; i += png.channels) levels.add(png.data[i + 1]);
    expect(levels.size).toBeGreaterThan(50);
  });
});

describe('excluded neurons', () => {
  it('keep their tile as excluded, without numbers, and leave their condition median', async () => {
    const fresh = await makeGalleryProject();
    const project = await loadProject(fresh);
    // Exclude the over-traced neuron: control tips become 5 3 6 5 4 7 4 → median 5, nothing is far any more.
    const img = project.images.find((i) => i.path === SPURIOUS.image)!;
    const annPath = join(fresh, ...img.annotation!.split('/'));
    const file = parseAnnotation(await readFile(annPath, 'utf8'));
    const id = file.document.neurons[SPURIOUS.neuron].id;
    file.review = { ...file.review, neurons: [{ neuronId: id, status: 'excluded', reason: 'traced into the background' }] };
    await writeFile(annPath, serializeAnnotation(file));
    const s = new ProjectSession();
    await s.open(fresh);
    const { view } = await service().open(s, 64);
    const t = view.tiles.find((x) => x.imageName === 'ctl_2.tif' && x.neuronId === id)!;
    expect(t.status).toBe('excluded');
    expect(t.values.every((v) => v === null)).toBe(true);
    expect(t.flags).toEqual([]);
    expect(view.tiles).toHaveLength(16);
    expect(view.tiles.filter((x) => x.flags.length > 0)).toEqual([]);
    s.close();
  }, 60_000);
});

describe('cancelling', () => {
  it('stops after the image being drawn; what was written stays cached and the next opening draws only the rest', async () => {
    const fresh = await makeGalleryProject();
    const s = new ProjectSession();
    await s.open(fresh);
    const events: Thumbs[] = [];
    let finished: (e: Thumbs) => void = () => undefined;
    const done = new Promise<Thumbs>((r) => (finished = r));
    const g: GalleryService = new GalleryService({
      urlFor: (p) => p,
      send: (_e, p) => {
        events.push(p);
        // The user presses Stop as the first image's tiles arrive.
        if (!p.finished && events.length === 1) g.cancel();
        if (p.finished) finished(p);
      },
      renderer: () => ({ render: async ({ path, ...job }) => renderImageTiles(new Uint8Array(await readFile(path)), job), close: () => undefined }),
    });
    const first = await g.open(s.galleryContext(), 64);
    expect(first.pending).toBe(16);
    const end = await done;
    expect(end).toMatchObject({ finished: true, done: 2, total: 16 });
    expect(events.flatMap((e) => e.tiles)).toHaveLength(2);
    expect(readdirSync(galleryCacheDir(fresh)).filter((f) => f.endsWith('.png'))).toHaveLength(2);
    const next = await g.open(s.galleryContext(), 64);
    expect(next.pending).toBe(14);
    g.cancel();
    s.close();
  }, 60_000);
});

describe('blind mode', () => {
  it('gives coded image names, no conditions, in the blinded order', async () => {
    const blindSession = new ProjectSession();
    await blindSession.open(dir);
    await blindSession.update({ op: 'setBlinding', enabled: true });
    try {
      const { view } = await service().open(blindSession);
      expect(view.blinded).toBe(true);
      expect(view.conditions).toEqual([]);
      expect(view.tiles.every((t) => t.condition === null && /^Image \d{3}$/.test(t.imageName))).toBe(true);
      const text = JSON.stringify(view);
      for (const secret of ['control', 'treated', 'ctl_', 'trt_', '.tif']) expect(text).not.toContain(secret);
      const projectView = blindSession.view();
      const order = [...new Set(view.tiles.map((t) => t.imageId))];
      expect(order).toEqual(projectView.images.map((i) => i.id));
      // The outlier is still found (against the true condition, which is never sent).
      expect(view.tiles.filter((t) => t.flags.length > 0)).toHaveLength(1);
    } finally {
      await blindSession.update({ op: 'setBlinding', enabled: false });
      blindSession.close();
    }
  });
});

describe('the worker thread', () => {
  it('renders the same PNGs as in-process rendering', async () => {
    const fresh = await makeGalleryProject();
    const s = new ProjectSession();
    await s.open(fresh);
    let finished: (e: Thumbs) => void = () => undefined;
    const done = new Promise<Thumbs>((r) => (finished = r));
    const g = new GalleryService({ urlFor: (p) => p, send: (_e, p) => p.finished && finished(p) });
    const view = await g.open(s.galleryContext(), 96);
    expect(view.pending).toBe(16);
    expect(await done).toMatchObject({ done: 16, total: 16, error: null });
    const again = await g.open(s.galleryContext(), 96);
    const t = again.tiles[0];
    const image = (await loadProject(fresh)).images.find((i) => i.path.endsWith(`/${t.imageName}`))!;
    const doc = parseAnnotation(await readFile(join(fresh, ...image.annotation!.split('/')), 'utf8')).document;
    const [inProcess] = renderImageTiles(new Uint8Array(await readFile(join(fresh, ...image.path.split('/')))), { neurons: doc.neurons, tiles: [t.neuronId], display: null, size: 96 });
    expect(Buffer.from(readFileSync(t.thumb!)).equals(Buffer.from(inProcess))).toBe(true);
    expect(existsSync(galleryCacheDir(fresh))).toBe(true);
    s.close();
  }, 60_000);
});
