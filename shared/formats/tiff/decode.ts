import { RamifyError } from '../../result';
import { tiffCalibration } from '../../image/calibration';
import { parseImagejDescription } from '../../image/imagej';
import { imagejBlocks, imagejDisplay } from '../../image/imagej-metadata';
import { metaSeriesIllumination, metaSeriesPixelSize } from '../../image/metaseries';
import { omePlaneCoords, parseOmeXml, type OmePixels } from '../../image/ome';
import { metaMorphStack, otherFormatError } from '../../image/other-formats';
import { pageStats } from '../../image/stats';
import type { DecodedImage, ImageInfo, PixelArray } from '../../image/types';
import { containerBytes } from './samples';
import { checkPlausibleSize, decodePageWithStats, type InflateFn } from './decode-page';
import { type Ifd, type TiffStructure, parseTiffStructure, rationalDenominator, tagNumber, tagNumbers, tagString } from './ifd';
import { type LsmInfo, readLsmInfo } from './lsm';
import { type PageLayout, readPageLayout, sameShape } from './page';
import { Tag } from './tags';

/** Limits and hooks for decoding; the defaults suit a desktop app. */
export interface DecodeOptions {
  /** Called with the fraction done (0..1) as strips/tiles complete, at most about every 1%. */
  onProgress?: (fraction: number) => void;
  /** Most samples (pixels × samples per pixel × pages) to decode. */
  maxPixels?: number;
  /**
   * Deflate implementation for TIFF strips. Defaults to fflate (pure JS, runs anywhere); Node callers pass native
   * zlib (electron/services/image-file.ts does), which is about 2.5× faster on large Deflate files.
   */
  inflate?: InflateFn;
  /**
   * Gather per-page min/max/sum (default true; `ramify inspect` reports them). The viewer computes its own
   * histograms per plane and passes false, which saves a pass over every sample; pageStats is then empty.
   */
  stats?: boolean;
}

export const DEFAULT_MAX_SAMPLES = 1.5e9;
/** Decoded data above this cannot be held in one JS engine's memory reliably. */
export const MAX_DECODED_BYTES = 4 * 1024 ** 3;

/** Everything cheap to learn from a TIFF's header and tags: shape, type, calibration. No pixel data is read. */
export interface TiffHeader {
  structure: TiffStructure;
  /** The pages that form the image, in file order. */
  pages: PageLayout[];
  info: ImageInfo;
  /** For each decoded plane index, where its samples come from: pages[page], sample s. */
  planeSource: Array<{ page: number; sample: number }>;
}

export function readTiffHeader(bytes: Uint8Array, opts: DecodeOptions = {}): TiffHeader {
  return tiffHeaderOf(parseTiffStructure(bytes), opts);
}

