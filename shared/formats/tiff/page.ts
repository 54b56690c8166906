import { RamifyError } from '../../result';
import type { SampleFormat } from '../../image/types';
import { type Ifd, type TiffStructure, tagNumber, tagNumbers } from './ifd';
import { COMPRESSION_NAMES, Tag } from './tags';
import { jpegHasScan } from '../jpeg';

/** Everything needed to decode one page, validated; sizes are in bytes unless named otherwise. */
export interface PageLayout {
  index: number;
  width: number;
  height: number;
  bitsPerSample: number;
  sampleFormat: SampleFormat;
  samplesPerPixel: number;
  compression: number;
  predictor: number;
  /** true: PlanarConfiguration 2 (one block series per sample); false: samples interleaved per pixel. */
  planar: boolean;
  photometric: number;
  /** Strip or tile geometry: blocks of blockWidth × blockHeight pixels. Strips have blockWidth = width. */
  tiled: boolean;
  blockWidth: number;
  blockHeight: number;
  blocksAcross: number;
  blocksDown: number;
  offsets: number[];
  byteCounts: number[];
  colorMap?: number[];
  newSubfileType: number;
  /** JPEG compression: the JPEGTables tag's bytes (a copy, so it can be posted to a worker without the file). */
  jpegTables?: Uint8Array;
}

/** Compression codes this decoder handles. */
export const SUPPORTED_COMPRESSIONS = new Set([1, 5, 6, 7, 8, 32946, 32773, 50000]);

const unsupported = (what: string) => new RamifyError('unsupported', `${what} is not supported — convert the image to an uncompressed, LZW, Deflate or ZSTD TIFF (e.g. in Fiji: File › Save As › Tiff).`);
const corrupt = (page: number, why: string) => new RamifyError('corrupt', `Corrupt TIFF (page ${page + 1}): ${why}.`);

export function compressionName(code: number): string {
  return `${COMPRESSION_NAMES[code] ?? 'unknown'} (${code})`;
}

