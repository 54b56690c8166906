import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeTiff } from '../../../shared/formats/tiff/encode';
import { decodeImage } from '../../../shared/image/decode';
import { mergeChannels } from '../../../shared/image/merge-channels';
import { metaSeriesIllumination } from '../../../shared/image/metaseries';
import type { DecodedImage } from '../../../shared/image/types';
import { isAcquisitionFolder, wavelengthSets, wavelengthSetsNote } from '../../../shared/image/wavelength-sets';
import { mergePlateWavelengths } from '../../../electron/services/merge-wavelengths';
import { plateMergeReport } from '../../fixtures/tiff/metaseries/plate-report';
import { ramify } from '../run-cli';

const FIXTURES = resolve(__dirname, '../../fixtures/tiff/metaseries');
/** tifffile's reading of the plate's files and of the merged images (make-plate.py). */
const REFERENCE = JSON.parse(await readFile(join(FIXTURES, 'plate-reference.json'), 'utf8')) as {
  sources: Record<string, { illumination: string; sum: number }>;
  merged: Record<string, { shape: number[]; dtype: string; channelNames: string[]; physicalSize: number[]; sums: number[] }>;
};
const GUID = '3F2A1C4E-9B7D-4E21-8C55-0A1B2C3D4E5F';

describe('wavelengthSets: an ImageXpress plate’s files grouped by site', () => {
  it('groups a site’s wavelengths in order, with or without GUIDs, per folder; leaves one-wavelength and doubled sites alone', () => {
    const { sets, leftAlone } = wavelengthSets([
      `TimePoint_1/Plate1_A01_s1_w2${GUID}.tif`,
      `TimePoint_1/Plate1_A01_s1_w1${GUID}.TIF`,
      'TimePoint_1/Plate1_A01_s10_w1.tif',
      'TimePoint_1/Plate1_A01_s10_w10.tiff',
      'TimePoint_2/Plate1_A01_s1_w1.tif',
      'TimePoint_2/Plate1_A01_s1_w2.tif',
      'Plate1_B03_w1.tif',
      'Plate1_C01_s1_w1.tif',
      'Plate1_C01_s1_w1' + GUID + '.tif',
      'Plate1_C01_s1_w2.tif',
      'vehicle/cell_01.tif',
      'week_w2.png',
    ]);
    expect(sets).toEqual([
      { name: 'TimePoint_1/Plate1_A01_s1.tif', files: [{ path: `TimePoint_1/Plate1_A01_s1_w1${GUID}.TIF`, wavelength: 1 }, { path: `TimePoint_1/Plate1_A01_s1_w2${GUID}.tif`, wavelength: 2 }] },
      { name: 'TimePoint_1/Plate1_A01_s10.tif', files: [{ path: 'TimePoint_1/Plate1_A01_s10_w1.tif', wavelength: 1 }, { path: 'TimePoint_1/Plate1_A01_s10_w10.tiff', wavelength: 10 }] },
      { name: 'TimePoint_2/Plate1_A01_s1.tif', files: [{ path: 'TimePoint_2/Plate1_A01_s1_w1.tif', wavelength: 1 }, { path: 'TimePoint_2/Plate1_A01_s1_w2.tif', wavelength: 2 }] },
    ]);
    expect(leftAlone).toEqual([
      { path: 'Plate1_B03_w1.tif', why: 'the only wavelength of site Plate1_B03' },
      { path: 'Plate1_C01_s1_w1.tif', why: 'site Plate1_C01_s1 has more than one file of w1' },
      { path: `Plate1_C01_s1_w1${GUID}.tif`, why: 'site Plate1_C01_s1 has more than one file of w1' },
      { path: 'Plate1_C01_s1_w2.tif', why: 'site Plate1_C01_s1 has more than one file of w1' },
    ]);
    expect(wavelengthSetsNote(sets, `merge them first (ramify merge-wavelengths "plate" --out MERGED) and make the project of MERGED.`)).toBe(
      '6 files are the wavelengths of 3 ImageXpress sites (w1, w2, w10), one file each: each becomes an image of its own, its nuclei apart from its dendrites. To trace each site with all its channels, merge them first (ramify merge-wavelengths "plate" --out MERGED) and make the project of MERGED.',
    );
    expect(wavelengthSetsNote([], "merge them.")).toBeNull();
  });

  it('knows the folders MetaXpress makes for a time point or a focal plane from a condition’s', () => {
    expect(['TimePoint_1', 'timepoint_12', 'ZStep_3', 'vehicle', 'TimePoint', 'TimePoint_1_ketamine'].map(isAcquisitionFolder)).toEqual([true, true, true, false, false, false]);
  });
});

