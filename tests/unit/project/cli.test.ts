import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ramify } from '../run-cli';
import { loadProject, readImageAnnotation } from '../../../electron/services/project-service';
import { fixturePath } from '../image/fixtures';
import { makeProjectFolder } from '../../fixtures/project/make-project';

let root: string;
let scratch: string;

beforeAll(async () => {
  root = await makeProjectFolder();
  scratch = await mkdtemp(join(tmpdir(), 'ramify-cli-'));
  // A soma and a straight dendrite in µm: stem 5 µm, 30 µm dendrite.
  await writeFile(join(scratch, 'cell.swc'), '# test\n1 1 5 5 0 2 -1\n2 3 5 10 0 1 1\n3 3 5 40 0 1 2\n');
  await writeFile(
    join(scratch, 'two.ndf'),
    ['// NeuronJ Data File - DO NOT CHANGE', '1.4.0', '// Parameters', '2', '// Type names and colors', 'Default', '0', 'Dendrite', '4', '// Cluster names', 'Default',
      '// Tracing N1', '1', '1', '0', 'first', '// Segment 1 of Tracing N1', '0', '0', '3', '4',
      '// Tracing N2', '2', '0', '0', '', '// Segment 1 of Tracing N2', '10', '10', '10', '20', '// End of NeuronJ Data File', ''].join('\n'),
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

describe('ramify project / import / export', () => {
  it('project init prints images per condition and the unmatched ones', async () => {
    const r = await ramify('project', 'init', root, '--conditions', 'subfolder', '--name', 'CLI');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'Created project "CLI" with 6 images.',
        '  DRUG: 2 images',
        '  VEH: 3 images',
        '  (no condition): 1 image',
        '1 image without a condition (set it in the app or re-run with another --conditions):',
        '  stray.tif: lies directly in the project folder, not in a condition subfolder',
        '1 image without a pixel size: lengths cannot be exported in µm until a calibration is set.',
        '',
      ].join('\n'),
    );
    const again = await ramify('project', 'init', root);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds a Ramify project \(ramify-project\.json\)\.\n$/);
  });

  it("project init names the files of a microscope's own format it could not add, and what to do; adds LSM and MetaXpress images, not their thumbnails", async () => {
    const folder = await mkdtemp(join(tmpdir(), 'ramify-czi-'));
    await mkdir(join(folder, 'VEH'));
    for (const name of ['a.czi', 'b.CZI']) await writeFile(join(folder, 'VEH', name), 'ZISRAWFILE');
    await writeFile(join(folder, 'VEH', 'c.nd2'), '');
    // A Zeiss LSM is a TIFF, and added with the pixel size its header gives (tests/fixtures/tiff/lsm).
    await copyFile(fixturePath('lsm/zstack-2ch.lsm'), join(folder, 'VEH', 'd.LSM'));
    // A plate exported by MetaXpress: each field beside its thumbnail (names as ImageXpress writes them).
    await copyFile(fixturePath('metaseries/metamorph-um.tif'), join(folder, 'VEH', 'Plate_A01_s1_w146C9B2CD-0BB3-4B8A-9187-2805F4C90506.tif'));
    await copyFile(fixturePath('metaseries/metamorph-um.tif'), join(folder, 'VEH', 'Plate_A01_s1_w1_thumb6EFE77C6-B96D-412A-9FD1-710DBDA32821.TIF'));
    const r = await ramify('project', 'init', folder, '--conditions', 'subfolder');
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toBe(
      [
        'Created project "' + folder.split('/').pop() + '" with 2 images.',
        '  VEH: 2 images',
        'warning: 1 file not added (VEH/Plate_A01_s1_w1_thumb6EFE77C6-B96D-412A-9FD1-710DBDA32821.TIF): it is a MetaXpress thumbnail (the reduced copy saved beside each image). The full-size image beside it is the one to trace.',
        'warning: 2 files not added (VEH/a.czi, VEH/b.CZI): each is a Zeiss CZI file, which Ramify does not read (it reads TIFF, PNG and JPEG). Open it in Fiji (Bio-Formats) and save it as TIFF: its calibration comes along.',
        'warning: 1 file not added (VEH/c.nd2): it is a Nikon ND2 file, which Ramify does not read (it reads TIFF, PNG and JPEG). Open it in Fiji (Bio-Formats) and save it as TIFF: its calibration comes along.',
        '',
      ].join('\n'),
    );
    const project = JSON.parse(await readFile(join(folder, 'ramify-project.json'), 'utf8'));
    expect(project.images.map((i: { path: string; calibration: unknown }) => [i.path, i.calibration])).toEqual([
      ['VEH/Plate_A01_s1_w146C9B2CD-0BB3-4B8A-9187-2805F4C90506.tif', { pixelWidth: 0.3375, pixelHeight: 0.3375, unit: 'µm', source: 'metamorph' }],
      ['VEH/d.LSM', { pixelWidth: 0.2075, pixelHeight: 0.2075, voxelDepth: 0.5, unit: 'µm', source: 'lsm' }],
    ]);
    expect((await loadProject(folder)).images).toHaveLength(2);
    await rm(folder, { recursive: true, force: true });
  });

  it('regex and CSV condition sources from the command line', async () => {
    const csv = join(scratch, 'map.csv');
    await writeFile(csv, 'file,condition,DIV\ndrug_01.tif,D,14\nVEH/veh_01.tif,V,7\n');
    const r = await ramify('project', 'init', root, '--conditions', `csv:${csv}`, '--force');
    expect(r.out.split('\n').slice(0, 4)).toEqual(['Created project "' + root.split('/').pop() + '" with 6 images.', '  D: 1 image', '  V: 1 image', '  (no condition): 4 images']);
    const p = await loadProject(root);
    expect(p.columns).toEqual(['condition', 'DIV']);
    expect(p.images.find((i) => i.path === 'VEH/veh_01.tif')!.metadata).toEqual({ condition: 'V', DIV: '7' });
    const bad = await ramify('project', 'init', root, '--conditions', 'regex:^drug', '--force');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("needs one capture group");
    const ok = await ramify('project', 'init', root, '--conditions', 'subfolder', '--force', '--name', 'CLI');
    expect(ok.code).toBe(0);
  });

  it('import attaches SWC (µm → px with the image calibration) and NeuronJ tracings', async () => {
    const r = await ramify('import', root, 'VEH/veh_03.tif', join(scratch, 'cell.swc'));
    expect(r.err).toBe('');
    expect(r.out).toBe(
      [
        'Imported 1 neuron into VEH/veh_03.tif (img-0005); it now has 1.',
        '  cell: 1 path, 2 nodes',
        'note: SWC coordinates (µm) converted to image px with 0.5 × 0.5 µm/px.',
        '',
      ].join('\n'),
    );
    const n = await ramify('import', root, 'img-0005', join(scratch, 'two.ndf'));
    expect(n.out).toContain('Imported 1 neuron into VEH/veh_03.tif (img-0005); it now has 2.\n  two (NeuronJ): 2 paths, 4 nodes\n');
    expect(n.out).toContain('note: NeuronJ tracings arrive as detached paths: place the soma');
    const p = await loadProject(root);
    const file = (await readImageAnnotation(root, p, 'img-0005'))!;
    const [swc, ndf] = file.document.neurons;
    expect(swc.soma).toEqual({ kind: 'point', x: 10.5, y: 10.5, z: 0, r: 4 });
    expect(swc.branches[0].nodes.map((q) => [q.x, q.y])).toEqual([[10.5, 20.5], [10.5, 80.5]]);
    // NeuronJ pixel indices move to pixel centres.
    expect(ndf.branches.map((b) => [b.parent.kind, b.label, b.nodes.map((q) => [q.x, q.y])])).toEqual([
      ['none', 'dendrite', [[0.5, 0.5], [3.5, 4.5]]],
      ['none', 'undefined', [[10.5, 10.5], [10.5, 20.5]]],
    ]);
    const ids = file.document.neurons.flatMap((x) => [x.id, ...x.branches.flatMap((b) => [b.id, ...b.nodes.map((q) => q.id)])]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(file.document.nextId).toBe(Math.max(...ids) + 1);
    expect(p.images.find((i) => i.id === 'img-0005')).toMatchObject({ neuronCount: 2, status: 'in-progress' });

    const missing = await ramify('import', root, 'nope.tif', join(scratch, 'cell.swc'));
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`ramify import: No image 'nope.tif' in the project in ${root}: give an image id (e.g. img-0001) or the path of one of its images, relative to that folder or to the current folder.\n`);
  });

  it('export writes the files and lists them', async () => {
    const out = join(scratch, 'out');
    const r = await ramify('export', root, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`Exported 2 neurons from 1 image to ${out}:`);
    expect(r.out.split('\n').slice(1, 10)).toEqual([
      '  neurons.csv (2 rows)',
      '  sholl.csv (26 rows)',
      '  branches.csv (2 rows)',
      '  prism-sholl-xy.csv (26 rows)',
      '  prism-nmax-columns.csv (2 rows)',
      '  prism-summary.csv (1 row)',
      '  sholl.pzfx',
      '  data-dictionary.csv (76 rows)',
      '  read_ramify.R',
    ]);
    // Every image without rows is named, with the reason.
    expect(r.out).toMatch(/^warning: \d+ images left out \(no rows\): .*\(not traced\)/m);
    const neurons = (await readFile(join(out, 'neurons.csv'), 'utf8')).split('\r\n');
    expect(neurons[1]).toMatch(/^CLI,VEH\/veh_03\.tif,img-0005,,img-0005:\d+,\d+,cell,VEH,0\.5,0\.5,,imagej,1,0,1,1,30,5,30,/);
    // The NeuronJ neuron (detached paths, no soma) is measured from its first path's root: one 5 px = 2.5 µm edge.
    expect(neurons[2]).toMatch(/^CLI,VEH\/veh_03\.tif,img-0005,,img-0005:\d+,\d+,two \(NeuronJ\),VEH,0\.5,0\.5,,imagej,1,0,1,1,2\.5,0,/);
    expect(neurons[2]).toMatch(/,Neuron has no soma: measured from the first node of its first detached path; 1 other detached path excluded\.,$/);
    const usage = await ramify('export', root);
    expect(usage.code).toBe(1);
    const status = await ramify('project', 'status', root);
    expect(status.out).toBe('Project "CLI":\n  DRUG: 0/2 images done, 0 approved, 0 in progress, 0 neurons\n  VEH: 0/3 images done, 0 approved, 1 in progress, 2 neurons\n  (no condition): 0/1 images done, 0 approved, 0 in progress, 0 neurons\n  total: 0/6 images done, 0 approved, 1 in progress, 2 neurons\n');
  });
});
