import { loadImageFile, nativeInflate } from '../../services/image-file';
import { openFileSource } from '../../services/file-source';
import { parseArgs, type CliCommand } from '../io';
import { RamifyError, toAppError } from '../../../shared/result';
import { isTiff } from '../../../shared/formats/tiff/ifd';
import { NOT_STREAMABLE } from '../../../shared/formats/tiff/band-reader';
import { streamTiffStats } from '../../../shared/formats/tiff/stream-stats';
import { printResolutionDpi } from '../../../shared/image/calibration';
import { CALIBRATION_SOURCES, type Calibration, type ImageInfo, type PageStats } from '../../../shared/image/types';

/** The JSON `ramify inspect --json` prints; field names are part of the CLI's contract. */
export interface InspectReport {
  file: string;
  format: 'tiff' | 'png' | 'jpeg';
  width: number;
  height: number;
  pages: number;
  channels: number;
  /** Each channel's name as the file gives it (OME-XML's, an ImageXpress wavelength's illumination), else null. */
  channelNames: string[] | null;
  slices: number;
  frames: number;
  bitsPerSample: number;
  sampleFormat: 'uint' | 'int' | 'float';
  calibration: Pick<Calibration, 'pixelWidth' | 'pixelHeight' | 'unit' | 'source'> | null;
  planes: Array<{ page: number; min: number; max: number; sum: number }>;
  timings: { readMs: number; decodeMs: number };
}

export function inspectReport(file: string, image: { info: ImageInfo; pageStats: PageStats[] }, timings: { readMs: number; decodeMs: number }): InspectReport {
  const i = image.info;
  const c = i.calibration;
  return {
    file,
    format: i.format,
    width: i.width,
    height: i.height,
    pages: i.pages,
    channels: i.channels,
    channelNames: i.channelNames?.length === i.channels ? i.channelNames : null,
    slices: i.slices,
    frames: i.frames,
    bitsPerSample: i.bitsPerSample,
    sampleFormat: i.sampleFormat,
    calibration: c ? { pixelWidth: c.pixelWidth, pixelHeight: c.pixelHeight, unit: c.unit, source: c.source } : null,
    planes: image.pageStats.map((s) => ({ page: s.page, min: s.min, max: s.max, sum: s.sum })),
    timings: { readMs: round(timings.readMs), decodeMs: round(timings.decodeMs) },
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The report as aligned "key: value" lines for a person. */
export function formatInspectReport(r: InspectReport): string {
  const dpi = printResolutionDpi(r.calibration);
  const print = dpi !== null ? `: a print resolution (${dpi} dpi), not a microscope's` : '';
  const cal = r.calibration
    ? `${fmt(r.calibration.pixelWidth)} × ${fmt(r.calibration.pixelHeight)} µm per pixel (from ${CALIBRATION_SOURCES[r.calibration.source]}${print})`
    : 'uncalibrated (pixel sizes unknown; lengths will be in pixels)';
  const rows: Array<[string, string]> = [
    ['file', r.file],
    ['format', r.format],
    ['size', `${r.width} × ${r.height} pixels`],
    ['pages', String(r.pages)],
    ['channels', r.channelNames ? `${r.channels}: ${r.channelNames.map((n, c) => `${c + 1} ${n}`).join(', ')}` : String(r.channels)],
    ['slices', String(r.slices)],
    ['frames', String(r.frames)],
    ['bit depth', `${r.bitsPerSample}-bit ${r.sampleFormat}`],
    ['calibration', cal],
  ];
  r.planes.forEach((p, k) => rows.push([k === 0 ? 'planes' : '', `page ${p.page + 1}: min ${fmt(p.min)}, max ${fmt(p.max)}, sum ${fmt(p.sum)}`]));
  rows.push(['timings', `read ${r.timings.readMs.toFixed(1)} ms, decode ${r.timings.decodeMs.toFixed(1)} ms`]);
  const w = Math.max(...rows.map(([k]) => k.length)) + 1;
  return rows.map(([k, v]) => `${(k ? k + ':' : '').padEnd(w)} ${v}`).join('\n') + '\n';
}

const USAGE = `Usage: ramify inspect FILE [--json]
  Prints the image's dimensions, bit depth, calibration and per-page min/max/sum (TIFF, PNG or JPEG).
`;

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6))));

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['json', 'help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(USAGE);
    return 1;
  }
  const file = positionals[0];
  let loaded;
  try {
    loaded = (await inspectStreamed(file)) ?? (await loadImageFile(file));
  } catch (e) {
    io.stderr(`ramify inspect: cannot read ${file}: ${oneLine(toAppError(e).message)}\n`);
    return 2;
  }
  const report = inspectReport(file, loaded.image, loaded);
  io.stdout(options.has('json') ? JSON.stringify(report, null, 2) + '\n' : formatInspectReport(report));
  return 0;
};

/**
 * A TIFF's report read a band at a time (memory: its tags and a few bands, however large the image), or null for
 * files the whole-file decoder reads (PNG, JPEG, old-style JPEG TIFFs, anything that is not a regular file).
 */
async function inspectStreamed(file: string): Promise<{ image: { info: ImageInfo; pageStats: PageStats[] }; readMs: number; decodeMs: number } | null> {
  const t0 = performance.now();
  let source;
  try {
    source = await openFileSource(file);
  } catch {
    return null; // loadImageFile names what is wrong with the path
  }
  try {
    if (source.size < 8 || !isTiff(await source.read(0, 4))) return null;
    const t1 = performance.now();
    const image = await streamTiffStats(source, { inflate: nativeInflate });
    return { image, readMs: t1 - t0, decodeMs: performance.now() - t1 };
  } catch (e) {
    if (e instanceof RamifyError && e.code === NOT_STREAMABLE) return null;
    throw e;
  } finally {
    await source.close();
  }
}

/** Error text as one line without a trailing full stop (the CLI line supplies its own context). */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
