import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testServices } from '../test-services';
import { createProjectFromFolder, importTracing, loadProject, readImageAnnotation } from '../../../electron/services/project-service';
import { annotationToJson, newAnnotationFile, parseAnnotation, serializeAnnotation, type AnnotationFile } from '../../../shared/formats/annotation-file';
import type { AnnotationDocument, Neuron } from '../../../shared/model/document';
import { makeProjectFolder } from '../../fixtures/project/make-project';
import { br, n, onNode, SOMA } from '../actions/sample-doc';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

const services = testServices;

/** The hand-counted tree of tests/unit/review/history.test.ts: 1 primary, 1 branch point, 2 tips, 30 px, Nmax 2 at r = 21, 22 px. */
function neuron(): Neuron {
  return { id: 1, name: 'Cell 1', color: '#ffd400', soma: { kind: 'point', x: 0, y: 0, z: 0 }, branches: [br(2, SOMA, [n(3, 10, 0), n(4, 20, 0), n(5, 30, 0)]), br(6, onNode(4), [n(7, 20, 10)])] };
}
const doc = (nr: Neuron): AnnotationDocument => ({ neurons: [nr], nextId: 20, calibration: null });
const fileOf = (d: AnnotationDocument, review: Partial<AnnotationFile['review']> = {}): AnnotationFile => {
  const f = newAnnotationFile(d, { appVersion: 't', shollSettings: { start: 21, step: 1, end: 22 } });
  return { ...f, review: { ...f.review, ...review } };
};

