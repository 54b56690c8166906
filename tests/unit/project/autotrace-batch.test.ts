import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autotraceProjectImages, imagesToTrace, workerTracer, type ImageTracer } from '../../../electron/services/autotrace-batch';
import { annotationFilePath, createProjectFromFolder, loadProject, saveImageAnnotation } from '../../../electron/services/project-service';
import type { Project } from '../../../shared/project/schema';
import { tinyTiff } from '../../fixtures/project/make-project';
import { parseAnnotation } from '../../../shared/formats/annotation-file';
import { documentWithNeurons } from '../../../shared/tracing/auto/run';
import { setResolved } from '../../../shared/review/comments';
import { recordSave } from '../../../shared/review/history';
import { awaitsBatchReview, batchNoteEndedBySave, BATCH_TRACER_NAME, openBatchNote } from '../../../shared/tracing/auto/saved-trace';

// "Auto-trace all images" must never touch an image that is open in the app with unsaved work: that work exists only
// in the app (no annotation file, no neurons in the project), so the app names it and the batch leaves it alone.

let root: string;
let project: Project;
const traced: string[] = [];
const tracer: ImageTracer = async (path) => {
  traced.push(path);
  return { neurons: [{ soma: { x: 5, y: 5, r: 2 }, fibre: false, branches: [{ parent: -1, parentNode: -1, nodes: [{ x: 6, y: 5, r: 1 }, { x: 9, y: 5, r: 1 }], doubts: [], spots: [] }] }], parameters: {}, width: 16, height: 16, calibration: null, ms: 1 };
};

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ramify-batch-'));
  await mkdir(join(root, 'veh'));
  for (const n of ['a', 'b', 'c']) await writeFile(join(root, 'veh', `${n}.tif`), tinyTiff(null));
  project = (await createProjectFromFolder(root, { conditions: 'subfolder', name: 'Batch guard' })).project;
  traced.length = 0;
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('Auto-trace all images on fields without a cell body', () => {
  /** A tracer that finds only a fibre, and names `nuclei` as a nuclear stain on the images it is asked about. */
  const fibres = (nuclei: (k: number) => number | null) => {
    const asked: Array<boolean | undefined> = [];
    const trace: ImageTracer = async (_path, request) => {
      asked.push(request.nuclearStainHint);
      const ask = request.nuclearStainHint !== false;
      return { neurons: [{ soma: { x: 5, y: 5, r: 1 }, fibre: true, branches: [{ parent: -1, parentNode: -1, nodes: [{ x: 5, y: 5, r: 1 }, { x: 9, y: 5, r: 1 }], doubts: [], spots: [] }] }], parameters: {}, width: 16, height: 16, calibration: null, ms: 1, nuclearStainIn: ask ? nuclei(asked.length) : null };
    };
    return { trace, asked };
  };

  it('counts them and names the channel the first that looked like a nuclear stain named; asks no image more after it', async () => {
    const t = fibres((k) => (k >= 2 ? 1 : null));
    const r = await autotraceProjectImages(root, project, { request: {}, trace: t.trace });
    expect(r.noCellBody).toEqual({ images: 3, nuclearStainIn: 1, moreSignalIn: null });
    expect(t.asked).toEqual([undefined, undefined, false]);
  });

  it('asks the first three without one only, when none looks like a nuclear stain (a project of fibres)', async () => {
    await writeFile(join(root, 'veh', 'd.tif'), tinyTiff(null));
    const four = (await createProjectFromFolder(root, { conditions: 'subfolder', name: 'Fibres', overwrite: true })).project;
    const t = fibres(() => null);
    const r = await autotraceProjectImages(root, four, { request: {}, trace: t.trace });
    expect(r.noCellBody).toEqual({ images: 4, nuclearStainIn: null, moreSignalIn: null });
    expect(t.asked).toEqual([undefined, undefined, undefined, false]);
  });
});

