import { mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeAnnotation } from '../../../shared/formats/annotation-file';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { emptyDocument, NEURON_COLORS } from '../../../shared/model/document';
import { mergeDocuments } from '../../../shared/model/merge';
import { createProjectFromFolder, importTracing, loadProject, readImageAnnotation, resolveProjectImage } from '../../../electron/services/project-service';
import { readTracingFile } from '../../../electron/services/tracing-import';
import { annotationFor, CAL_HALF, lineDocument, makeProjectFolder } from '../../fixtures/project/make-project';

let root: string;
let scratch: string;
const SWC = '# soma and a 30 µm dendrite\n1 1 5 5 0 2 -1\n2 3 5 10 0 1 1\n3 3 5 40 0 1 2\n';
const NDF = ['// NeuronJ Data File - DO NOT CHANGE', '1.4.0', '// Parameters', '2', '// Type names and colors', 'Default', '0', 'Dendrite', '4', '// Cluster names', 'Default',
  '// Tracing N1', '1', '1', '0', 'first', '// Segment 1 of Tracing N1', '0', '0', '3', '4', '// End of NeuronJ Data File', ''].join('\n');

beforeAll(async () => {
  root = await makeProjectFolder();
  await createProjectFromFolder(root, { conditions: 'subfolder', now: '2026-01-01T00:00:00Z' });
  scratch = await mkdtemp(join(tmpdir(), 'ramify-import-'));
  await writeFile(join(scratch, 'cell.swc'), SWC);
  await writeFile(join(scratch, 'cell.ndf'), NDF);
  await writeFile(join(scratch, 'other.ramify.json'), serializeAnnotation(annotationFor(lineDocument(CAL_HALF))));
  await writeFile(join(scratch, 'notes.txt'), 'hello');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

describe('one tracing import for the app and the CLI', () => {
  it('reads SWC in µm into image px by the calibration, named after the file', async () => {
    const r = await readTracingFile(join(scratch, 'cell.swc'), { pixelWidth: 0.5, pixelHeight: 0.5 });
    expect(r.kind).toBe('swc');
    expect(r.fileName).toBe('cell.swc');
    expect(r.document.neurons.map((n) => n.name)).toEqual(['cell']);
    expect(r.document.neurons[0].soma).toEqual({ kind: 'point', x: 10.5, y: 10.5, z: 0, r: 4 });
    expect(r.document.neurons[0].branches[0].nodes.map((q) => [q.x, q.y])).toEqual([[10.5, 20.5], [10.5, 80.5]]);
    const uncal = await readTracingFile(join(scratch, 'cell.swc'), null);
    expect(uncal.warnings.join(' ')).toMatch(/uncalibrated/);
  });

  it('on an uncalibrated image, places SWC µm by the voxel size the file states (as SNT writes it), and says so', async () => {
    const path = join(scratch, 'snt.swc');
    await writeFile(path, '# All positions and radii in µm\n# Voxel separation (x,y,z): 0.25, 0.5, 1.0\n1 1 2.5 5 0 1 -1\n2 3 2.5 15 0 0.5 1\n');
    const r = await readTracingFile(path, null);
    // x = 2.5 µm / 0.25 + ½ px, y = 5 µm / 0.5 + ½ px, radius 1 µm / 0.25.
    expect(r.document.neurons[0].soma).toEqual({ kind: 'point', x: 10.5, y: 10.5, z: 0, r: 4 });
    expect(r.document.neurons[0].branches[0].nodes.map((q) => [q.x, q.y])).toEqual([[10.5, 30.5]]);
    expect(r.warnings).toEqual(['The image is uncalibrated: SWC µm were placed by the voxel size the file states (0.25 × 0.5 µm per pixel).']);
    // A calibrated image keeps its own pixel size.
    const own = await readTracingFile(path, { pixelWidth: 0.5, pixelHeight: 0.5 });
    expect(own.document.neurons[0].soma).toMatchObject({ x: 5.5, y: 10.5 });
    expect(own.warnings).toEqual([]);
  });

  it('reads NeuronJ as one neuron "<file> (NeuronJ)" of detached branches at pixel centres', async () => {
    const r = await readTracingFile(join(scratch, 'cell.ndf'), null);
    expect(r.kind).toBe('ndf');
    expect(r.document.neurons.map((n) => [n.name, n.soma, n.branches.length])).toEqual([['cell (NeuronJ)', null, 1]]);
    expect(r.document.neurons[0].branches[0].nodes.map((q) => [q.x, q.y])).toEqual([[0.5, 0.5], [3.5, 4.5]]);
  });

  it('refuses other files and missing files with a sentence', async () => {
    await expect(readTracingFile(join(scratch, 'notes.txt'), null)).rejects.toThrow('notes.txt is not a tracing Ramify imports (SWC, NeuronJ .ndf or Ramify .json).');
    await expect(readTracingFile(join(scratch, 'gone.swc'), null)).rejects.toThrow(`Cannot read ${join(scratch, 'gone.swc')}: no such file.`);
  });

  it('the CLI import writes exactly what the app merge gives for the same files', async () => {
    let project = await loadProject(root);
    const img = project.images.find((i) => i.path === 'VEH/veh_03.tif')!;
    // The app: read each file, merge into the document on screen.
    let appDoc = emptyDocument(img.calibration);
    for (const f of ['cell.swc', 'cell.ndf', 'other.ramify.json']) appDoc = mergeDocuments(appDoc, (await readTracingFile(join(scratch, f), img.calibration)).document);
    // The CLI: the same files through `ramify import`'s service.
    for (const f of ['cell.swc', 'cell.ndf', 'other.ramify.json']) project = (await importTracing(root, project, img.id, join(scratch, f))).project;
    const saved = (await readImageAnnotation(root, project, img.id))!.document;
    expect(saved).toEqual(appDoc);
    expect(saved.neurons.map((n) => n.name)).toEqual(['cell', 'cell (NeuronJ)', 'line']);
    // Each import continues the palette instead of restarting it.
    expect(saved.neurons.map((n) => n.color)).toEqual(NEURON_COLORS.slice(0, 3));
    const ids = saved.neurons.flatMap((n) => [n.id, ...n.branches.flatMap((b) => [b.id, ...b.nodes.map((q) => q.id)])]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(saved.nextId).toBeGreaterThan(Math.max(...ids));
  });
});

describe('an image of the project, however it is named', () => {
  it('accepts an id, a project-relative path, a cwd-relative path, an absolute path and a unique file name', async () => {
    const project = await loadProject(root);
    const id = project.images.find((i) => i.path === 'VEH/veh_01.tif')!.id;
    const names = [
      resolveProjectImage(root, project, id, scratch),
      resolveProjectImage(root, project, 'VEH/veh_01.tif', scratch),
      resolveProjectImage(root, project, './VEH/veh_01.tif', scratch),
      resolveProjectImage(root, project, 'veh_01.tif', join(root, 'VEH')),
      resolveProjectImage(root, project, '../VEH/veh_01.tif', join(root, 'DRUG')),
      resolveProjectImage(root, project, join(root, 'VEH', 'veh_01.tif'), scratch),
      resolveProjectImage(root, project, 'veh_01.tif', scratch),
    ];
    expect(names.map((i) => i.id)).toEqual(Array(names.length).fill(id));
  });

  it('follows a symbolic link to the project folder', async () => {
    const project = await loadProject(root);
    const link = join(scratch, 'linked-project');
    await symlink(root, link);
    expect(resolveProjectImage(root, project, join(link, 'VEH', 'veh_01.tif'), scratch).path).toBe('VEH/veh_01.tif');
  });

  it('names the project folder when the path is not one of its images', async () => {
    const project = await loadProject(root);
    const message = (ref: string) => `No image '${ref}' in the project in ${root}: give an image id (e.g. img-0001) or the path of one of its images, relative to that folder or to the current folder.`;
    expect(() => resolveProjectImage(root, project, join(scratch, 'cell.swc'), scratch)).toThrow(message(join(scratch, 'cell.swc')));
    expect(() => resolveProjectImage(root, project, 'VEH/missing.tif', scratch)).toThrow(message('VEH/missing.tif'));
    expect(() => resolveProjectImage(root, project, 'img-0999', scratch)).toThrow(message('img-0999'));
  });

  it('on an image whose pixel size is only a print resolution (72 dpi), places SWC µm as on an uncalibrated one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ramify-import-dpi-'));
    try {
      await writeFile(join(dir, 'exported.tif'), encodeTiff({ width: 64, height: 64, planes: [new Uint8Array(64 * 64)], bitsPerSample: 8, sampleFormat: 'uint', compression: 'none', resolution: { x: 72, y: 72, unit: 'inch' } }));
      const { project } = await createProjectFromFolder(dir, { conditions: 'none', now: '2026-01-01T00:00:00Z' });
      expect(project.images[0].calibration).toMatchObject({ pixelWidth: 25400 / 72, source: 'resolution' });
      const swc = join(scratch, 'stated.swc');
      await writeFile(swc, '# Voxel separation (x,y,z): 0.25, 0.5, 1.0\n1 1 2.5 5 0 1 -1\n2 3 2.5 15 0 0.5 1\n');
      const r = await importTracing(dir, project, 'exported.tif', swc, { now: '2026-01-02T00:00:00Z' });
      // By 352.8 µm per px the cell would have been a dot at (0.5, 0.5); by its stated voxel size, as in the test above.
      expect(r.notes).toEqual(['The image is uncalibrated: SWC µm were placed by the voxel size the file states (0.25 × 0.5 µm per pixel).']);
      const saved = await readImageAnnotation(dir, r.project, project.images[0].id);
      expect(saved?.document.neurons[0].soma).toEqual({ kind: 'point', x: 10.5, y: 10.5, z: 0, r: 4 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