/** readTiffHeader of an already parsed structure (e.g. one read by byte ranges). */
export function tiffHeaderOf(structure: TiffStructure, opts: DecodeOptions = {}): TiffHeader {
  const first = structure.ifds[0];
  // A MetaMorph STK stack keeps its planes after the first where no TIFF directory points (its UIC2 record lists
  // them): read as a TIFF it would be its first plane alone, silently.
  if ((first.entries.get(Tag.Uic2)?.count ?? 0) > 1) throw otherFormatError(metaMorphStack());
  const description = tagString(structure, first, Tag.ImageDescription) ?? '';
  const imagej = parseImagejDescription(description);
  const ome = imagej ? null : parseOmeXml(description);
  const lsm = imagej || ome ? null : readLsmInfo(structure, first);
  const metaSeries = imagej || ome ? null : metaSeriesPixelSize(description);

  // Reduced-resolution copies (thumbnails, pyramid levels) are not part of the image.
  const candidates = structure.ifds.filter((ifd, i) => i === 0 || (tagNumber(structure, ifd, Tag.NewSubfileType, 0) & 1) === 0);
  const firstLayout = readPageLayout(structure, candidates[0], 0);
  const spp = firstLayout.samplesPerPixel;
  let wanted = Infinity;
  if (ome) wanted = Math.max(1, Math.round(ome.sizeC / Math.max(1, spp === ome.samplesPerPixel ? spp : 1))) * ome.sizeZ * ome.sizeT;
  else if (imagej && Number(imagej.get('images')) >= 1) wanted = Number(imagej.get('images'));
  else if (lsm) wanted = lsm.sizeZ * lsm.sizeT;
  const pages: PageLayout[] = [firstLayout];
  for (let i = 1; i < candidates.length && pages.length < wanted; i++) {
    const layout = readPageLayout(structure, candidates[i], i);
    if (!sameShape(firstLayout, layout)) break; // another series or a differently sized page: not part of this image
    pages.push(layout);
  }

  const maxSamples = opts.maxPixels ?? DEFAULT_MAX_SAMPLES;
  const samples = firstLayout.width * firstLayout.height * spp * pages.length;
  const decodedBytes = samples * containerBytes(firstLayout.bitsPerSample, firstLayout.sampleFormat);
  if (samples > maxSamples || decodedBytes > MAX_DECODED_BYTES) {
    throw new RamifyError('too-large', `The image is too large to open: ${firstLayout.width}×${firstLayout.height} pixels × ${spp} samples × ${pages.length} pages (${(decodedBytes / 1024 ** 3).toFixed(1)} GiB decoded; limit ${(Math.min(maxSamples * containerBytes(firstLayout.bitsPerSample, firstLayout.sampleFormat), MAX_DECODED_BYTES) / 1024 ** 3).toFixed(1)} GiB).`);
  }

  const kept = samplesShown(structure, first, firstLayout);
  const dims = resolveDimensions(pages.length, kept, imagej, ome, lsm);
  const xr = tagNumbers(structure, first, Tag.XResolution)?.[0];
  const yr = tagNumbers(structure, first, Tag.YResolution)?.[0];
  const info: ImageInfo = {
    format: 'tiff',
    width: firstLayout.width,
    height: firstLayout.height,
    pages: pages.length,
    channels: dims.channels,
    slices: dims.slices,
    frames: dims.frames,
    bitsPerSample: firstLayout.bitsPerSample,
    sampleFormat: firstLayout.sampleFormat,
    // An LSM's samples are the microscope's channels, each its own dye: no colour picture.
    samplesPerPixel: lsm ? 1 : kept.length,
    calibration: tiffCalibration({
      imagej,
      ome,
      lsm: lsm?.voxel,
      metaSeries,
      xResolution: xr,
      yResolution: yr,
      xResolutionDenominator: rationalDenominator(structure, first, Tag.XResolution),
      yResolutionDenominator: rationalDenominator(structure, first, Tag.YResolution),
      resolutionUnit: tagNumber(structure, first, Tag.ResolutionUnit, 1),
    }),
  };
  if (firstLayout.photometric === 3 && firstLayout.colorMap && firstLayout.colorMap.length === 3 * 2 ** firstLayout.bitsPerSample) info.palette = Uint16Array.from(firstLayout.colorMap);
  if (firstLayout.photometric === 0) info.invertedLut = true;
  const dmin = Number(imagej?.get('min'));
  const dmax = Number(imagej?.get('max'));
  if (imagej?.has('min') && imagej.has('max') && Number.isFinite(dmin) && Number.isFinite(dmax) && dmax > dmin) info.displayRanges = [{ min: dmin, max: dmax }];
  const fileColors = lsm?.colors ?? ome?.colors;
  if (fileColors?.length === dims.channels) info.channelColors = fileColors;
  if (ome?.names?.length === dims.channels) info.channelNames = ome.names;
  // An ImageXpress wavelength is one channel per file, named by the illumination it was taken with.
  const illumination = imagej || ome || dims.channels !== 1 ? null : metaSeriesIllumination(description);
  if (illumination) info.channelNames = [illumination];
  if (imagej) {
    // A composite saved by ImageJ keeps every channel's range and colour in its own metadata, as Fiji shows it.
    const saved = imagejDisplay(imagejBlocks(structure, first), dims.channels);
    if (saved.ranges) info.displayRanges = saved.ranges;
    if (saved.colors) info.channelColors = saved.colors;
  }
  return { structure, pages, info, planeSource: dims.planeSource };
}

/**
 * The samples of each pixel that hold the image: all but an alpha sample (ExtraSamples 1 or 2) after the colour or
 * grey samples, as PNG's alpha is dropped. An alpha is the opacity a screenshot or a graphics program wrote (usually
 * 255 throughout), no channel of the specimen; unspecified extra samples (0) are data and are kept.
 */
