import { describe, expect, it } from 'vitest';
import { blindedOrder, displayName, generateBlindKey, seededRandom, setBlinding } from '../../../shared/project/blinding';
import { assignConditions } from '../../../shared/project/conditions';
import {
  addImages,
  createProject,
  findImage,
  progressSummary,
  recordAnnotation,
  removeImages,
  setMetadata,
  setSholl,
  setStatus,
  setTracing,
  type ScannedImage,
} from '../../../shared/project/project';
import { parseProject, serializeProject } from '../../../shared/project/schema';

const NOW = '2026-01-01T00:00:00Z';
const scanned = (paths: string[]): ScannedImage[] => paths.map((path) => ({ path, width: 8, height: 8, calibration: null }));
const PATHS = ['DRUG/drug_01.tif', 'DRUG/drug_02.tif', 'VEH/veh_01.tif', 'VEH/veh_02.tif', 'VEH/veh_03.tif', 'stray.tif'];
const make = () => createProject('P', scanned(PATHS), assignConditions(PATHS, { kind: 'subfolder' }), NOW);

describe('blinding', () => {
  it('mulberry32 matches an independent implementation', () => {
    // First three values for seed 42 from a Python port of mulberry32 written for this test.
    const r = seededRandom(42);
    expect([r(), r(), r()]).toEqual([0.6011037519201636, 0.44829055899754167, 0.8524657934904099]);
  });

  it('codes are deterministic for a seed and differ between seeds', () => {
    const ids = make().images.map((i) => i.id);
    // Expected keys from the same Python port (Fisher–Yates from the last element, j = floor(r·(i+1))).
    expect(generateBlindKey(ids, 42)).toEqual({
      'img-0002': 'Image 001', 'img-0001': 'Image 002', 'img-0005': 'Image 003', 'img-0006': 'Image 004', 'img-0003': 'Image 005', 'img-0004': 'Image 006',
    });
    expect(generateBlindKey(ids, 7)).toEqual({
      'img-0005': 'Image 001', 'img-0002': 'Image 002', 'img-0003': 'Image 003', 'img-0004': 'Image 004', 'img-0006': 'Image 005', 'img-0001': 'Image 006',
    });
  });

  it('hides names and orders by code; disabling keeps the key; new images get the next codes', () => {
    let p = setBlinding(make(), true, 42);
    expect(displayName(p, 'img-0003')).toBe('Image 005');
    expect(p.images.map((i) => displayName(p, i.id)).some((n) => /drug|veh|stray/i.test(n))).toBe(false);
    expect(blindedOrder(p)).toEqual(['img-0002', 'img-0001', 'img-0005', 'img-0006', 'img-0003', 'img-0004']);
    const off = setBlinding(p, false);
    expect(displayName(off, 'img-0003')).toBe('veh_01.tif');
    expect(blindedOrder(off)).toEqual(['img-0001', 'img-0002', 'img-0003', 'img-0004', 'img-0005', 'img-0006']);
    expect(off.blinding.key).toEqual(p.blinding.key);
    p = setBlinding(off, true);
    expect(p.blinding.key).toEqual(off.blinding.key);
    p = addImages(p, scanned(['VEH/veh_04.tif', 'DRUG/drug_03.tif']), NOW);
    const fresh = [p.blinding.key['img-0007'], p.blinding.key['img-0008']].sort();
    expect(fresh).toEqual(['Image 007', 'Image 008']);
    expect(p.blinding.key['img-0003']).toBe('Image 005');
    // A new seed reshuffles everything.
    expect(setBlinding(p, true, 7).blinding.key['img-0001']).toBe(generateBlindKey(p.images.map((i) => i.id), 7)['img-0001']);
  });
});