describe('Auto-trace all images: the guard for the image open with unsaved work', () => {
  it('traces the other untouched images and writes nothing for the open one', async () => {
    const open = project.images.find((i) => i.path === 'veh/b.tif');
    expect(open).toBeDefined();
    const skip = new Set([open!.id]);
    expect((await imagesToTrace(root, project, {}, skip)).map((i) => i.path)).toEqual(['veh/a.tif', 'veh/c.tif']);
    const r = await autotraceProjectImages(root, project, { request: {}, trace: tracer, skip });
    expect(r).toMatchObject({ traced: 2, left: { annotated: 0, excluded: 0, unsaved: 1 }, notReached: 0, failed: [], cancelled: false });
    expect(traced.map((p) => p.split(/[\\/]/).pop())).toEqual(['a.tif', 'c.tif']);
    expect(existsSync(annotationFilePath(root, r.project, open!.id))).toBe(false);
    expect(r.project.images.find((i) => i.id === open!.id)?.neuronCount).toBe(0);
    for (const p of ['veh/a.tif', 'veh/c.tif']) {
      const img = r.project.images.find((i) => i.path === p)!;
      expect(img.neuronCount).toBe(1);
      expect(existsSync(annotationFilePath(root, r.project, img.id))).toBe(true);
    }
  });

  it('tells each image left alone by why, and a cancelled batch by how many it did not reach', async () => {
    const oneExcluded = { ...project, images: project.images.map((img, k) => (k === 1 ? { ...img, status: 'excluded' as const } : img)) };
    const first = await autotraceProjectImages(root, oneExcluded, { request: {}, trace: tracer, skip: new Set([project.images[2].id]) });
    expect(first).toMatchObject({ traced: 1, left: { annotated: 0, excluded: 1, unsaved: 1 } });
    // Run again: the traced image has annotations now; the third, no longer open, is traced and then cancelled.
    const abort = new AbortController();
    const stopping: ImageTracer = async (path, request) => {
      abort.abort();
      return tracer(path, request);
    };
    const again = await autotraceProjectImages(root, first.project, { request: {}, trace: stopping, signal: abort.signal });
    expect(again).toMatchObject({ traced: 0, left: { annotated: 0, unchecked: 1, excluded: 1, unsaved: 0 }, notReached: 1, failed: [], cancelled: true });
    expect(existsSync(annotationFilePath(root, again.project, project.images[2].id))).toBe(false);
  });

  it('without a skip list the same image is traced (the guard is what keeps it out)', async () => {
    const r = await autotraceProjectImages(root, project, { request: {}, trace: tracer });
    expect(r).toMatchObject({ traced: 3, left: { annotated: 0, excluded: 0, unsaved: 0 } });
  });
});

describe('Auto-trace all images: the pixel size lengths are read at', () => {
  it("is the project's where it sets one for the image (the app reads the saved trace at it when it is reviewed)", async () => {
    const requests: Array<Parameters<ImageTracer>[1]> = [];
    const recording: ImageTracer = async (path, request) => (requests.push(request), tracer(path, request));
    const calibration = { pixelWidth: 0.25, pixelHeight: 0.25, unit: 'µm' as const, source: 'user' as const };
    const set = { ...project, images: project.images.map((img, k) => (k === 0 ? { ...img, calibration } : img)) };
    await autotraceProjectImages(root, set, { request: { detail: { minBranchUm: 5 } }, trace: recording });
    expect(requests).toEqual([{ detail: { minBranchUm: 5 }, calibration }, { detail: { minBranchUm: 5 } }, { detail: { minBranchUm: 5 } }]);
  });
});