/** A copy of a small TIFF in a fresh folder, opened through the real handlers as the app does. */
async function openImage(settingsDir: string) {
  const folder = mkdtempSync(join(tmpdir(), 'ramify-history-'));
  const image = join(folder, 'cells.tif');
  copyFileSync(join(FIXTURES, 'images/gradient-2ch.tif'), image);
  const s = services(settingsDir);
  const { handle } = s.openPath(image, false);
  const opened = await s.handlers['annotation:open']({ handle, width: 16, height: 16 });
  if (!opened.ok) throw new Error(opened.error.message);
  const save = async (file: AnnotationFile) => {
    const r = await s.handlers['annotation:save']({ handle, file: annotationToJson(file) });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const onDisk = () => parseAnnotation(readFileSync(join(folder, 'cells.ramify.json'), 'utf8'));
  return { s, save, onDisk, opened: opened.value, image, folder };
}

describe('each save appends to the file’s history (real main-side services, file read back)', () => {
  it('trace, re-save unchanged, approve, edit: two entries, credited from the settings, counts before → after; survives a restart', async () => {
    const settingsDir = mkdtempSync(join(tmpdir(), 'ramify-settings-'));
    const app = await openImage(settingsDir);
    await app.s.handlers['settings:set']({ userName: 'Tina', role: 'tracer' });
    await app.save(fileOf(doc(neuron())));
    let disk = app.onDisk();
    expect(disk.history?.entries).toHaveLength(1);
    expect(disk.history?.entries[0]).toMatchObject({ by: 'Tina', role: 'tracer', neurons: [{ neuronId: 1, change: 'added', nodes: { added: 4, removed: 0, moved: 0 }, before: null, after: { primaryDendrites: 1, branchPoints: 1, tips: 2, totalLength: 30, unit: 'px', nmax: 2 } }] });

    // Saving the same tracing again (e.g. only the Sholl radii or a comment changed) adds nothing.
    await app.save(fileOf(doc(neuron())));
    expect(app.onDisk().history?.entries).toHaveLength(1);

    // The reviewer approves: no entry (the tracing did not change), the geometry as approved is kept.
    await app.s.handlers['settings:set']({ userName: 'Dr. Pia', role: 'reviewer' });
    const approval = { status: 'approved' as const, reviewer: 'Dr. Pia', reviewedAt: '2026-11-30T23:10:00.000Z' };
    const r = await app.save(fileOf(doc(neuron()), approval));
    disk = app.onDisk();
    expect(disk.history?.entries).toHaveLength(1);
    expect(disk.history?.reviewed).toMatchObject({ at: '2026-11-30T23:10:00.000Z', by: 'Dr. Pia' });
    expect(disk.history?.reviewed?.neurons[0].branches.map((b) => b.nodes)).toEqual([[3, 10, 0, 0, 4, 20, 0, 0, 5, 30, 0, 0], [7, 20, 10, 0]]);
    // The save answers with the history as written, for the panel.
    expect(r.history).toEqual(disk.history);

    // The tracer adds a branch on node 3 and deletes path 6.
    await app.s.handlers['settings:set']({ userName: 'Tina', role: 'tracer' });
    const edited = neuron();
    edited.branches = [edited.branches[0], br(8, onNode(3), [n(9, 10, -10), n(10, 10, -20)])];
    await app.save(fileOf(doc(edited), approval));
    disk = app.onDisk();
    expect(disk.history?.entries).toHaveLength(2);
    // By hand: branch points stay 1 (node 3 instead of node 4), tips 2, length 10+10+20 = 40 px; the new path ends
    // √500 ≈ 22.36 px from the soma, so the shells at 21 and 22 px still meet two paths: Nmax 2.
    expect(disk.history?.entries[1]).toMatchObject({
      by: 'Tina',
      role: 'tracer',
      neurons: [
        {
          neuronId: 1,
          change: 'changed',
          nodes: { added: 2, removed: 1, moved: 0 },
          branches: { added: 1, removed: 1, changed: 0 },
          before: { primaryDendrites: 1, branchPoints: 1, tips: 2, totalLength: 30, unit: 'px', nmax: 2 },
          after: { primaryDendrites: 1, branchPoints: 1, tips: 2, totalLength: 40, unit: 'px', nmax: 2 },
        },
      ],
    });
    expect(disk.history?.reviewed?.at).toBe('2026-11-30T23:10:00.000Z');

    // Restart: the file opens with its history; the next save diffs against what was on disk.
    const again = services(settingsDir);
    const { handle } = again.openPath(app.image, false);
    const reopened = await again.handlers['annotation:open']({ handle, width: 16, height: 16 });
    expect(reopened.ok && reopened.value.file?.history).toEqual(disk.history);
    // Byte-identical when written again: the history has one canonical form.
    const text = readFileSync(join(app.folder, 'cells.ramify.json'), 'utf8');
    expect(serializeAnnotation(parseAnnotation(text))).toBe(text);
  });

  it('a file of an earlier build (no history) opens as before, and its first changed save starts the history from what it held', async () => {
    const settingsDir = mkdtempSync(join(tmpdir(), 'ramify-settings-'));
    const folder = mkdtempSync(join(tmpdir(), 'ramify-history-'));
    copyFileSync(join(FIXTURES, 'images/gradient-2ch.tif'), join(folder, 'cells.tif'));
    copyFileSync(join(FIXTURES, 'annotation/v1.json'), join(folder, 'cells.ramify.json'));
    const s = services(settingsDir);
    const { handle } = s.openPath(join(folder, 'cells.tif'), false);
    const opened = await s.handlers['annotation:open']({ handle, width: 2048, height: 2048 });
    if (!opened.ok || !opened.value.file) throw new Error('not opened');
    const old = opened.value.file;
    expect(old.history).toBeUndefined();
    // Move node 6 (the tip of Cell A's first path) by 5 px.
    const d = structuredClone(old.document);
    d.neurons[0].branches[0].nodes[3].x = 95;
    const r = await s.handlers['annotation:save']({ handle, file: annotationToJson({ ...old, document: d }), force: true });
    expect(r.ok).toBe(true);
    const disk = parseAnnotation(readFileSync(join(folder, 'cells.ramify.json'), 'utf8'));
    expect(disk.history?.entries).toHaveLength(1);
    const c = disk.history!.entries[0].neurons[0];
    expect(c).toMatchObject({ neuronId: 1, change: 'changed', nodes: { added: 0, removed: 0, moved: 1 }, branches: { added: 0, removed: 0, changed: 1 } });
    // 5 px at 0.3125 µm/px is 1.5625 µm more dendrite.
    expect(c.after!.totalLength - c.before!.totalLength).toBeCloseTo(1.5625, 3);
    expect(disk.history!.entries[0].by).toBe('');
  });
});

describe('reading a history (hostile input gets the field path)', () => {
  const base = () => JSON.parse(serializeAnnotation(fileOf(doc(neuron())))) as Record<string, unknown>;
  const entry = { at: '2026-11-30T23:00:00Z', by: 'x', neurons: [{ neuronId: 1, name: 'a', change: 'changed', nodes: { added: 0, removed: 0, moved: 1 }, branches: { added: 0, removed: 0, changed: 1 }, before: null, after: null }] };
  it('names a bad count', () => {
    const raw = { ...base(), history: { entries: [{ ...entry, neurons: [{ ...entry.neurons[0], nodes: { added: -1, removed: 0, moved: 0 } }] }] } };
    expect(() => parseAnnotation(JSON.stringify(raw))).toThrow('history.entries[0].neurons[0].nodes.added: expected a count ≥ 0, got -1.');
  });
  it('names a bad snapshot node coordinate and an incomplete node', () => {
    const snap = (nodes: unknown[]) => ({ ...base(), history: { entries: [], reviewed: { at: '2026-11-30T23:00:00Z', by: 'p', neurons: [{ id: 1, soma: null, branches: [{ id: 2, label: 'dendrite', parent: { kind: 'soma' }, nodes }] }] } } });
    expect(() => parseAnnotation(JSON.stringify(snap([3, 1, 'x', 0])))).toThrow('history.reviewed.neurons[0].branches[0].nodes[2]: expected a finite number, got "x".');
    expect(() => parseAnnotation(JSON.stringify(snap([3, 1, 2])))).toThrow('history.reviewed.neurons[0].branches[0].nodes: expected [id, x, y, z] repeated, got an array of 3 items.');
  });
});

describe('other writers of annotation files keep the history too', () => {
  it('`ramify import` into a project image appends one entry per import, credited to --author', async () => {
    const root = await makeProjectFolder();
    await createProjectFromFolder(root, { conditions: 'subfolder', now: '2026-01-01T00:00:00Z' });
    const scratch = mkdtempSync(join(tmpdir(), 'ramify-import-'));
    // Soma (5,5) µm, dendrite (5,10) → (5,40) µm: 30 µm of dendrite after a 5 µm stem, one tip.
    writeFileSync(join(scratch, 'cell.swc'), '1 1 5 5 0 2 -1\n2 3 5 10 0 1 1\n3 3 5 40 0 1 2\n');
    let project = await loadProject(root);
    const img = project.images.find((i) => i.path === 'VEH/veh_03.tif')!;
    project = (await importTracing(root, project, img.id, join(scratch, 'cell.swc'), { author: 'Tina', now: '2026-11-30T23:00:00.000Z' })).project;
    project = (await importTracing(root, project, img.id, join(scratch, 'cell.swc'), { author: 'Tina', now: '2026-11-30T23:01:00.000Z' })).project;
    const history = (await readImageAnnotation(root, project, img.id))!.history!;
    expect(history.entries.map((e) => [e.at, e.by, e.neurons.map((c) => [c.change, c.nodes.added, c.after])])).toEqual([
      ['2026-11-30T23:00:00.000Z', 'Tina', [['added', 2, { primaryDendrites: 1, branchPoints: 0, tips: 1, totalLength: 30, unit: 'µm', nmax: 1 }]]],
      ['2026-11-30T23:01:00.000Z', 'Tina', [['added', 2, { primaryDendrites: 1, branchPoints: 0, tips: 1, totalLength: 30, unit: 'µm', nmax: 1 }]]],
    ]);
  });
});