function samplesShown(structure: TiffStructure, ifd: Ifd, layout: PageLayout): number[] {
  const spp = layout.samplesPerPixel;
  const all = Array.from({ length: spp }, (_, s) => s);
  const colourSamples = layout.photometric === 2 ? 3 : 1;
  const extra = tagNumbers(structure, ifd, Tag.ExtraSamples);
  if (!extra || spp <= colourSamples || layout.photometric > 3) return all;
  return all.filter((s) => s < colourSamples || (extra[s - colourSamples] !== 1 && extra[s - colourSamples] !== 2));
}

/** Maps pages × kept samples onto channels, z-slices and time points (ImageJ order, then OME, LSM, else pages = z). */
function resolveDimensions(pageCount: number, samples: number[], imagej: Map<string, string> | null, ome: OmePixels | null, lsm: LsmInfo | null) {
  const planeSource: Array<{ page: number; sample: number }> = [];
  const spp = samples.length;
  const int = (s: string | undefined) => (s !== undefined && Number.isInteger(Number(s)) && Number(s) >= 1 ? Number(s) : 1);
  if (imagej) {
    const c = int(imagej.get('channels'));
    const z = int(imagej.get('slices'));
    const t = int(imagej.get('frames'));
    if (c * z * t === pageCount) {
      // ImageJ stores c fastest, then z, then t: the page index is already the plane index (times samples).
      for (let p = 0; p < pageCount; p++) for (const s of samples) planeSource.push({ page: p, sample: s });
      return spp > 1 && c === 1 ? { channels: spp, slices: z, frames: t, planeSource } : { channels: c * spp, slices: z, frames: t, planeSource };
    }
  }
  if (ome) {
    const pageChannels = spp > 1 && ome.sizeC % spp === 0 ? ome.sizeC / spp : ome.sizeC;
    const sizes = { c: pageChannels, z: ome.sizeZ, t: ome.sizeT };
    if (pageChannels * ome.sizeZ * ome.sizeT === pageCount) {
      const channels = pageChannels * spp;
      const byPlane = new Array<{ page: number; sample: number }>(pageCount * spp);
      for (let p = 0; p < pageCount; p++) {
        const td = ome.tiffData?.find((d) => d.ifd === p);
        const { c, z, t } = td ?? omePlaneCoords(ome.dimensionOrder, p, sizes);
        samples.forEach((s, k) => (byPlane[c * spp + k + channels * (z + ome.sizeZ * t)] = { page: p, sample: s }));
      }
      if (byPlane.every(Boolean) && byPlane.length === pageCount * spp) return { channels, slices: ome.sizeZ, frames: ome.sizeT, planeSource: byPlane };
    }
  }
  for (let p = 0; p < pageCount; p++) for (const s of samples) planeSource.push({ page: p, sample: s });
  // An LSM's pages run through z, then t: the plane order already, only the time points are told apart.
  if (lsm && lsm.sizeZ * lsm.sizeT === pageCount) return { channels: spp, slices: lsm.sizeZ, frames: lsm.sizeT, planeSource };
  return { channels: spp, slices: pageCount, frames: 1, planeSource };
}

/** Decodes a TIFF or BigTIFF into single-sample planes in hyperstack order, with per-page statistics. */
export function decodeTiff(bytes: Uint8Array, opts: DecodeOptions = {}): DecodedImage {
  const header = readTiffHeader(bytes, opts);
  const { structure, pages, info } = header;
  for (const p of pages) checkPlausibleSize(structure, p);
  const totalBlocks = pages.reduce((n, p) => n + p.blocksAcross * p.blocksDown * (p.planar ? p.samplesPerPixel : 1), 0);
  let done = 0;
  let reported = 0;
  const onBlock = opts.onProgress
    ? () => {
        done++;
        const f = done / totalBlocks;
        if (f - reported >= 0.01 || done === totalBlocks) {
          reported = f;
          opts.onProgress?.(f);
        }
      }
    : undefined;
  const pagePlanes: PixelArray[][] = [];
  const stats = [];
  for (let i = 0; i < pages.length; i++) {
    const withStats = opts.stats !== false;
    const { planes, stats: partial } = decodePageWithStats(structure, pages[i], onBlock, opts.inflate, withStats);
    pagePlanes.push(planes);
    if (withStats) stats.push(partial ? { page: i, ...partial } : pageStats(i, planes));
  }
  const planes = header.planeSource.map(({ page, sample }) => pagePlanes[page][sample]);
  return { info, planes, pageStats: stats };
}