describe('Auto-trace all images: an image larger than one automatic trace reads', () => {
  it('is reported as failed with what to do instead; the others are traced by the real worker', async () => {
    const { encodeTiff } = await import('../../../shared/formats/tiff/encode');
    // 6000 × 6000 px (36 MP, more than 2^25): dark, deflated to a small file.
    await writeFile(join(root, 'veh', 'b.tif'), encodeTiff({ width: 6000, height: 6000, planes: [new Uint8Array(6000 * 6000)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'deflate' }));
    const w = workerTracer();
    try {
      const r = await autotraceProjectImages(root, project, { request: {}, trace: w.trace });
      expect(r.traced).toBe(2);
      expect(r.failed.map((f) => [f.path, f.message])).toEqual([['veh/b.tif', '6000 × 6000 px is more than one automatic trace reads (33.6 MP): open it and trace it by clicks or by the part on screen.']]);
      expect(existsSync(annotationFilePath(root, r.project, r.project.images.find((i) => i.path === 'veh/b.tif')!.id))).toBe(false);
    } finally {
      await w.close();
    }
  });
});

describe('Auto-trace all images again after the settings changed', () => {
  /** A tracer recording, as the real one, the channels and detail it traced with (at the assumed 0.5 µm/px). */
  const recorded: ImageTracer = async (path, request) => ({
    ...(await tracer(path, request)),
    parameters: { minBranchPx: (request.detail?.minBranchUm ?? 5) / 0.5, pixelSizeUm: null, channel: request.channel ?? 0, ...(request.nucleusChannel !== undefined ? { nucleusChannel: request.nucleusChannel } : {}) },
  });
  const settingsOf = async (p: Project) =>
    Promise.all(p.images.map(async (img) => parseAnnotation(await readFile(annotationFilePath(root, p, img.id), 'utf8')).document.neurons[0].auto?.parameters));

  it("traces again the batch's unchecked traces made with other channels or detail; the same settings, or a trace someone saved, are left alone", async () => {
    const first = await autotraceProjectImages(root, project, { request: { channel: 0, detail: { minBranchUm: 5 } }, trace: recorded });
    expect(first.traced).toBe(3);
    const same = await autotraceProjectImages(root, first.project, { request: { channel: 0, detail: { minBranchUm: 5 } }, trace: recorded });
    expect(same).toMatchObject({ traced: 0, retraced: 0, left: { annotated: 0, unchecked: 3 } });

    // The technician chose the nuclear stain after seeing the batch: every unchecked trace is made again with it.
    const plans: number[] = [];
    const nuclei = await autotraceProjectImages(root, same.project, { request: { channel: 0, nucleusChannel: 1, detail: { minBranchUm: 5 } }, trace: recorded, onPlan: (n) => plans.push(n) });
    expect(nuclei).toMatchObject({ traced: 3, retraced: 3, left: { annotated: 0, unchecked: 0 } });
    expect(plans).toEqual([3]);
    expect((await settingsOf(nuclei.project)).map((p) => p?.nucleusChannel)).toEqual([1, 1, 1]);
    expect(nuclei.project.images.map((i) => i.toCheck)).toEqual([true, true, true]);

    // Tina opens the second image and saves a correction: her file is hers; the other two follow a new detail level.
    const id = nuclei.project.images[1].id;
    const file = parseAnnotation(await readFile(annotationFilePath(root, nuclei.project, id), 'utf8'));
    const moved = structuredClone(file);
    moved.document.neurons[0].branches[0].nodes[1].x += 2;
    moved.history = recordSave(file, moved, { userName: 'Tina', role: 'tracer' }, '2026-12-06T10:05:00.000Z');
    const hers = await saveImageAnnotation(root, nuclei.project, id, moved);
    const before = await readFile(annotationFilePath(root, hers, id), 'utf8');
    const detail = await autotraceProjectImages(root, hers, { request: { channel: 0, nucleusChannel: 1, detail: { minBranchUm: 8 } }, trace: recorded });
    expect(detail).toMatchObject({ traced: 2, retraced: 2, left: { annotated: 1, unchecked: 0 } });
    expect(await readFile(annotationFilePath(root, detail.project, id), 'utf8')).toBe(before);
    expect((await settingsOf(detail.project)).map((p) => p?.minBranchPx)).toEqual([16, 10, 16]);
    expect(await imagesToTrace(root, detail.project, { channel: 1, nucleusChannel: 0, detail: { minBranchUm: 8 } })).toHaveLength(2);
  });
});

describe('Auto-trace all images that found nothing (the wrong channel traced)', () => {
  /** Nothing on channel 1, where the batch looks first; a cell on channel 2. */
  const byChannel: ImageTracer = async (path, request) => {
    traced.push(path);
    const found = request.channel === 1;
    const neurons = found ? [{ soma: { x: 5, y: 5, r: 2 }, fibre: false, branches: [{ parent: -1, parentNode: -1, nodes: [{ x: 6, y: 5, r: 1 }, { x: 9, y: 5, r: 1 }], doubts: [], spots: [] }] }] : [];
    return { neurons, parameters: {}, width: 16, height: 16, calibration: null, ms: 1, nuclearStainIn: null, moreSignalIn: found ? null : 1 };
  };
  const noteOf = async (p: Project, k: number) => parseAnnotation(await readFile(annotationFilePath(root, p, p.images[k].id), 'utf8')).review.comments;

  it('names the channel with more signal; run again on it, traces the empty files again, and only when the settings changed', async () => {
    const first = await autotraceProjectImages(root, project, { request: {}, trace: byChannel });
    expect(first).toMatchObject({ traced: 3, noCellBody: { images: 3, nuclearStainIn: null, moreSignalIn: 1 } });
    expect(first.project.images.map((i) => i.neuronCount)).toEqual([0, 0, 0]);
    // Nobody has looked at them: the project lists them as unchecked, as it does the batch's traces.
    expect(first.project.images.map((i) => i.toCheck)).toEqual([true, true, true]);
    // The note says how the batch traced: nothing else in a file without a neuron does.
    expect((await noteOf(first.project, 0)).map((c) => c.text)).toEqual(['Traced automatically on channel 1, shortest branch 5 µm: 0 neurons; awaiting review.']);
    // The same settings again: nothing to do, the tracer is not called.
    traced.length = 0;
    const same = await autotraceProjectImages(root, first.project, { request: {}, trace: byChannel });
    expect(same).toMatchObject({ traced: 0, left: { annotated: 0, unchecked: 3 } });
    expect(traced).toEqual([]);
    // Channel 2 chosen: the three empty files are nobody's work, and are traced again on it.
    const second = await autotraceProjectImages(root, same.project, { request: { channel: 1 }, trace: byChannel });
    expect(second).toMatchObject({ traced: 3, retraced: 3, left: { annotated: 0, unchecked: 0 } });
    expect(second.project.images.map((i) => i.neuronCount)).toEqual([1, 1, 1]);
    expect((await noteOf(second.project, 2)).map((c) => c.text)).toEqual(['Traced automatically on channel 2, shortest branch 5 µm: 1 neuron; awaiting review.']);
  });

  it("an empty file someone commented on, or marked, is left alone; one an earlier build wrote (its note names no settings) is traced again", async () => {
    const first = await autotraceProjectImages(root, project, { request: {}, trace: byChannel });
    const write = async (p: Project, k: number, edit: (f: ReturnType<typeof parseAnnotation>) => void) => {
      const id = p.images[k].id;
      const file = parseAnnotation(await readFile(annotationFilePath(root, p, id), 'utf8'));
      edit(file);
      return saveImageAnnotation(root, p, id, file);
    };
    let p = await write(first.project, 0, (f) => f.review.comments.push({ author: 'Pat', text: 'Out of focus: no neuron here.', at: '2026-12-06T10:00:00.000Z' }));
    p = await write(p, 1, (f) => (f.review.comments[0] = { ...f.review.comments[0], text: 'Traced automatically (0 neurons); awaiting review.' }));
    // Pat's comment is work: the project no longer lists that image as unchecked. The earlier build's note is still
    // the batch's, unresolved.
    expect(p.images.map((i) => i.toCheck)).toEqual([undefined, true, true]);
    const again = await autotraceProjectImages(root, p, { request: {}, trace: byChannel });
    expect(again).toMatchObject({ traced: 1, retraced: 1, left: { annotated: 1, unchecked: 1 } });
    expect((await noteOf(again.project, 0)).map((c) => c.author)).toEqual([BATCH_TRACER_NAME, 'Pat']);
    expect((await noteOf(again.project, 1)).map((c) => c.text)).toEqual(['Traced automatically on channel 1, shortest branch 5 µm: 0 neurons; awaiting review.']);
    const marked = await write(again.project, 2, (f) => (f.review.status = 'changes-requested'));
    expect(await imagesToTrace(root, marked, { channel: 1 })).toEqual([marked.images[1]]);
  });

  it('an empty file is unchecked until someone resolves its note, traces a neuron there and saves, or marks the image', async () => {
    const first = await autotraceProjectImages(root, project, { request: {}, trace: byChannel });
    const save = async (p: Project, k: number, edit: (f: ReturnType<typeof parseAnnotation>) => void) => {
      const id = p.images[k].id;
      const file = parseAnnotation(await readFile(annotationFilePath(root, p, id), 'utf8'));
      const next = structuredClone(file);
      edit(next);
      next.history = recordSave(file, next, { userName: 'Tina', role: 'tracer' }, '2026-12-06T10:00:00.000Z');
      return saveImageAnnotation(root, p, id, next);
    };
    // Nothing to trace there: the note resolved.
    let p = await save(first.project, 0, (f) => (f.review.comments = setResolved(f.review.comments, 0, true, { author: 'Tina', at: '2026-12-06T10:00:00.000Z' })));
    expect(p.images.map((i) => i.toCheck)).toEqual([undefined, true, true]);
    // A cell the detection missed, traced by hand and saved: the history records Tina's save.
    const cell = (await byChannel('cell.tif', { channel: 1 })).neurons;
    p = await save(p, 1, (f) => (f.document = documentWithNeurons(cell, null, null, {})));
    expect(p.images.map((i) => i.toCheck)).toEqual([undefined, undefined, true]);
    p = await save(p, 2, (f) => (f.review.status = 'approved'));
    expect(p.images.map((i) => i.toCheck)).toEqual([undefined, undefined, undefined]);
    expect(await imagesToTrace(root, p, { channel: 1 })).toEqual([]);
  });

  it("the first save with a neuron resolves the batch's note, a comment made meanwhile or not; a later save does not", async () => {
    const first = await autotraceProjectImages(root, project, { request: {}, trace: byChannel });
    const file = parseAnnotation(await readFile(annotationFilePath(root, first.project, first.project.images[0].id), 'utf8'));
    expect(batchNoteEndedBySave(file, 0)).toBe(-1);
    expect(batchNoteEndedBySave(file, 1)).toBe(0);
    const commented = { ...file, review: { ...file.review, comments: [...file.review.comments, { author: 'Pat', text: 'A cell at the top left?', at: '2026-12-06T10:00:00.000Z' }] } };
    expect(batchNoteEndedBySave(commented, 1)).toBe(0);
    // Resolved already, or a save with a neuron recorded before: nothing to end.
    const resolved = { ...file, review: { ...file.review, comments: setResolved(file.review.comments, 0, true, { author: 'Tina', at: '2026-12-06T10:00:00.000Z' }) } };
    expect(batchNoteEndedBySave(resolved, 1)).toBe(-1);
    const cell = documentWithNeurons((await byChannel('cell.tif', { channel: 1 })).neurons, null, null, {});
    const history = recordSave(file, { ...file, document: cell }, { userName: 'Tina', role: 'tracer' }, '2026-12-06T10:05:00.000Z');
    expect(batchNoteEndedBySave({ ...file, document: cell, history }, 2)).toBe(-1);
  });
});

describe('Auto-trace all images: which written files open under review', () => {
  it('a file the batch wrote does, until its review ends (note resolved), the image is approved or excluded, or a person saves a change', async () => {
    const r = await autotraceProjectImages(root, project, { request: { detail: { minBranchUm: 5 } }, trace: tracer });
    const file = parseAnnotation(await readFile(annotationFilePath(root, r.project, project.images[0].id), 'utf8'));
    expect(file.review.status).toBe('ready-for-review');
    expect(file.review.comments).toEqual([{ author: BATCH_TRACER_NAME, text: 'Traced automatically on channel 1, shortest branch 5 µm: 1 neuron; awaiting review.', at: file.review.createdAt }]);
    expect(awaitsBatchReview(file.review, file.history)).toBe(true);

    const reviewed = setResolved(file.review.comments, openBatchNote(file.review.comments), true, { author: 'Tina', at: '2026-12-02T10:00:00.000Z' });
    expect(openBatchNote(reviewed)).toBe(-1);
    expect(awaitsBatchReview({ ...file.review, comments: reviewed }, file.history)).toBe(false);
    expect(awaitsBatchReview({ ...file.review, status: 'approved' }, file.history)).toBe(false);
    expect(awaitsBatchReview({ ...file.review, status: 'excluded', reason: 'out of focus' }, file.history)).toBe(false);
    expect(awaitsBatchReview({ ...file.review, status: 'changes-requested' }, file.history)).toBe(true);

    // Tina moves a node and saves: the history's last entry is hers.
    const moved = structuredClone(file);
    moved.document.neurons[0].branches[0].nodes[1].x += 2;
    const history = recordSave(file, moved, { userName: 'Tina', role: 'tracer' }, '2026-12-02T10:05:00.000Z');
    expect(history?.entries.at(-1)?.by).toBe('Tina');
    expect(awaitsBatchReview(file.review, history)).toBe(false);
  });

  it('the project lists each traced image as unchecked until a save records its review', async () => {
    const r = await autotraceProjectImages(root, project, { request: {}, trace: tracer });
    expect(r.project.images.map((i) => i.toCheck)).toEqual([true, true, true]);
    const id = r.project.images[1].id;
    const file = parseAnnotation(await readFile(annotationFilePath(root, r.project, id), 'utf8'));
    const comments = setResolved(file.review.comments, 0, true, { author: 'Tina', at: '2026-12-02T10:00:00.000Z' });
    const saved = await saveImageAnnotation(root, r.project, id, { ...file, review: { ...file.review, comments } });
    expect(saved.images.map((i) => i.toCheck)).toEqual([true, undefined, true]);
    // On disk too: the project file keeps the marks, and reading it back gives them.
    expect((await loadProject(root)).images.map((i) => i.toCheck)).toEqual([true, undefined, true]);
  });
});