describe('a MetaXpress wavelength file names its channel by the illumination it was taken with', () => {
  it('reads _IllumSetting_ (XML entities undone), as tifffile does; nothing from other descriptions', async () => {
    for (const [file, ref] of Object.entries(REFERENCE.sources)) {
      const image = decodeImage(new Uint8Array(await readFile(join(FIXTURES, 'plate', file))));
      expect({ file, names: image.info.channelNames }).toEqual({ file, names: ref.illumination ? [ref.illumination] : undefined });
      expect(image.pageStats[0].sum).toBe(ref.sum);
    }
    expect(metaSeriesIllumination('<MetaData><prop id="_IllumSetting_" type="string" value="  "/></MetaData>')).toBeNull();
    expect(metaSeriesIllumination('ImageJ=1.54f\n')).toBeNull();
    expect(metaSeriesIllumination('<MetaData><prop id="_IllumSetting_" type="string" value="Cy5 &#38; &lt;far&gt;"/></MetaData>')).toBe('Cy5 & <far>');
  });
});

const plane = (width: number, height: number, values: number[], bits: 8 | 16 = 16): DecodedImage =>
  decodeImage(encodeTiff({ width, height, planes: [bits === 16 ? Uint16Array.from(values) : Uint8Array.from(values)], bitsPerSample: bits, sampleFormat: 'uint', compression: 'none' }));