describe('project model', () => {
  it('ids are counters that are never reused; the same path is not added twice', () => {
    let p = make();
    p = removeImages(p, ['img-0006'], NOW);
    p = addImages(p, scanned(['stray.tif', 'VEH/veh_01.tif']), NOW);
    expect(p.images.map((i) => `${i.id}=${i.path}`).slice(-2)).toEqual(['img-0005=VEH/veh_03.tif', 'img-0007=stray.tif']);
    expect(findImage(p, 'veh_01.tif').id).toBe('img-0003');
    expect(() => findImage(p, 'nope.tif')).toThrow("No image 'nope.tif' in the project");
  });

  it('metadata cells add columns; condition edits extend the condition list', () => {
    let p = setMetadata(make(), 'img-0006', 'condition', 'KET', NOW);
    p = setMetadata(p, 'img-0001', 'dose', '10 µM', NOW);
    expect(p.columns).toEqual(['condition', 'dose']);
    expect(p.conditions).toEqual(['DRUG', 'VEH', 'KET']);
    expect(p.images[1].metadata).toEqual({ condition: 'DRUG', dose: '' });
    expect(p.images[0].metadata).toEqual({ condition: 'DRUG', dose: '10 µM' });
  });

  it('progress per condition counts done/total images and neurons, excluded apart', () => {
    let p = make();
    p = recordAnnotation(p, 'img-0001', 'annotations/img-0001.ramify.json', 3, NOW);
    p = recordAnnotation(p, 'img-0003', 'annotations/img-0003.ramify.json', 2, NOW);
    p = recordAnnotation(p, 'img-0004', 'annotations/img-0004.ramify.json', 5, NOW);
    p = setStatus(p, 'img-0001', 'ready-for-review', NOW);
    p = setStatus(p, 'img-0004', 'excluded', NOW);
    const s = progressSummary(p);
    expect(s.conditions).toEqual([
      { condition: 'DRUG', images: 2, done: 1, unchecked: 0, approved: 0, inProgress: 0, notStarted: 1, excluded: 0, neurons: 3 },
      { condition: 'VEH', images: 2, done: 0, unchecked: 0, approved: 0, inProgress: 1, notStarted: 1, excluded: 1, neurons: 2 },
      { condition: '', images: 1, done: 0, unchecked: 0, approved: 0, inProgress: 0, notStarted: 1, excluded: 0, neurons: 0 },
    ]);
    expect(s.total).toEqual({ condition: '', images: 5, done: 1, unchecked: 0, approved: 0, inProgress: 1, notStarted: 3, excluded: 1, neurons: 5 });
  });

  it('an automatic trace nobody has checked is not done: counted as unchecked until a save records its check', () => {
    let p = make();
    // The batch's save of two DRUG images (ready for review, unchecked); a technician's check of one of them.
    p = recordAnnotation(p, 'img-0001', 'annotations/img-0001.ramify.json', 4, NOW, { status: 'ready-for-review', toCheck: true });
    p = recordAnnotation(p, 'img-0002', 'annotations/img-0002.ramify.json', 4, NOW, { status: 'ready-for-review', toCheck: true });
    expect(progressSummary(p).conditions[0]).toMatchObject({ condition: 'DRUG', images: 2, done: 0, unchecked: 2, neurons: 8 });
    p = recordAnnotation(p, 'img-0002', 'annotations/img-0002.ramify.json', 3, NOW, { status: 'ready-for-review', toCheck: false });
    expect(p.images.find((i) => i.id === 'img-0002')?.toCheck).toBeUndefined();
    expect(progressSummary(p).conditions[0]).toMatchObject({ condition: 'DRUG', images: 2, done: 1, unchecked: 1, neurons: 7 });
    // A save that says nothing of the review (a rename of legacy files) keeps the mark.
    p = recordAnnotation(p, 'img-0001', 'annotations/img-0001-renamed.ramify.json', 4, NOW);
    expect(p.images.find((i) => i.id === 'img-0001')?.toCheck).toBe(true);
  });

  it('Sholl settings are validated', () => {
    expect(() => setSholl(make(), { start: 10, step: 0, end: null }, NOW)).toThrow('The Sholl step must be a positive number of µm.');
    expect(() => setSholl(make(), { start: 10, step: 5, end: 10 }, NOW)).toThrow('The last Sholl radius must be greater than the first.');
    expect(setSholl(make(), { start: 0, step: 5, end: 100 }, NOW).sholl).toEqual({ start: 0, step: 5, end: 100 });
  });

  it('the channels traced and of the nuclear stain and the detail are kept with the project; the nuclear stain is never the channel traced', () => {
    expect(make().tracing).toBeUndefined();
    const p = setTracing(make(), { channel: 0, nucleusChannel: 2, minBranchUm: 5 }, '2026-02-02T00:00:00Z');
    expect(p.tracing).toEqual({ channel: 0, nucleusChannel: 2, minBranchUm: 5 });
    expect(p.modified).toBe('2026-02-02T00:00:00Z');
    expect(setTracing(p, { channel: 1, nucleusChannel: null, minBranchUm: 0 }, NOW).tracing).toEqual({ channel: 1, nucleusChannel: null, minBranchUm: 0 });
    expect(() => setTracing(p, { channel: 2, nucleusChannel: 2, minBranchUm: 5 }, NOW)).toThrow('Channel 3 is the one traced; the nuclear stain must be another channel.');
    expect(() => setTracing(p, { channel: 0, nucleusChannel: null, minBranchUm: NaN }, NOW)).toThrow('The shortest branch kept must be 0 to 1000 µm.');
  });
});

describe('project file', () => {
  it('round-trips', () => {
    const p = setBlinding(make(), true, 42);
    expect(parseProject(serializeProject(p))).toEqual(p);
    const traced = setTracing(p, { channel: 1, nucleusChannel: 0, minBranchUm: 2.5 }, NOW);
    expect(serializeProject(traced)).toContain('"tracing": {\n    "channel": 1,\n    "nucleusChannel": 0,\n    "minBranchUm": 2.5\n  }');
    expect(parseProject(serializeProject(traced))).toEqual(traced);
  });

  it('names the bad field', () => {
    const bad = JSON.parse(serializeProject(make()));
    bad.images[3].status = 'finished';
    expect(() => parseProject(JSON.stringify(bad))).toThrow(/^Invalid project file: images\.3\.status: /);
    const abs = JSON.parse(serializeProject(make()));
    abs.images[0].path = '/etc/passwd';
    expect(() => parseProject(JSON.stringify(abs))).toThrow("Invalid project file: images.0.path: must be a relative path inside the project with '/' separators.");
    const dup = JSON.parse(serializeProject(make()));
    const channel = JSON.parse(serializeProject(make()));
    channel.tracing = { channel: -1, nucleusChannel: null, minBranchUm: 5 };
    expect(() => parseProject(JSON.stringify(channel))).toThrow(/^Invalid project file: tracing\.channel: /);
    dup.images[1].id = 'img-0001';
    expect(() => parseProject(JSON.stringify(dup))).toThrow("Invalid project file: images.1.id: 'img-0001' is used twice.");
    expect(() => parseProject('{"format":"ramify-project","version":2}')).toThrow('This project was saved by a newer Ramify (project version 2); this build reads version 1.');
    expect(() => parseProject('[1,')).toThrow(/^Not a Ramify project file: invalid JSON/);
  });
});
