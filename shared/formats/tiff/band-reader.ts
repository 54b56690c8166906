import { RamifyError } from '../../result';
import type { PixelArray } from '../../image/types';
import type { ByteSource } from './byte-source';
import { type InflateFn, blockCodec, blockDecodedBytes, blockPlace, checkPlausibleSize, decompressBlock, finishBlock, pagePlanes, storedRowBytes } from './decode-page';
import type { StripDecodePool } from './decode-parallel';
import { truncatedTiff, type TiffStructure } from './ifd';
import { inflateInto } from './inflate';
import type { PageLayout } from './page';
import type { StripJob, StripJobBlock } from './strip-job';

/** Error code for pages only the whole-file decoder reads (callers fall back to it). */
export const NOT_STREAMABLE = 'not-streamable';

/** Decoded bytes a band aims at: large enough that per-read costs vanish, small enough to stay a sliver of the image. */
const BAND_TARGET_BYTES = 4 * 1024 * 1024;

/** Full-width rows [y0, y0 + rows) of one page, one array (width × rows samples) per sample of the page. */
export interface Band {
  y0: number;
  rows: number;
  planes: PixelArray[];
}

/**
 * Reads one TIFF page a band of rows (or a rectangle) at a time, fetching only the strips or tiles it covers, so
 * memory stays at a band whatever the image size. Uncompressed strips are read by the row, so a file written as one
 * huge strip (as ImageJ does) is still read in bands. With `pool`, a band's blocks decode in a worker.
 */
export class PageBandReader {
  /** Rows per band (the last band may be shorter). */
  readonly bandRows: number;
  readonly bandCount: number;
  /** Block rows per band (compressed data), or 0 when rows are read directly (uncompressed strips). */
  private readonly blockRowsPerBand: number;
  private readonly inflate: InflateFn;

  constructor(
    readonly structure: TiffStructure,
    readonly page: PageLayout,
    private readonly source: ByteSource,
    opts: { inflate?: InflateFn; pool?: StripDecodePool | null; bandBytes?: number } = {},
  ) {
    checkPlausibleSize(structure, page);
    if (page.compression === 6) throw new RamifyError(NOT_STREAMABLE, 'Old-style JPEG TIFFs are read whole, not by bands.');
    this.inflate = opts.inflate ?? inflateInto;
    this.pool = opts.pool ?? null;
    const target = opts.bandBytes ?? BAND_TARGET_BYTES;
    const rowBytes = storedRowBytes(page, page.width) * (page.planar ? page.samplesPerPixel : 1);
    if (!page.tiled && page.compression === 1) {
      this.blockRowsPerBand = 0;
      this.bandRows = Math.max(1, Math.min(page.height, Math.floor(target / rowBytes)));
    } else {
      this.blockRowsPerBand = Math.max(1, Math.floor(target / (rowBytes * page.blockHeight)));
      this.bandRows = this.blockRowsPerBand * page.blockHeight;
    }
    this.bandCount = Math.ceil(page.height / this.bandRows);
  }

  private readonly pool: StripDecodePool | null;

  /** Band k over all columns. */
  band(k: number): Promise<Band> {
    return this.rect(k, 0, this.page.width);
  }

