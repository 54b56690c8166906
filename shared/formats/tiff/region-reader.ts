import type { PixelRect } from '../../display/resample';
import type { ImageInfo, PixelArray } from '../../image/types';
import { PageBandReader } from './band-reader';
import type { ByteSource } from './byte-source';
import { tiffHeaderOf, type TiffHeader } from './decode';
import type { InflateFn } from './decode-page';
import { parseTiffStructureFrom } from './ranged-structure';

const BAND_BYTES = 1024 * 1024;

/**
 * Planes of a TIFF over a rectangle, read by byte ranges: only the strips (rows) or tiles the rectangle touches are
 * fetched and decoded, so a window of a slide scan costs that window, not the file. Samples are the stored values,
 * as the whole-file decoder gives them. Throws NOT_STREAMABLE (band-reader.ts) for pages only the whole-file decoder
 * reads (old-style JPEG).
 */
export class TiffRegionReader {
  private readonly readers = new Map<number, PageBandReader>();

  private constructor(
    private readonly header: TiffHeader,
    private readonly source: ByteSource,
    private readonly opts: { inflate?: InflateFn; bandBytes: number },
  ) {}

  /** `bandBytes`: decoded bytes per band read (default 1 MiB), what a window reads beyond its own rows at most. */
  static async open(source: ByteSource, opts: { inflate?: InflateFn; bandBytes?: number } = {}): Promise<TiffRegionReader> {
    const r = new TiffRegionReader(tiffHeaderOf(await parseTiffStructureFrom(source)), source, { ...opts, bandBytes: opts.bandBytes ?? BAND_BYTES });
    for (let page = 0; page < r.header.pages.length; page++) r.reader(page); // refuses unstreamable pages up front
    return r;
  }

  get info(): ImageInfo {
    return this.header.info;
  }

  private reader(page: number): PageBandReader {
    let r = this.readers.get(page);
    if (!r) {
      r = new PageBandReader(this.header.structure, this.header.pages[page], this.source, { inflate: this.opts.inflate, bandBytes: this.opts.bandBytes });
      this.readers.set(page, r);
    }
    return r;
  }

  /** Each of `planes` (by planeIndex) over `rect`, rect.width × rect.height samples, rows top to bottom. */
  async read(planes: readonly number[], rect: PixelRect): Promise<PixelArray[]> {
    const { x, y, width, height } = rect;
    if (!(x >= 0 && y >= 0 && width > 0 && height > 0 && x + width <= this.info.width && y + height <= this.info.height)) {
      throw new RangeError(`region ${width} × ${height} at (${x}, ${y}) is not inside the ${this.info.width} × ${this.info.height} image`);
    }
    const out: PixelArray[] = new Array(planes.length);
    // Planes of one page (the channels of a chunky RGB page) share its band reads.
    const byPage = new Map<number, number[]>();
    planes.forEach((plane, k) => {
      const { page } = this.header.planeSource[plane];
      byPage.set(page, [...(byPage.get(page) ?? []), k]);
    });
    for (const [page, ks] of byPage) {
      const reader = this.reader(page);
      const rows = reader.bandRows;
      for (let band = Math.floor(y / rows); band * rows < y + height; band++) {
        const b = await reader.rect(band, x, x + width);
        const r0 = Math.max(y, b.y0);
        const r1 = Math.min(y + height, b.y0 + b.rows);
        for (const k of ks) {
          const src = b.planes[this.header.planeSource[planes[k]].sample];
          out[k] ??= new (src.constructor as { new (n: number): PixelArray })(width * height);
          out[k].set(src.subarray((r0 - b.y0) * width, (r1 - b.y0) * width), (r0 - y) * width);
        }
      }
    }
    return out;
  }
}
