import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportProject } from '../../../electron/services/export-service';
import { createProjectFromFolder, loadProject, saveImageAnnotation, saveProject } from '../../../electron/services/project-service';
import { setBlinding } from '../../../shared/project/blinding';
import { parseCsv } from '../../../shared/project/csv-parse';
import { dataDictionaryMarkdown, exportHeadline } from '../../../shared/project/export-tables';
import { setConditionOrder, setMetadata, setStatus, setSholl } from '../../../shared/project/project';
import type { Project } from '../../../shared/project/schema';
import { CAL_HALF, CAL_ONE, annotationFor, lineDocument, makeProjectFolder, yAndLineDocument } from '../../fixtures/project/make-project';

/*
 * Expected values are worked out by hand from the fixture geometry (tests/fixtures/project/make-project.ts):
 *  line (1 µm/px, or 0.5 µm/px drawn twice as long): stem 5 µm, one dendrite of 30 µm, farthest node 35 µm from
 *    the soma → Sholl radii 10, 20, 30 (start 10, step 10, end = farthest node) with 1 crossing each.
 *  Y (0.5 µm/px): stem 2 µm, primary 20 µm, two 25 µm children → total 70, mean branch 70/3, longest path 47,
 *    mean order (1+2+2)/3; farthest node √(15² + 42²) = √1989 = 44.59820624 µm → radii 10–40 with 1, 1, 2, 2
 *    crossings: Nmax 2 at 30, sum 6, mean 1.5; best polynomial = the line 0.04 r + 0.5 (R² 0.8, adjusted 0.7;
 *    the quadratic adds nothing as the residuals are antisymmetric), maximum 2.1 at r = 40.
 *  Semi-log / log-log regressions of ln(N / πr²): least squares computed with numpy while writing the test.
 *  Blind codes for seed 42: mulberry32 + Fisher–Yates re-implemented in Python (see blinding.test.ts).
 */

const NOW = '2026-01-01T00:00:00.000Z';
let root: string;
let out: string;
let project: Project;

beforeAll(async () => {
  root = await makeProjectFolder();
  out = await mkdtemp(join(tmpdir(), 'ramify-export-'));
  const created = await createProjectFromFolder(root, { conditions: 'subfolder', name: 'Fixture', now: NOW });
  let p = created.project;
  p = setConditionOrder(p, ['VEH', 'DRUG'], NOW);
  // Coarse radii keep the hand-computed tables small (the app's default step is 1 µm).
  p = setSholl(p, { start: 10, step: 10, end: null }, NOW);
  p = setMetadata(p, 'img-0001', 'DIV', '14', NOW);
  p = setMetadata(p, 'img-0002', 'DIV', '7', NOW);
  p = setMetadata(p, 'img-0003', 'DIV', '14', NOW);
  await saveProject(root, p);
  p = await saveImageAnnotation(root, p, 'img-0001', annotationFor(lineDocument(CAL_ONE)), NOW);
  p = await saveImageAnnotation(root, p, 'img-0002', annotationFor(lineDocument(null)), NOW);
  p = await saveImageAnnotation(root, p, 'img-0003', annotationFor(yAndLineDocument(CAL_HALF)), NOW);
  p = await saveImageAnnotation(root, p, 'img-0004', annotationFor(lineDocument(CAL_HALF)), NOW);
  p = setStatus(p, 'img-0003', 'ready-for-review', NOW);
  p = setStatus(p, 'img-0004', 'excluded', NOW);
  p = setBlinding(p, true, 42);
  await saveProject(root, p);
  project = p;
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
  await rm(out, { recursive: true, force: true });
});

const lines = (text: string) => {
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(0, -2).split('\r\n');
};