  /** Rows of band k, columns [x0, x1) only: tiled pages decode only the tiles these columns touch. */
  async rect(k: number, x0: number, x1: number): Promise<Band> {
    const p = this.page;
    const y0 = k * this.bandRows;
    const rows = Math.min(this.bandRows, p.height - y0);
    if (k < 0 || rows <= 0) throw new RamifyError('internal', `Band ${k} is outside the image.`);
    if (this.blockRowsPerBand === 0) return { y0, rows, planes: await this.uncompressedRows(y0, rows, x0, x1) };
    const blockSpp = p.planar ? 1 : p.samplesPerPixel;
    const planeCount = p.planar ? p.samplesPerPixel : 1;
    const bx0 = Math.floor(x0 / p.blockWidth);
    const bx1 = Math.ceil(x1 / p.blockWidth);
    const by0 = k * this.blockRowsPerBand;
    const by1 = Math.min(p.blocksDown, by0 + this.blockRowsPerBand);
    const blocks: number[] = [];
    for (let s = 0; s < planeCount; s++) for (let by = by0; by < by1; by++) for (let bx = bx0; bx < bx1; bx++) blocks.push(s * p.blocksAcross * p.blocksDown + by * p.blocksAcross + bx);
    if (!p.tiled && planeCount === 1) {
      // Consecutive strips decode to the band's rows end to end: read them in place, no copy per strip.
      const data = await this.decodeBlocks(blocks, false);
      const planes = pagePlanes({ ...p, height: rows, planar: false, samplesPerPixel: blockSpp }, data[0]);
      return { y0, rows, planes: x0 === 0 && x1 === p.width ? planes : planes.map((a) => cropColumns(a, p.width, rows, x0, x1)) };
    }
    const decoded = await this.decodeBlocks(blocks, true);
    const w = x1 - x0;
    const out: PixelArray[] = [];
    blocks.forEach((b, i) => {
      const { plane, bx, y0: by } = blockPlace(p, b);
      const blockRows = p.tiled ? p.blockHeight : blockPlace(p, b).rows;
      const samples = pagePlanes({ ...p, width: p.blockWidth, height: blockRows, planar: false, samplesPerPixel: blockSpp }, decoded[i]);
      samples.forEach((src, j) => {
        const s = plane + j;
        out[s] ??= new (src.constructor as { new (n: number): PixelArray })(w * rows);
        const cx0 = Math.max(x0, bx * p.blockWidth);
        const cx1 = Math.min(x1, bx * p.blockWidth + p.blockWidth, p.width);
        const r1 = Math.min(blockRows, y0 + rows - by);
        for (let r = 0; r < r1; r++) {
          const from = r * p.blockWidth + cx0 - bx * p.blockWidth;
          out[s].set(src.subarray(from, from + cx1 - cx0), (by - y0 + r) * w + cx0 - x0);
        }
      });
    });
    return { y0, rows, planes: out };
  }

  /**
   * Decoded stored-order bytes of each block (whole tiles; strips' own rows), zero for absent blocks; with
   * `split` false, all of them end to end in one buffer.
   */
  private async decodeBlocks(blocks: number[], split: boolean): Promise<Array<Uint8Array<ArrayBuffer>>> {
    const p = this.page;
    const t = this.structure;
    const codec = blockCodec(t, p);
    const src = await this.readCompressed(blocks);
    const jobBlocks: StripJobBlock[] = blocks.map((b, i) => ({
      index: b,
      rows: p.tiled ? p.blockHeight : blockPlace(p, b).rows,
      srcStart: src.starts[i],
      srcLength: src.lengths[i],
      dstLength: p.tiled ? storedRowBytes(p, p.blockWidth) * p.blockHeight : blockDecodedBytes(p, b),
    }));
    let data: Uint8Array<ArrayBuffer>;
    if (this.pool && src.bytes.length > 0) {
      const job: StripJob = { codec, blocks: jobBlocks, src: src.bytes };
      data = (await this.pool.decodeStrips(job)).data;
    } else {
      let total = 0;
      for (const jb of jobBlocks) total += jb.dstLength;
      data = new Uint8Array(total);
      let o = 0;
      for (const jb of jobBlocks) {
        const dst = data.subarray(o, o + jb.dstLength);
        o += jb.dstLength;
        if (jb.srcLength === 0) continue;
        const got = decompressBlock(codec, src.bytes.subarray(jb.srcStart, jb.srcStart + jb.srcLength), dst, this.inflate);
        finishBlock(codec, jb.index, got, dst, jb.rows);
      }
    }
    if (!split) return [data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice()];
    const out: Array<Uint8Array<ArrayBuffer>> = [];
    let o = 0;
    for (const jb of jobBlocks) {
      out.push(data.slice(o, o + jb.dstLength));
      o += jb.dstLength;
    }
    return out;
  }