/** Reads and checks the layout tags of one IFD; throws RamifyError naming what is wrong or unsupported. */
export function readPageLayout(t: TiffStructure, ifd: Ifd, index: number): PageLayout {
  const width = tagNumber(t, ifd, Tag.ImageWidth, 0);
  const height = tagNumber(t, ifd, Tag.ImageLength, 0);
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) throw corrupt(index, `image size ${width}×${height} is invalid`);
  const spp = tagNumber(t, ifd, Tag.SamplesPerPixel, 1);
  if (!Number.isInteger(spp) || spp < 1) throw corrupt(index, `SamplesPerPixel ${spp} is invalid`);
  if (spp > 16) throw unsupported(`A TIFF with ${spp} samples per pixel`);
  const bpsAll = tagNumbers(t, ifd, Tag.BitsPerSample) ?? [1];
  const bitsPerSample = bpsAll[0];
  if (bpsAll.slice(0, spp).some((b) => b !== bitsPerSample)) throw unsupported(`A TIFF with different bit depths per sample (${bpsAll.join(', ')})`);
  if (!Number.isInteger(bitsPerSample) || bitsPerSample < 1 || bitsPerSample > 64) throw corrupt(index, `BitsPerSample ${bitsPerSample} is invalid`);
  const fmtCode = tagNumber(t, ifd, Tag.SampleFormat, 1);
  let sampleFormat: SampleFormat;
  if (fmtCode === 1 || fmtCode === 4) sampleFormat = 'uint';
  else if (fmtCode === 2) sampleFormat = 'int';
  else if (fmtCode === 3) sampleFormat = 'float';
  else if (fmtCode === 5 || fmtCode === 6) throw unsupported('Complex-valued TIFF samples (SampleFormat ' + fmtCode + ')');
  else throw corrupt(index, `SampleFormat ${fmtCode} is invalid`);
  if (sampleFormat === 'float' && bitsPerSample !== 16 && bitsPerSample !== 32 && bitsPerSample !== 64) throw unsupported(`${bitsPerSample}-bit floating-point TIFF samples`);
  if (sampleFormat !== 'float' && bitsPerSample > 32) throw unsupported(`${bitsPerSample}-bit integer TIFF samples`);

  const compression = tagNumber(t, ifd, Tag.Compression, 1);
  if (!SUPPORTED_COMPRESSIONS.has(compression)) throw unsupported(`TIFF compression ${compressionName(compression)}`);
  // Old-style JPEG (6) only in the layout libtiff reads most simply: JPEGInterchangeFormat points at one complete
  // JPEG stream (tables, frame, scan) holding the whole image.
  const oldJpeg = compression === 6 ? oldJpegStream(t, ifd, spp) : null;
  const jpeg = compression === 7 || oldJpeg !== null;
  if (jpeg && bitsPerSample !== 8) throw unsupported(`TIFF with ${bitsPerSample}-bit JPEG compression`);
  if (jpeg && spp !== 1 && spp !== 3) throw unsupported(`JPEG-compressed TIFF with ${spp} samples per pixel`);
  // Lossless predictors do not apply to JPEG data (libtiff ignores the tag there too).
  const predictor = compression === 1 || jpeg ? 1 : tagNumber(t, ifd, Tag.Predictor, 1);
  if (predictor !== 1) {
    if (predictor === 2 && ![8, 16, 32, 64].includes(bitsPerSample)) throw unsupported(`TIFF horizontal predictor with ${bitsPerSample}-bit samples`);
    if (predictor === 3 && sampleFormat !== 'float') throw unsupported('TIFF floating-point predictor on integer samples');
    if (predictor !== 2 && predictor !== 3) throw unsupported(`TIFF predictor ${predictor}`);
  }
  const photometric = tagNumber(t, ifd, Tag.PhotometricInterpretation, spp >= 3 ? 2 : 1);
  // YCbCr inside JPEG data is converted to RGB by the JPEG decoder; stored as raw subsampled samples it is not read.
  const interleaved = tagNumber(t, ifd, Tag.PlanarConfiguration, 1) !== 2;
  if (photometric === 6 && !(jpeg && spp === 3 && interleaved)) throw unsupported('TIFF YCbCr colour (PhotometricInterpretation 6)');
  if (oldJpeg && spp === 3 && (photometric !== 6 || !interleaved)) throw unsupported(`TIFF compression ${compressionName(6)} with PhotometricInterpretation ${photometric}`);
  if (photometric === 32844 || photometric === 32845) throw unsupported('TIFF LogL/LogLuv colour');
  const fillOrder = tagNumber(t, ifd, Tag.FillOrder, 1);
  if (fillOrder === 2 && bitsPerSample < 8) throw unsupported('TIFF with reversed bit order (FillOrder 2)');

  const planar = spp > 1 && !interleaved;
  const tiled = ifd.entries.has(Tag.TileWidth) || ifd.entries.has(Tag.TileOffsets);
  let blockWidth: number;
  let blockHeight: number;
  let offsets: number[] | undefined;
  let byteCounts: number[] | undefined;
  if (tiled) {
    blockWidth = tagNumber(t, ifd, Tag.TileWidth, 0);
    blockHeight = tagNumber(t, ifd, Tag.TileLength, 0);
    if (!Number.isInteger(blockWidth) || !Number.isInteger(blockHeight) || blockWidth < 1 || blockHeight < 1) throw corrupt(index, `tile size ${blockWidth}×${blockHeight} is invalid`);
    offsets = tagNumbers(t, ifd, Tag.TileOffsets);
    byteCounts = tagNumbers(t, ifd, Tag.TileByteCounts);
  } else {
    blockWidth = width;
    const rps = tagNumber(t, ifd, Tag.RowsPerStrip, height);
    blockHeight = Number.isInteger(rps) && rps >= 1 ? Math.min(rps, height) : height;
    offsets = tagNumbers(t, ifd, Tag.StripOffsets);
    byteCounts = tagNumbers(t, ifd, Tag.StripByteCounts);
  }
  const blocksAcross = Math.ceil(width / blockWidth);
  const blocksDown = Math.ceil(height / blockHeight);
  const blocks = blocksAcross * blocksDown * (planar ? spp : 1);
  if (!offsets || offsets.length < blocks) throw corrupt(index, `it lists ${offsets?.length ?? 0} ${tiled ? 'tile' : 'strip'} offsets, expected ${blocks}`);
  if (!byteCounts) {
    if (compression !== 1 || blocks !== 1) throw corrupt(index, `${tiled ? 'TileByteCounts' : 'StripByteCounts'} is missing`);
    byteCounts = [Math.ceil((blockWidth * (planar ? 1 : spp) * bitsPerSample) / 8) * blockHeight];
  }
  if (byteCounts.length < blocks) throw corrupt(index, `it lists ${byteCounts.length} byte counts, expected ${blocks}`);
  const colorMap = photometric === 3 ? tagNumbers(t, ifd, Tag.ColorMap) : undefined;
  if (oldJpeg) {
    // The whole image is one block: the interchange stream (its strips are pieces of that stream).
    return {
      index, width, height, bitsPerSample, sampleFormat, samplesPerPixel: spp, compression, predictor, planar: false, photometric,
      tiled: false, blockWidth: width, blockHeight: height, blocksAcross: 1, blocksDown: 1, offsets: [oldJpeg.offset], byteCounts: [oldJpeg.length], newSubfileType: tagNumber(t, ifd, Tag.NewSubfileType, 0),
    };
  }
  const tables = jpeg ? ifd.entries.get(Tag.JPEGTables) : undefined;
  const jpegTables = tables && tables.count > 0 ? t.bytes.slice(tables.dataOffset, tables.dataOffset + tables.count) : undefined;
  return {
    index, width, height, bitsPerSample, sampleFormat, samplesPerPixel: spp, compression, predictor, planar, photometric,
    tiled, blockWidth, blockHeight, blocksAcross, blocksDown, offsets, byteCounts, colorMap, newSubfileType: tagNumber(t, ifd, Tag.NewSubfileType, 0), jpegTables,
  };
}

/** Where the complete JPEG stream of an old-style JPEG page lies; throws "unsupported" for the other layouts. */
function oldJpegStream(t: TiffStructure, ifd: Ifd, spp: number): { offset: number; length: number } {
  const offset = tagNumber(t, ifd, Tag.JPEGInterchangeFormat, 0);
  const length = tagNumber(t, ifd, Tag.JPEGInterchangeFormatLength, 0);
  const other = unsupported(`TIFF compression ${compressionName(6)} without a complete JPEGInterchangeFormat stream`);
  if (offset <= 0 || length <= 0 || offset + length > t.bytes.length || (spp !== 1 && spp !== 3)) throw other;
  const stream = t.bytes.subarray(offset, offset + length);
  if (stream[0] !== 0xff || stream[1] !== 0xd8 || !jpegHasScan(stream)) throw other;
  return { offset, length };
}

/** True when two pages hold images of the same shape and sample type (so they stack into one hyperstack). */
export function sameShape(a: PageLayout, b: PageLayout): boolean {
  return a.width === b.width && a.height === b.height && a.bitsPerSample === b.bitsPerSample && a.sampleFormat === b.sampleFormat && a.samplesPerPixel === b.samplesPerPixel;
}