describe('mergeChannels: one field’s single-plane images as the channels of one image', () => {
  it('keeps every value, in order, and names each channel (its fallback when the file names none)', () => {
    const a = plane(3, 2, [1, 2, 3, 4, 5, 65535]);
    const b = plane(3, 2, [60, 50, 40, 30, 20, 10]);
    const merged = mergeChannels([{ image: a, file: 'a_w1.tif', fallbackName: 'w1' }, { image: b, file: 'a_w2.tif', fallbackName: 'w2' }], 'a');
    expect(merged.names).toEqual(['w1', 'w2']);
    expect(merged.calibration).toBeNull();
    const back = decodeImage(merged.bytes);
    expect(back.info).toMatchObject({ width: 3, height: 2, channels: 2, slices: 1, frames: 1, bitsPerSample: 16, channelNames: ['w1', 'w2'], calibration: null });
    expect(back.planes.map((p) => Array.from(p))).toEqual([[1, 2, 3, 4, 5, 65535], [60, 50, 40, 30, 20, 10]]);
  });

  it('refuses images of other sizes, other sample types, several planes or other pixel sizes, naming the files', () => {
    const a = plane(3, 2, [1, 2, 3, 4, 5, 6]);
    const merge = (b: DecodedImage) => () => mergeChannels([{ image: a, file: 'a_w1.tif', fallbackName: 'w1' }, { image: b, file: 'a_w2.tif', fallbackName: 'w2' }], 'a');
    expect(merge(plane(2, 3, [1, 2, 3, 4, 5, 6]))).toThrow("a_w2.tif is 2×3 px, a_w1.tif 3×2: a site's wavelengths are one size.");
    expect(merge(plane(3, 2, [1, 2, 3, 4, 5, 6], 8))).toThrow('a_w2.tif holds 8-bit uint samples, a_w1.tif 16-bit uint: merging would convert one of them.');
    const two = decodeImage(encodeTiff({ width: 3, height: 2, planes: [new Uint16Array(6), new Uint16Array(6)], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none' }));
    expect(merge(two)).toThrow('a_w2.tif holds 2 planes; only single-plane, single-channel images are merged.');
    const calibrated = (um: number): DecodedImage => ({ ...a, info: { ...a.info, calibration: { pixelWidth: um, pixelHeight: um, unit: 'µm', source: 'metamorph' } } });
    expect(() => mergeChannels([{ image: calibrated(0.65), file: 'a_w1.tif', fallbackName: 'w1' }, { image: calibrated(1.3), file: 'a_w2.tif', fallbackName: 'w2' }], 'a')).toThrow(
      "a_w2.tif has 1.3 × 1.3 µm per px, a_w1.tif 0.65 × 0.65: a site's wavelengths share one pixel size.",
    );
    // One of them calibrated: the merged image takes its pixel size.
    expect(decodeImage(mergeChannels([{ image: a, file: 'a_w1.tif', fallbackName: 'w1' }, { image: calibrated(0.65), file: 'a_w2.tif', fallbackName: 'w2' }], 'a').bytes).info.calibration).toMatchObject({ pixelWidth: 0.65, pixelHeight: 0.65 });
  });
});

describe('ramify merge-wavelengths', () => {
  let work: string;
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'ramify-merge-'));
    await cp(join(FIXTURES, 'plate'), join(work, 'plate'), { recursive: true });
  });
  afterEach(() => rm(work, { recursive: true, force: true }));

  it('merges each site as tifffile reads the result, says what it left alone and what failed (exit 2), and never writes over an image', async () => {
    const plate = join(work, 'plate');
    const out = join(work, 'merged');
    const r = await ramify('merge-wavelengths', plate, '--out', out);
    expect(r.err).toBe('');
    expect(r.code).toBe(2);
    expect(r.out).toBe([...plateMergeReport(out), `Next: ramify project init ${out}`, ''].join('\n'));
    for (const [name, ref] of Object.entries(REFERENCE.merged)) {
      const image = decodeImage(new Uint8Array(await readFile(join(out, name))));
      expect({ name, shape: [image.info.channels, image.info.height, image.info.width], bits: image.info.bitsPerSample, names: image.info.channelNames, um: [image.info.calibration?.pixelWidth, image.info.calibration?.pixelHeight], sums: image.pageStats.map((p) => p.sum) }).toEqual({
        name,
        shape: ref.shape,
        bits: 16,
        names: ref.channelNames,
        um: ref.physicalSize,
        sums: ref.sums,
      });
    }
    // The thumbnail is no wavelength; the failed site writes nothing.
    await expect(stat(join(out, 'TimePoint_1/Plate1_B02_s1.tif'))).rejects.toThrow();
    // Run again over an image traced since (its file replaced here by other bytes): left as it is.
    const kept = join(out, 'TimePoint_1/Plate1_A01_s1.tif');
    await writeFile(kept, 'traced beside');
    const again = await ramify('merge-wavelengths', plate, '--out', out, '--json');
    const json = JSON.parse(again.out);
    expect(json.merged).toEqual([]);
    expect(json.kept).toEqual(['TimePoint_1/Plate1_A01_s1.tif', 'TimePoint_1/Plate1_A01_s2.tif']);
    expect(json.failed).toHaveLength(1);
    expect(await readFile(kept, 'utf8')).toBe('traced beside');
  });

  it('its Next line names a folder with a space or a quote as one word of the shell', async () => {
    const out = join(work, "it's merged");
    const r = await ramify('merge-wavelengths', join(work, 'plate'), '--out', out);
    expect(r.out.trimEnd().split('\n').at(-1)).toBe(`Next: ramify project init '${out.replace("'", "'\\''")}'`);
  });

  it('reports progress per site, and stops between sites when aborted: the images written stay, whole', async () => {
    const out = join(work, 'merged');
    const abort = new AbortController();
    const progress: Array<[number, number]> = [];
    const run = mergePlateWavelengths(join(work, 'plate'), out, {
      signal: abort.signal,
      onProgress: (done, total) => {
        progress.push([done, total]);
        if (done === 1) abort.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled', message: `Merging stopped after 1 site; the images written stay in ${out}.` });
    expect(progress).toEqual([[0, 3], [1, 3]]);
    const first = decodeImage(new Uint8Array(await readFile(join(out, 'TimePoint_1/Plate1_A01_s1.tif'))));
    expect(first.pageStats.map((p) => p.sum)).toEqual(REFERENCE.merged['TimePoint_1/Plate1_A01_s1.tif'].sums);
    await expect(stat(join(out, 'TimePoint_1/Plate1_A01_s2.tif'))).rejects.toThrow();
  });

  it('a folder without wavelength files, a missing one, or no --out: exit 1 or 2 with one line saying why', async () => {
    const none = await ramify('merge-wavelengths', join(FIXTURES, '..', 'ome-colours'), '--out', join(work, 'x'));
    expect(none).toMatchObject({ code: 1, out: '' });
    expect(none.err).toMatch(/^ramify merge-wavelengths: no site of .*ome-colours has two or more wavelength files \(NAME_w1\.tif, NAME_w2\.tif\)\.\n$/);
    const missing = await ramify('merge-wavelengths', join(work, 'nowhere'), '--out', join(work, 'x'));
    expect(missing).toMatchObject({ code: 2, out: '', err: `ramify merge-wavelengths: cannot read ${join(work, 'nowhere')}: no such file or folder.\n` });
    const file = await ramify('merge-wavelengths', join(FIXTURES, 'metamorph-um.tif'), '--out', join(work, 'x'));
    expect(file.code).toBe(2);
    expect(file.err).toMatch(/metamorph-um\.tif: it is a file, not a plate folder\.\n$/);
    const into = await ramify('merge-wavelengths', join(work, 'plate'), '--out', join(work, 'plate', '.'));
    expect(into).toMatchObject({ code: 1, out: '', err: 'ramify merge-wavelengths: The merged images go into another folder than the plate’s own: there each site would be both its wavelengths and its merged image.\n' });
    const noOut = await ramify('merge-wavelengths', join(work, 'plate'));
    expect(noOut.code).toBe(1);
    expect(noOut.err).toMatch(/^ramify merge-wavelengths: --out FOLDER is needed\.\nUsage: ramify merge-wavelengths /);
  });

  it('project init on the plate itself says each wavelength becomes an image of its own, and how to merge them', async () => {
    const r = await ramify('project', 'init', join(work, 'plate'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('Created project "plate" with 8 images.');
    expect(r.out).toContain(`warning: 7 files are the wavelengths of 3 ImageXpress sites (w1, w2, w3), one file each: each becomes an image of its own, its nuclei apart from its dendrites. To trace each site with all its channels, merge them first (ramify merge-wavelengths "${join(work, 'plate')}" --out MERGED) and make the project of MERGED.`);
  });
});
