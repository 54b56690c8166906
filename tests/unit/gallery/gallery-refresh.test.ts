import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportProject } from '../../../electron/services/export-service';
import { galleryCacheDir } from '../../../electron/services/gallery-service';
import { createMainServices } from '../../../electron/services/main-services';
import { annotationToJson } from '../../../shared/formats/annotation-file';
import type { GalleryView, IpcEvents } from '../../../shared/ipc/contract';
import { parseCsv } from '../../../shared/project/csv-parse';
import { parseProject, PROJECT_FILE_NAME } from '../../../shared/project/schema';
import { makeGalleryProject, SPURIOUS } from '../../fixtures/project/make-gallery-project';

type Sent = { [E in keyof IpcEvents]: { event: E; payload: IpcEvents[E] } }[keyof IpcEvents];

/** Main's real services (thumbnails in the worker thread) over the gallery fixture, recording what main sends. */
async function app() {
  const dir = await makeGalleryProject();
  const sent: Sent[] = [];
  const s = createMainServices({
    settingsDir: await mkdtemp(join(tmpdir(), 'ramify-settings-')),
    samplePath: '',
    dialogs: { showOpenImage: async () => null, showOpenTracing: async () => null, showSaveSwc: async () => null, showSaveTracing: async () => null, showSaveReport: async () => null, showOpenFolder: async () => dir, showOpenCsv: async () => null },
    urlFor: (h) => `url:${h}`,
    send: (event, payload) => sent.push({ event, payload } as Sent),
    setTitle: () => undefined,
    setDirty: () => undefined,
    closeWindow: () => undefined,
    version: 't',
    platform: 'test',
  });
  const call = async <T>(r: Promise<{ ok: true; value: T } | { ok: false; error: { message: string } }>): Promise<T> => {
    const x = await r;
    if (!x.ok) throw new Error(x.error.message);
    return x.value;
  };
  /** Opens the gallery and waits for its thumbnails; the view with every thumbnail URL filled in. */
  const gallery = async (): Promise<{ view: GalleryView; rendered: string[] }> => {
    const view = await call(s.handlers['gallery:open']({ size: 160 }));
    const thumbs = () => sent.flatMap((e) => (e.event === 'gallery:thumbs' && e.payload.serial === view.serial ? [e.payload] : []));
    if (view.pending) await expect.poll(() => thumbs().some((t) => t.finished), { timeout: 60_000 }).toBe(true);
    const urls = new Map(thumbs().flatMap((t) => t.tiles.map((x) => [x.key, x.url] as const)));
    return { view: { ...view, tiles: view.tiles.map((t) => ({ ...t, thumb: t.thumb ?? urls.get(t.key) ?? null })) }, rendered: [...urls.keys()] };
  };
  return { dir, s, sent, call, gallery };
}

async function neuronsCsv(dir: string) {
  const out = await mkdtemp(join(tmpdir(), 'ramify-refresh-export-'));
  await exportProject(dir, out, { appVersion: 'test' });
  const [header, ...rows] = parseCsv(readFileSync(join(out, 'neurons.csv'), 'utf8'));
  return { header, rows };
}