const METRICS_HEADER =
  'primary_branches,branch_points,tips,branches,total_length_um,stem_length_um,mean_branch_length_um,primary_branch_length_sum_um,primary_branch_length_mean_um,terminal_branch_length_sum_um,terminal_branch_length_mean_um,max_branch_order,mean_branch_order,strahler_order,longest_path_um,soma_area_um2,soma_perimeter_um,sholl_start_um,sholl_step_um,sholl_end_um,sholl_nmax,sholl_nmax_radius_um,sholl_enclosing_radius_um,sholl_sum_crossings,sholl_mean_crossings,sholl_intersecting_radii,sholl_ramification_index,sholl_poly_degree,sholl_poly_r2,sholl_poly_adjusted_r2,sholl_critical_value,sholl_critical_radius_um,sholl_semilog_decay_per_um,sholl_semilog_r2,sholl_loglog_decay,sholl_loglog_r2,sholl_determination_ratio,sholl_3d';
const ID = 'project,image_file,image_id,blind_code,neuron_uid,neuron_id,neuron_name,condition,DIV';

// Morphometrics (17) then Sholl (21) then sholl_3d, per neuron.
const LINE_METRICS = '1,0,1,1,30,5,30,30,30,30,30,1,1,1,35,,,10,10,35,1,10,30,3,1,3,1,,,,,,0.1098612289,0.9776539585,2,1,0.9776539585,0';
const Y_METRICS = '1,1,2,3,70,2,23.33333333,20,20,50,25,2,1.666666667,2,47,,,10,10,44.59820624,2,30,40,6,1.5,4,2,1,0.8,0.7,2.1,40,0.06356107661,0.865700349,1.427253071,0.9465193036,0.9146145733,0';
const UNCAL_METRICS = '1,0,1,1,,,,,,,,1,1,1,,,' + ',,,,,,,,,,,,,,,,,,,,,';