  /**
   * The blocks' compressed bytes end to end in one buffer. Blocks lying back to back in the file (the usual layout)
   * are fetched with one read.
   */
  private async readCompressed(blocks: number[]): Promise<{ bytes: Uint8Array<ArrayBuffer>; starts: number[]; lengths: number[] }> {
    const p = this.page;
    const size = this.structure.fileSize;
    const lengths = blocks.map((b) => (p.byteCounts[b] > 0 ? Math.max(0, Math.min(p.byteCounts[b], size - p.offsets[b])) : 0));
    const starts: number[] = [];
    let total = 0;
    for (const l of lengths) {
      starts.push(total);
      total += l;
    }
    for (const b of blocks) if (p.byteCounts[b] > 0 && p.offsets[b] >= size) throw truncatedTiff(size, p.offsets[b] + p.byteCounts[b]);
    const bytes = new Uint8Array(total);
    let i = 0;
    while (i < blocks.length) {
      // A run of blocks each starting where the previous ended.
      let j = i + 1;
      while (j < blocks.length && (lengths[j] === 0 || p.offsets[blocks[j]] === p.offsets[blocks[j - 1]] + lengths[j - 1]) && lengths[j - 1] > 0) j++;
      const runStart = lengths[i] > 0 ? p.offsets[blocks[i]] : 0;
      let runLen = 0;
      for (let k = i; k < j; k++) runLen += lengths[k];
      if (runLen > 0) bytes.set(await this.source.read(runStart, runLen), starts[i]);
      i = j;
    }
    return { bytes, starts, lengths };
  }

  /** Rows of uncompressed strips, read straight from the file by offset (strips may split rows anywhere). */
  private async uncompressedRows(y0: number, rows: number, x0: number, x1: number): Promise<PixelArray[]> {
    const p = this.page;
    const planeCount = p.planar ? p.samplesPerPixel : 1;
    const rowBytes = storedRowBytes(p, p.width);
    const out: PixelArray[] = [];
    for (let s = 0; s < planeCount; s++) {
      const raw = new Uint8Array(rowBytes * rows);
      for (let y = y0; y < y0 + rows; ) {
        const strip = Math.floor(y / p.blockHeight);
        const b = s * p.blocksDown + strip;
        const stripEnd = Math.min(p.height, (strip + 1) * p.blockHeight, y0 + rows);
        const within = (y - strip * p.blockHeight) * rowBytes;
        const want = (stripEnd - y) * rowBytes;
        const have = Math.max(0, Math.min(want, p.byteCounts[b] - within));
        if (have > 0) {
          const got = await this.source.read(p.offsets[b] + within, have);
          if (got.length < want && p.offsets[b] + within + want > this.structure.fileSize) throw truncatedTiff(this.structure.fileSize, p.offsets[b] + within + want);
          raw.set(got, (y - y0) * rowBytes);
        }
        y = stripEnd;
      }
      const codec = blockCodec(this.structure, p);
      finishBlock(codec, 0, raw.length, raw, rows);
      const samples = pagePlanes({ ...p, height: rows, planar: false, samplesPerPixel: p.planar ? 1 : p.samplesPerPixel }, raw);
      for (let j = 0; j < samples.length; j++) out[s + j] = x0 === 0 && x1 === p.width ? samples[j] : cropColumns(samples[j], p.width, rows, x0, x1);
    }
    return out;
  }
}

function cropColumns(a: PixelArray, width: number, rows: number, x0: number, x1: number): PixelArray {
  const w = x1 - x0;
  const out = new (a.constructor as { new (n: number): PixelArray })(w * rows);
  for (let r = 0; r < rows; r++) out.set(a.subarray(r * width + x0, r * width + x1), r * w);
  return out;
}