describe('the gallery after a save', () => {
  it('the spurious branches of ctl_2 deleted and saved: main says which image, the next gallery has its new numbers and new thumbnails, the rest from the cache', async () => {
    const { dir, s, sent, call, gallery } = await app();
    const project = (await call(s.handlers['project:openDialog']()))!;
    const ctl2 = project.images.find((i) => i.displayName === SPURIOUS.image.split('/')[1])!;
    const before = await gallery();
    const tileOf = (v: GalleryView) => v.tiles.find((t) => t.imageId === ctl2.id && t.neuronName === before.view.tiles.find((x) => x.imageId === ctl2.id && x.flags.length)!.neuronName)!;
    const col = (v: GalleryView, c: string) => tileOf(v).values[v.columns.indexOf(c)];
    expect([col(before.view, 'tips'), col(before.view, 'primary_branches')]).toEqual([14, 14]);
    const cache = galleryCacheDir(dir);
    const table = () => JSON.parse(readFileSync(join(cache, readdirSync(cache).find((f) => f.startsWith('table-'))!), 'utf8')) as { images: Record<string, { key: string }> };
    const keysBefore = table().images;

    // The tracer opens ctl_2, deletes the ten straight branches made on purpose (2 nodes each, from the soma), saves.
    const { handle } = await call(s.handlers['project:openImage']({ imageId: ctl2.id }));
    const opened = await call(s.handlers['annotation:open']({ handle, width: 288, height: 288 }));
    const file = opened.file!;
    const spurious = file.document.neurons[SPURIOUS.neuron];
    const kept = spurious.branches.filter((b) => !(b.parent.kind === 'soma' && b.nodes.length === 2));
    expect(spurious.branches.length - kept.length).toBe(10);
    const edited = { ...file, document: { ...file.document, neurons: file.document.neurons.map((n) => (n === spurious ? { ...n, branches: kept } : n)) } };
    sent.length = 0;
    await call(s.handlers['annotation:save']({ handle, file: annotationToJson(edited) }));
    expect(sent.filter((e) => e.event === 'project:annotationSaved').map((e) => e.payload)).toEqual([{ imageId: ctl2.id }]);

    const after = await gallery();
    // By hand: ten tips and ten primaries fewer (14 → 4), 10 × 40 px × 0.5 µm/px = 200 µm less; no flag any more.
    expect([col(after.view, 'tips'), col(after.view, 'primary_branches')]).toEqual([4, 4]);
    expect(col(before.view, 'total_length_um')! - col(after.view, 'total_length_um')!).toBeCloseTo(200, 6);
    expect(tileOf(after.view).flags).toEqual([]);
    // The condition's median moved with it, so the flags are the project's anew: control tips are now
    // 5 3 6 4 5 4 7 4 → median 4.5, |x − 4.5| → median 0.5, MAD 0.5 × 1.4826; the 7-tip neuron of ctl_4 is at
    // z = 2.5 / 0.7413 = +3.37, beyond 3.
    const flagged = after.view.tiles.filter((t) => t.flags.length);
    expect(flagged.map((t) => t.imageName)).toEqual(['ctl_4.tif']);
    expect(flagged[0].flags).toEqual([{ measure: 'tips', label: 'tips', value: 7, median: 4.5, z: expect.closeTo(2.5 / (0.5 * 1.4826), 9) }]);
    // And exactly neurons.csv's row, cell for cell, as exported now.
    const csv = await neuronsCsv(dir);
    const row = csv.rows.find((r) => r[csv.header.indexOf('neuron_name')] === tileOf(after.view).neuronName && r[csv.header.indexOf('image_file')] === SPURIOUS.image)!;
    after.view.columns.forEach((c, k) => expect(tileOf(after.view).values[k] === null ? '' : String(tileOf(after.view).values[k]), c).toBe(row[csv.header.indexOf(c)]));

    // Only ctl_2's two tiles were drawn again, under new names; the 14 others kept their cached thumbnails.
    expect(after.rendered.sort()).toEqual(before.view.tiles.filter((t) => t.imageId === ctl2.id).map((t) => t.key).sort());
    for (const t of after.view.tiles) {
      const old = before.view.tiles.find((x) => x.key === t.key)!;
      if (t.imageId === ctl2.id) expect(t.thumb).not.toBe(old.thumb);
      else expect(t.thumb).toBe(old.thumb);
    }
    expect(readdirSync(cache).filter((f) => f.endsWith('.png'))).toHaveLength(16);
    // Only ctl_2's neurons were measured again: the other images' records kept their keys.
    const keysAfter = table().images;
    expect(Object.keys(keysAfter).filter((id) => keysAfter[id].key !== keysBefore[id].key)).toHaveLength(1);
    expect(Object.keys(keysAfter)).toHaveLength(8);
  }, 120_000);

  it('an annotation file caught half-written says so and shows no tiles for its image; once whole, its tiles are back', async () => {
    const { dir, s, call, gallery } = await app();
    await call(s.handlers['project:openDialog']());
    const first = await gallery();
    const project = parseProject(readFileSync(join(dir, PROJECT_FILE_NAME), 'utf8'));
    const path = join(dir, ...project.images.find((i) => i.path === 'treated/trt_3.tif')!.annotation!.split('/'));
    const whole = readFileSync(path, 'utf8');
    writeFileSync(path, whole.slice(0, whole.length / 2));
    const broken = await gallery();
    expect(broken.view.tiles.map((t) => t.imageName)).not.toContain('trt_3.tif');
    expect(broken.view.tiles).toHaveLength(14);
    expect(broken.view.warnings).toHaveLength(1);
    expect(broken.view.warnings[0]).toMatch(/^treated\/trt_3\.tif: annotations not shown \(/);
    writeFileSync(path, whole);
    const repaired = await gallery();
    expect(repaired.view.warnings).toEqual([]);
    expect(repaired.view.tiles.map((t) => [t.key, t.values])).toEqual(first.view.tiles.map((t) => [t.key, t.values]));
  }, 120_000);
});