describe('project export (fixture: 2 conditions, Y + line neurons)', () => {
  let result: Awaited<ReturnType<typeof exportProject>>;
  beforeAll(async () => {
    result = await exportProject(root, out, { appVersion: '9.9.9', now: '2026-02-03T04:05:06Z' });
  });

  it('found the images, calibrations and subfolder conditions', async () => {
    const p = await loadProject(root);
    expect(p.images.map((i) => [i.id, i.path, i.metadata.condition, i.calibration?.pixelWidth ?? null])).toEqual([
      ['img-0001', 'DRUG/drug_01.tif', 'DRUG', 1],
      ['img-0002', 'DRUG/drug_02.tif', 'DRUG', null],
      ['img-0003', 'VEH/veh_01.tif', 'VEH', 0.5],
      ['img-0004', 'VEH/veh_02.tif', 'VEH', 0.5],
      ['img-0005', 'VEH/veh_03.tif', 'VEH', 0.5],
      ['img-0006', 'stray.tif', '', 0.5],
    ]);
    expect(p.images[0]).toMatchObject({ width: 8, height: 8, annotation: expect.stringMatching(/^annotations\/[a-z2-9]{10}\.ramify\.json$/), neuronCount: 1, status: 'in-progress' });
  });

  it('writes every file and reports counts and the uncalibrated image', () => {
    expect(result.files.map((f) => [f.name, f.rows])).toEqual([
      ['neurons.csv', 4],
      ['sholl.csv', 10],
      ['branches.csv', 6],
      ['prism-sholl-xy.csv', 4],
      ['prism-nmax-columns.csv', 2],
      ['prism-summary.csv', 2],
      ['sholl.pzfx', null],
      ['data-dictionary.csv', 77],
      ['read_ramify.R', null],
    ]);
    expect(result.images).toBe(3);
    expect(result.neurons).toBe(4);
    expect(result.warnings).toEqual([
      '1 image has no pixel size, so its lengths and Sholl values are left empty (use --px / "include pixel columns" for px values, or set the calibration): DRUG/drug_02.tif.',
      '3 images left out (no rows): VEH/veh_02.tif (excluded), VEH/veh_03.tif (not traced), stray.tif (not traced).',
    ]);
    expect(exportHeadline(result)).toBe('Exported 4 neurons from 3 images');
    expect(exportHeadline({ neurons: 1, images: 1 })).toBe('Exported 1 neuron from 1 image');
  });

  it('neurons.csv, cell by cell', async () => {
    const text = await readFile(join(out, 'neurons.csv'), 'utf8');
    expect(lines(text)).toEqual([
      `${ID},pixel_width_um,pixel_height_um,voxel_depth_um,calibration_source,${METRICS_HEADER},tracer,review_status,reviewer,reviewed_at,app_version,warnings,auto_unchanged_fraction`,
      `Fixture,DRUG/drug_01.tif,img-0001,Image 002,img-0001:1,1,line,DRUG,14,1,1,,imagej,${LINE_METRICS},AB,in-progress,,,9.9.9,,`,
      `Fixture,DRUG/drug_02.tif,img-0002,Image 001,img-0002:1,1,line,DRUG,7,,,,,${UNCAL_METRICS},AB,in-progress,,,9.9.9,,`,
      // The project says ready for review, the file (as an earlier build wrote it) in progress: one status, the further.
      `Fixture,VEH/veh_01.tif,img-0003,Image 005,img-0003:1,1,Y,VEH,14,0.5,0.5,,imagej,${Y_METRICS},AB,ready-for-review,,,9.9.9,,`,
      `Fixture,VEH/veh_01.tif,img-0003,Image 005,img-0003:9,9,line,VEH,14,0.5,0.5,,imagej,${LINE_METRICS},AB,ready-for-review,,,9.9.9,,`,
    ]);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
  });

  it('sholl.csv, long format, calibrated neurons only', async () => {
    const row = (img: string, code: string, nid: number, name: string, cond: string, r: number, n: number) =>
      `Fixture,${img === 'img-0001' ? 'DRUG/drug_01.tif' : 'VEH/veh_01.tif'},${img},${code},${img}:${nid},${nid},${name},${cond},14,${r},${n}`;
    expect(lines(await readFile(join(out, 'sholl.csv'), 'utf8'))).toEqual([
      `${ID},radius_um,crossings`,
      row('img-0001', 'Image 002', 1, 'line', 'DRUG', 10, 1),
      row('img-0001', 'Image 002', 1, 'line', 'DRUG', 20, 1),
      row('img-0001', 'Image 002', 1, 'line', 'DRUG', 30, 1),
      row('img-0003', 'Image 005', 1, 'Y', 'VEH', 10, 1),
      row('img-0003', 'Image 005', 1, 'Y', 'VEH', 20, 1),
      row('img-0003', 'Image 005', 1, 'Y', 'VEH', 30, 2),
      row('img-0003', 'Image 005', 1, 'Y', 'VEH', 40, 2),
      row('img-0003', 'Image 005', 9, 'line', 'VEH', 10, 1),
      row('img-0003', 'Image 005', 9, 'line', 'VEH', 20, 1),
      row('img-0003', 'Image 005', 9, 'line', 'VEH', 30, 1),
    ]);
  });

  it('branches.csv, one row per topological branch', async () => {
    expect(lines(await readFile(join(out, 'branches.csv'), 'utf8'))).toEqual([
      `${ID},branch_id,parent_branch_id,path_id,label,order,strahler_order,length_um,ends_in`,
      'Fixture,DRUG/drug_01.tif,img-0001,Image 002,img-0001:1,1,line,DRUG,14,1,,2,dendrite,1,1,30,tip',
      'Fixture,DRUG/drug_02.tif,img-0002,Image 001,img-0002:1,1,line,DRUG,7,1,,2,dendrite,1,1,,tip',
      'Fixture,VEH/veh_01.tif,img-0003,Image 005,img-0003:1,1,Y,VEH,14,1,,2,dendrite,1,2,20,branch-point',
      'Fixture,VEH/veh_01.tif,img-0003,Image 005,img-0003:1,1,Y,VEH,14,2,1,5,dendrite,2,1,25,tip',
      'Fixture,VEH/veh_01.tif,img-0003,Image 005,img-0003:1,1,Y,VEH,14,3,1,7,dendrite,2,1,25,tip',
      'Fixture,VEH/veh_01.tif,img-0003,Image 005,img-0003:9,9,line,VEH,14,1,,10,dendrite,1,1,30,tip',
    ]);
  });

  it('Prism files: mean/SEM/N per radius, Nmax columns, summary with the peak of the mean curve', async () => {
    // VEH: Y (1,1,2,2) and line (1,1,1, then 0 beyond its 35 µm extent) → means 1, 1, 1.5, 1;
    // SEM of {1,1} = 0, of {2,1} = 0.7071/√2 = 0.5, of {2,0} = 1.4142/√2 = 1. DRUG: one neuron, SEM undefined.
    expect(lines(await readFile(join(out, 'prism-sholl-xy.csv'), 'utf8'))).toEqual([
      'radius_um,VEH_mean,VEH_sem,VEH_n,DRUG_mean,DRUG_sem,DRUG_n',
      '10,1,0,2,1,,1',
      '20,1,0,2,1,,1',
      '30,1.5,0.5,2,1,,1',
      '40,1,1,2,0,,1',
    ]);
    expect(lines(await readFile(join(out, 'prism-nmax-columns.csv'), 'utf8'))).toEqual(['VEH,DRUG', '2,1', '1,']);
    expect(lines(await readFile(join(out, 'prism-summary.csv'), 'utf8'))).toEqual([
      'condition,n_neurons,nmax_mean,nmax_sem,peak_mean_crossings,peak_radius_um',
      'VEH,2,1.5,0.5,1.5,30',
      'DRUG,1,1,,1,10',
    ]);
    const pzfx = await readFile(join(out, 'sholl.pzfx'), 'utf8');
    expect(pzfx).toContain('<Table ID="Table0" XFormat="numbers" YFormat="SEN" TableType="XY"');
    expect(pzfx).toContain('<Title><TextAlign align="Left">VEH</TextAlign></Title>\n<Subcolumn>\n<d>1</d>\n<d>1</d>\n<d>1.5</d>\n<d>1</d>\n</Subcolumn>\n<Subcolumn>\n<d>0</d>\n<d>0</d>\n<d>0.5</d>\n<d>1</d>');
    expect(pzfx).toContain('<Title><TextAlign align="Left">DRUG</TextAlign></Title>\n<Subcolumn>\n<d>1</d>\n</Subcolumn>\n</YColumn>');
  });

  it('the data dictionary documents every exported column', async () => {
    const dict = parseCsv(await readFile(join(out, 'data-dictionary.csv'), 'utf8'));
    expect(dict[0]).toEqual(['file', 'column', 'unit', 'definition', 'type']);
    const documented = new Set(dict.slice(1).map((r) => r[1]));
    for (const f of ['neurons.csv', 'sholl.csv', 'branches.csv']) {
      const header = parseCsv(await readFile(join(out, f), 'utf8'))[0];
      for (const c of header) expect(documented.has(c), `${f}: ${c}`).toBe(true);
    }
    for (const r of dict.slice(1)) expect(r[3], r[1]).not.toMatch(/^See docs/);
    expect(dict.find((r) => r[1] === 'total_length_um')).toEqual(['neurons.csv', 'total_length_um', 'µm', 'Summed length of all traced segments, stems (soma centre → first node) excluded.', 'double']);
    expect(dict.find((r) => r[1] === 'image_id')?.[4]).toBe('character');
    expect(dict.find((r) => r[1] === 'neuron_id')?.[4]).toBe('integer');
    expect(dict.find((r) => r[1] === 'DIV')?.[4]).toBe('character');
  });

  it('read_ramify.R gives every column of every CSV its type, in header order', async () => {
    const script = await readFile(join(out, 'read_ramify.R'), 'utf8');
    // The spec blocks: `  "file.csv" = c(` then one `    "column" = "t"` line per column.
    const spec = new Map<string, Array<[string, string]>>();
    let current: Array<[string, string]> | null = null;
    for (const line of script.split('\n')) {
      const file = /^ {2}"([^"]+)" = c\($/.exec(line);
      if (file) spec.set(file[1], (current = []));
      const col = /^ {4}"([^"]+)" = "([cid])",?$/.exec(line);
      if (col && current) current.push([col[1], col[2]]);
    }
    expect([...spec.keys()]).toEqual(['neurons.csv', 'sholl.csv', 'branches.csv', 'prism-sholl-xy.csv', 'prism-nmax-columns.csv', 'prism-summary.csv', 'data-dictionary.csv']);
    for (const [file, cols] of spec) expect(cols.map((c) => c[0]), file).toEqual(parseCsv(await readFile(join(out, file), 'utf8'))[0]);
    const types = (file: string) => Object.fromEntries(spec.get(file)!);
    // Text ids and metadata are character, ids integer, measurements double, even where every cell is empty.
    expect(types('neurons.csv')).toMatchObject({ project: 'c', image_id: 'c', neuron_uid: 'c', neuron_id: 'i', DIV: 'c', condition: 'c', soma_area_um2: 'd', sholl_poly_degree: 'd', sholl_3d: 'i', warnings: 'c', pixel_width_um: 'd' });
    expect(types('branches.csv')).toMatchObject({ branch_id: 'i', parent_branch_id: 'i', path_id: 'i', label: 'c', length_um: 'd', ends_in: 'c' });
    expect(types('prism-summary.csv')).toEqual({ condition: 'c', n_neurons: 'd', nmax_mean: 'd', nmax_sem: 'd', peak_mean_crossings: 'd', peak_radius_um: 'd' });
    expect(types('prism-nmax-columns.csv')).toEqual({ VEH: 'd', DRUG: 'd' });
    expect(script).toContain('read_ramify <- function(file, dir = ramify_dir) {');
  });

  it('docs/data-dictionary-export.md is generated from the same table', async () => {
    expect(await readFile(join(import.meta.dirname, '../../../docs/data-dictionary-export.md'), 'utf8')).toBe(dataDictionaryMarkdown());
  });

  it('--px adds pixel twins, filled for the uncalibrated image while its µm cells stay empty', async () => {
    const pxOut = join(out, 'px');
    const r = await exportProject(root, pxOut, { appVersion: '9.9.9', now: NOW, includePixelColumns: true });
    expect(r.warnings[0]).toContain('left empty in µm columns (px columns are filled): DRUG/drug_02.tif');
    const rows = parseCsv(await readFile(join(pxOut, 'neurons.csv'), 'utf8'));
    const col = (name: string) => rows.slice(1).map((row) => row[rows[0].indexOf(name)]);
    expect(rows[0].filter((h) => h.endsWith('_px') || h.endsWith('_px2'))).toEqual([
      'total_length_px', 'stem_length_px', 'mean_branch_length_px', 'primary_branch_length_sum_px', 'primary_branch_length_mean_px',
      'terminal_branch_length_sum_px', 'terminal_branch_length_mean_px', 'longest_path_px', 'soma_area_px2', 'soma_perimeter_px',
    ]);
    // Rows: DRUG line at 1 µm/px, DRUG line uncalibrated, VEH Y at 0.5 µm/px (lengths double in px), VEH line.
    expect(col('total_length_um')).toEqual(['30', '', '70', '30']);
    expect(col('total_length_px')).toEqual(['30', '30', '140', '60']);
    expect(col('longest_path_px')).toEqual(['35', '35', '94', '70']);
    expect(col('soma_area_px2')).toEqual(['', '', '', '']);
    const branches = parseCsv(await readFile(join(pxOut, 'branches.csv'), 'utf8'));
    expect(branches.slice(1).map((b) => [b[branches[0].indexOf('length_um')], b[branches[0].indexOf('length_px')]])).toEqual([
      ['30', '30'], ['', '30'], ['20', '40'], ['25', '50'], ['25', '50'], ['30', '60'],
    ]);
  });

  it('optionally writes one SWC per neuron in µm, skipping the uncalibrated image', async () => {
    const swcOut = join(out, 'swc-run');
    const r = await exportProject(root, swcOut, { appVersion: '9.9.9', now: NOW, includeSwc: true });
    expect(r.swcFiles).toBe(3);
    expect((await readdir(join(swcOut, 'swc'))).sort()).toEqual(['img-0001_1.swc', 'img-0003_1.swc', 'img-0003_9.swc']);
    expect(r.warnings.at(-1)).toBe('No SWC written for 1 uncalibrated image (SWC is in µm): DRUG/drug_02.tif.');
    const rows = (await readFile(join(swcOut, 'swc', 'img-0003_9.swc'), 'utf8')).split('\n').filter((l) => l && !l.startsWith('#'));
    // line at 0.5 µm/px, from pixel centres: soma (60,10) px → (29.75,4.75) µm, nodes (60,20) → (29.75,9.75), (60,80)
    // → (29.75,39.75).
    expect(rows).toEqual(['1 1 29.75 4.75 0 0 -1', '2 3 29.75 9.75 0 0 1', '3 3 29.75 39.75 0 0 2']);
  });

  it('cancelling leaves no partial files and keeps an earlier export intact', async () => {
    const target = join(out, 'cancel');
    await mkdir(target, { recursive: true });
    await writeFile(join(target, 'neurons.csv'), 'earlier export\r\n');
    const ctl = new AbortController();
    const seen: Array<[number, number]> = [];
    await expect(
      exportProject(root, target, {
        appVersion: '9.9.9',
        onProgress: (d, t) => {
          seen.push([d, t]);
          if (d === 2) ctl.abort();
        },
        signal: ctl.signal,
      }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([[1, 15], [2, 15]]);
    expect(await readdir(target)).toEqual(['neurons.csv']);
    expect(await readFile(join(target, 'neurons.csv'), 'utf8')).toBe('earlier export\r\n');

    // Cancelling while files are being written (after all images) also leaves nothing behind.
    const late = new AbortController();
    await expect(
      exportProject(root, join(out, 'late'), { appVersion: '9.9.9', signal: late.signal, onProgress: (d) => d === 8 && late.abort() }),
    ).rejects.toMatchObject({ code: 'cancelled' });
    expect(await readdir(join(out, 'late'))).toEqual([]);
  });

  it('an output folder that cannot be made is named in the message, and nothing is written', async () => {
    await writeFile(join(out, 'a-file'), 'not a folder');
    await expect(exportProject(root, join(out, 'a-file', 'results'), { appVersion: '9.9.9' })).rejects.toMatchObject({
      code: 'folder-missing',
      message: `Could not save neurons.csv: ${join(out, 'a-file')} is a file, not a folder.`,
    });
    expect(await readFile(join(out, 'a-file'), 'utf8')).toBe('not a folder');
  });

  it('leaves out excluded images and reports unreadable annotations', async () => {
    const rel = project.images[0].annotation!;
    await writeFile(join(root, ...rel.split('/')), '{"format":"ramify-annotation","version":1}');
    const r = await exportProject(root, join(out, 'broken'), { appVersion: '9.9.9', project });
    expect(r.neurons).toBe(3);
    expect(r.warnings[0]).toContain(`DRUG/drug_01.tif: annotations not exported (${rel}: `);
  });
});

describe('project export of an image whose pixel size is only a print resolution', () => {
  it('warns that its lengths in µm are not a microscope’s, naming the image and its dpi', async () => {
    const dir = await makeProjectFolder();
    const target = await mkdtemp(join(tmpdir(), 'ramify-export-dpi-'));
    try {
      let p = (await createProjectFromFolder(dir, { conditions: 'subfolder', name: 'Print', now: NOW })).project;
      const print = { pixelWidth: 25400 / 72, pixelHeight: 25400 / 72, unit: 'µm', source: 'resolution' } as const;
      p = await saveImageAnnotation(dir, p, 'img-0003', annotationFor(lineDocument(print)), NOW);
      p = await saveImageAnnotation(dir, p, 'img-0004', annotationFor(lineDocument(CAL_HALF)), NOW);
      const r = await exportProject(dir, target, { appVersion: '9.9.9', project: p });
      expect(r.warnings[0]).toBe(
        "1 image has only a print resolution for its pixel size (from TIFF resolution tags, as image editors save), so its lengths in µm are not a microscope's; set the calibration: VEH/veh_01.tif (72 dpi).",
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(target, { recursive: true, force: true });
    }
  });
});
