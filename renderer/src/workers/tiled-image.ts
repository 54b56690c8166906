import { renderComposite, type ChannelDisplay } from '../../../shared/display/composite';
import { HistogramAccumulator, type Histogram } from '../../../shared/display/histogram';
import { PyramidBuilder, cropPlane, type PyramidLevel } from '../../../shared/display/pyramid';
import { type Band, PageBandReader } from '../../../shared/formats/tiff/band-reader';
import type { ByteSource } from '../../../shared/formats/tiff/byte-source';
import { type TiffHeader, tiffHeaderOf } from '../../../shared/formats/tiff/decode';
import type { StripDecodePool } from '../../../shared/formats/tiff/decode-parallel';
import { parseTiffStructureFrom } from '../../../shared/formats/tiff/ranged-structure';
import { zProjection } from '../../../shared/image/projection';
import { type ImageInfo, type PixelArray, planeIndex } from '../../../shared/image/types';
import { brightBackground } from '../../../shared/tracing/auto/signal';
import type { PixelRect } from '../../../shared/tracing/auto/window';
import type { BitmapRegion, PlaneSelector } from './image-protocol';

/** Side of the full-resolution tiles kept for display at 1:1 and closer. */
const TILE = 256;
/** Decoded full-resolution tiles kept (bytes); the least recently drawn go first. */
const TILE_CACHE_BYTES = 48 * 1024 * 1024;
/**
 * Decoded bytes per band: with a band per pool worker in flight and one being downsampled, the transient memory of a
 * pyramid build stays a few MiB whatever the image size.
 */
const BAND_BYTES = 1024 * 1024;
/** Pyramids kept for planes no longer on screen (a few z/t steps back and forth stay instant). */
const KEPT_PYRAMIDS = 4;

/** What one displayed channel shows: one plane, or the projection of several (image/projection.ts). */
type ChannelSource = number[];

/** A pyramid under construction: what is built so far, and who waits for more. */
interface LiveBuild {
  builder?: PyramidBuilder;
  histogram: HistogramAccumulator;
  bandsDone: number;
  bands: number;
  waiters: Array<() => void>;
}

interface PlanePyramid {
  levels: PyramidLevel[];
  histogram: Histogram;
}


/**
 * A TIFF shown without ever decoding it whole: pages are read a band at a time by byte ranges, each displayed plane
 * gets a pyramid of reduced levels (built in this worker, strips decoded by the pool), and at 1:1 and closer only
 * the tiles on screen are decoded, kept in a bounded least-recently-used cache.
 */
export class TiledImage {
  private readonly readers = new Map<number, PageBandReader>();
  private readonly pyramids = new Map<string, Promise<PlanePyramid>>();
  /** Pyramids being built: their levels fill from the top, so a partly read image can be shown (progressive). */
  private readonly live = new Map<string, LiveBuild>();
  /** Pyramids finished (their promises have settled). */
  private readonly finished = new Map<string, PlanePyramid>();
  private readonly tiles = new Map<string, PixelArray>();
  /** Per projection (its planes), whether its stack's background is bright (brightBackgroundOf). */
  private readonly polarity = new Map<string, Promise<boolean>>();
  private tileBytes = 0;

  private constructor(
    readonly info: ImageInfo,
    private readonly header: TiffHeader,
    private readonly source: ByteSource,
    private readonly pool: StripDecodePool | null,
  ) {}

  static async open(source: ByteSource, pool: StripDecodePool | null): Promise<TiledImage> {
    const structure = await parseTiffStructureFrom(source);
    const header = tiffHeaderOf(structure);
    const img = new TiledImage(header.info, header, source, pool);
    img.reader(0); // checks the first page can be read by bands (old-style JPEG cannot) before the caller commits
    return img;
  }

  private reader(page: number): PageBandReader {
    let r = this.readers.get(page);
    if (!r) {
      r = new PageBandReader(this.header.structure, this.header.pages[page], this.source, { pool: this.pool, bandBytes: BAND_BYTES });
      this.readers.set(page, r);
    }
    return r;
  }

  /** The planes behind each channel of a view. */
  private sources(v: PlaneSelector): ChannelSource[] {
    const { channels, slices, frames } = this.info;
    const t = Math.min(Math.max(0, v.t), frames - 1);
    const z = Math.min(Math.max(0, v.z), slices - 1);
    return Array.from({ length: channels }, (_, c) => (v.mip && slices > 1 ? Array.from({ length: slices }, (_, zz) => planeIndex(this.info, c, zz, t)) : [planeIndex(this.info, c, z, t)]));
  }

  /**
   * Columns [x0, x1) of band k for each channel source: one band read per page involved (a chunky RGB page serves
   * all its channels from one decode), a projection's planes projected (image/projection.ts).
   */
  private async bandOf(srcs: ChannelSource[], k: number, x0: number, x1: number): Promise<PixelArray[]> {
    const pages = new Map<number, Promise<Band>>();
    const bandFor = (plane: number) => {
      const { page } = this.header.planeSource[plane];
      let b = pages.get(page);
      if (!b) {
        b = this.reader(page).rect(k, x0, x1);
        pages.set(page, b);
      }
      return b.then((band) => band.planes[this.header.planeSource[plane].sample]);
    };
    return Promise.all(
      srcs.map(async (planes) => {
        const arrays = await Promise.all(planes.map(bandFor));
        return arrays.length === 1 ? arrays[0] : zProjection(arrays, await this.brightBackgroundOf(planes));
      }),
    );
  }

  /**
   * Whether a projection's stack has a bright background (its projection is then the darkest slice per pixel, as for a
   * whole image, image/projection.ts), read once per stack from the middle band of each slice: a strip across the
   * whole field holds background and neurites alike, and reading the whole stack first would delay the first picture.
   */
  private brightBackgroundOf(planes: number[]): Promise<boolean> {
    const key = planes.join('+');
    let bright = this.polarity.get(key);
    if (!bright) {
      const k = this.reader(0).bandCount >> 1;
      const bands = planes.map((plane) => {
        const { page, sample } = this.header.planeSource[plane];
        return this.reader(page).rect(k, 0, this.info.width).then((band) => band.planes[sample]);
      });
      bright = Promise.all(bands).then((slices) => brightBackground(slices, this.info, this.info.width));
      bright.catch(() => this.polarity.delete(key));
      this.polarity.set(key, bright);
    }
    return bright;
  }

  /** Pyramids (and exact histograms) of a view's channels, built once per plane and reused. */
  private pyramidsFor(v: PlaneSelector, onProgress?: (f: number) => void): Promise<PlanePyramid[]> {
    const keys = this.startBuilds(v, onProgress);
    return Promise.all(keys.map((k) => this.pyramids.get(k)!));
  }

  /** Starts building the pyramids of a view's channels that are neither built nor being built; returns their keys. */
  private startBuilds(v: PlaneSelector, onProgress?: (f: number) => void): string[] {
    const srcs = this.sources(v);
    const keys = srcs.map((s) => s.join('+'));
    const missing = srcs.filter((_, c) => !this.pyramids.has(keys[c]));
    if (missing.length > 0) {
      const built = this.build(missing, onProgress);
      missing.forEach((s, i) => {
        const key = s.join('+');
        const p = built.then((all) => all[i]);
        p.then(
          (pyr) => this.pyramids.get(key) === p && this.finished.set(key, pyr),
          () => this.pyramids.get(key) === p && this.pyramids.delete(key),
        );
        this.pyramids.set(key, p);
      });
    }
    // Forget the oldest pyramids beyond what is on screen.
    for (const k of [...this.pyramids.keys()]) {
      if (this.pyramids.size > KEPT_PYRAMIDS + keys.length && !keys.includes(k) && !this.live.has(k)) {
        this.pyramids.delete(k);
        this.finished.delete(k);
      }
    }
    return keys;
  }

  /** One pass over the bands (two for float or 32-bit samples, whose histogram needs the range first). */
  private async build(srcs: ChannelSource[], onProgress?: (f: number) => void): Promise<PlanePyramid[]> {
    const { width, height, sampleFormat, bitsPerSample } = this.info;
    const bands = this.reader(0).bandCount;
    const keys = srcs.map((s) => s.join('+'));
    const live: LiveBuild[] = keys.map((k) => {
      const l: LiveBuild = { histogram: new HistogramAccumulator(sampleFormat, bitsPerSample), bandsDone: 0, bands, waiters: [] };
      this.live.set(k, l);
      return l;
    });
    const passes = live[0].histogram.needsSecondPass ? 2 : 1;
    try {
      for (let pass = 0; pass < passes; pass++) {
        if (pass === 1) live.forEach((l) => l.histogram.startSecondPass());
        await this.forEachBand(srcs, bands, (k, arrays) => {
          arrays.forEach((a, c) => {
            const l = live[c];
            if (pass === 0) {
              (l.builder ??= new PyramidBuilder(width, height, a.constructor as { new (n: number): PixelArray })).addRows(a);
              l.bandsDone = k + 1;
            }
            l.histogram.add(a);
            if (pass === passes - 1) l.waiters.splice(0).forEach((w) => w());
          });
          onProgress?.((pass * bands + k + 1) / (passes * bands));
        });
      }
      return live.map((l) => ({ levels: l.builder!.finish(), histogram: l.histogram.result() }));
    } finally {
      keys.forEach((k, c) => {
        if (this.live.get(k) === live[c]) this.live.delete(k);
        live[c].waiters.splice(0).forEach((w) => w());
      });
    }
  }

  /**
   * Bands [first, end) in order, columns [x0, x1), with a few decoding ahead (the pool's workers stay busy while this
   * thread downsamples).
   */
  private async forEachBand(srcs: ChannelSource[], end: number, visit: (k: number, arrays: PixelArray[]) => void, first = 0, x0 = 0, x1 = this.info.width): Promise<void> {
    const ahead = (this.pool?.concurrency ?? 1) + 1;
    const pending: Array<Promise<PixelArray[]>> = [];
    let next = first;
    const fill = () => {
      while (pending.length < ahead && next < end) {
        const p = this.bandOf(srcs, next++, x0, x1);
        p.catch(() => undefined);
        pending.push(p);
      }
    };
    for (let k = first; k < end; k++) {
      fill();
      visit(k, await pending.shift()!);
    }
  }

  async histograms(v: PlaneSelector, onProgress?: (f: number) => void): Promise<Histogram[]> {
    return (await this.pyramidsFor(v, onProgress)).map((p) => p.histogram);
  }

  /**
   * Histograms of what has been read once `fraction` of the image is in (all of it for float and 32-bit samples,
   * whose histograms need a second pass): enough for a first contrast while the rest is read.
   */
  async previewHistograms(v: PlaneSelector, fraction: number): Promise<Histogram[]> {
    const keys = this.startBuilds(v);
    return Promise.all(
      keys.map(async (k) => {
        const l = this.live.get(k);
        if (!l || l.histogram.needsSecondPass) return (await this.pyramids.get(k)!).histogram;
        while (l.bandsDone < Math.ceil(fraction * l.bands) && this.live.get(k) === l) await new Promise<void>((r) => l.waiters.push(r));
        return this.live.get(k) === l ? l.histogram.result() : (await this.pyramids.get(k)!).histogram;
      }),
    );
  }

  /**
   * The composite of region (x, y, w, h) (full-resolution pixels, clipped to the image) at `scale` screen pixels per
   * image pixel: from the coarsest level still at least as fine as the screen, or from full-resolution tiles at 1:1
   * and closer (so what is shown there is the data, pixel for pixel). While the pyramid is being built, reduced views
   * show the rows read so far (the rest stays dark until it arrives).
   */
  async render(v: PlaneSelector, displays: ChannelDisplay[], x: number, y: number, w: number, h: number, scale: number): Promise<{ rgba: Uint8ClampedArray<ArrayBuffer>; region: BitmapRegion; pixelWidth: number; pixelHeight: number }> {
    const keys = this.startBuilds(v);
    const partial = keys.map((k) => this.finished.get(k)?.levels ?? this.live.get(k)?.builder?.levels);
    const levelsNow = partial.every(Boolean) ? (partial as PyramidLevel[][]) : null;
    const pick = (levels: PyramidLevel[]) => {
      let level: PyramidLevel | null = null;
      for (const l of levels) if (l.factor <= 1 / scale) level = l;
      return level;
    };
    // Zoomed in (full resolution) or nothing read yet: wait for the pyramid.
    const all = levelsNow && pick(levelsNow[0]) ? levelsNow : (await this.pyramidsFor(v)).map((p) => p.levels);
    const levels = all[0];
    const level = pick(levels);
    const f = level?.factor ?? 1;
    const x0 = Math.max(0, Math.floor(x / f));
    const y0 = Math.max(0, Math.floor(y / f));
    const lw = level?.width ?? this.info.width;
    const lh = level?.height ?? this.info.height;
    const x1 = Math.min(lw, Math.ceil((x + w) / f));
    const y1 = Math.min(lh, Math.ceil((y + h) / f));
    const rw = Math.max(0, x1 - x0);
    const rh = Math.max(0, y1 - y0);
    const li = level ? levels.indexOf(level) : -1;
    const planes = level ? all.map((ls) => cropPlane(ls[li].data, lw, x0, y0, rw, rh)) : await this.fullResolution(v, x0, y0, rw, rh);
    const rgba = new Uint8ClampedArray(rw * rh * 4);
    renderComposite(planes, displays, rgba);
    return {
      rgba,
      pixelWidth: rw,
      pixelHeight: rh,
      // A level pixel stands for f × f image pixels, also at the edges (where it may overhang by less than one of them).
      region: { x: x0 * f, y: y0 * f, width: rw * f, height: rh * f, factor: f, coarsest: levels[levels.length - 1].factor },
    };
  }

  /** Full-resolution samples of a region for each channel, assembled from cached tiles (decoding those missing). */
  private async fullResolution(v: PlaneSelector, x: number, y: number, w: number, h: number): Promise<PixelArray[]> {
    const srcs = this.sources(v);
    const keys = srcs.map((s) => s.join('+'));
    const tx0 = Math.floor(x / TILE);
    const ty0 = Math.floor(y / TILE);
    const tx1 = Math.ceil((x + w) / TILE);
    const ty1 = Math.ceil((y + h) / TILE);
    const need: Array<[number, number]> = [];
    for (let ty = ty0; ty < ty1; ty++) for (let tx = tx0; tx < tx1; tx++) need.push([tx, ty]);
    await this.loadTiles(srcs, keys, need);
    const out: PixelArray[] = [];
    keys.forEach((key, c) => {
      let plane: PixelArray | null = null;
      for (const [tx, ty] of need) {
        const tile = this.touchTile(`${key}/${tx}/${ty}`)!;
        plane ??= new (tile.constructor as { new (n: number): PixelArray })(w * h);
        const tw = Math.min(TILE, this.info.width - tx * TILE);
        const cx0 = Math.max(x, tx * TILE);
        const cx1 = Math.min(x + w, tx * TILE + tw);
        const cy0 = Math.max(y, ty * TILE);
        const cy1 = Math.min(y + h, ty * TILE + TILE, this.info.height);
        for (let yy = cy0; yy < cy1; yy++) {
          const from = (yy - ty * TILE) * tw + cx0 - tx * TILE;
          plane.set(tile.subarray(from, from + cx1 - cx0), (yy - y) * w + cx0 - x);
        }
      }
      out[c] = plane ?? new Uint8Array(0);
    });
    return out;
  }

  private touchTile(key: string): PixelArray | undefined {
    const t = this.tiles.get(key);
    if (t) {
      this.tiles.delete(key);
      this.tiles.set(key, t);
    }
    return t;
  }

  /**
   * Decodes the missing tiles of `need` for every channel. Missing tiles in one tile row are read together (one pass
   * over the bands their rows span, columns limited to their span), so strips are decoded once per row of tiles.
   */
  private async loadTiles(srcs: ChannelSource[], keys: string[], need: Array<[number, number]>): Promise<void> {
    const { width, height } = this.info;
    const byRow = new Map<number, number[]>();
    for (const [tx, ty] of need) if (keys.some((k) => !this.tiles.has(`${k}/${tx}/${ty}`))) byRow.set(ty, [...(byRow.get(ty) ?? []), tx]);
    const reader = this.reader(0);
    for (const [ty, txs] of byRow) {
      const x0 = Math.min(...txs) * TILE;
      const x1 = Math.min(width, (Math.max(...txs) + 1) * TILE);
      const y0 = ty * TILE;
      const y1 = Math.min(height, y0 + TILE);
      const rw = x1 - x0;
      const region: PixelArray[] = [];
      for (let k = Math.floor(y0 / reader.bandRows); k * reader.bandRows < y1; k++) {
        const arrays = await this.bandOf(srcs, k, x0, x1);
        const by0 = k * reader.bandRows;
        arrays.forEach((a, c) => {
          region[c] ??= new (a.constructor as { new (n: number): PixelArray })(rw * (y1 - y0));
          const rows = a.length / rw;
          const r0 = Math.max(y0, by0);
          const r1 = Math.min(y1, by0 + rows);
          if (r1 > r0) region[c].set(a.subarray((r0 - by0) * rw, (r1 - by0) * rw), (r0 - y0) * rw);
        });
      }
      for (const tx of txs) {
        const tw = Math.min(TILE, width - tx * TILE);
        region.forEach((r, c) => this.storeTile(`${keys[c]}/${tx}/${ty}`, cropPlane(r, rw, tx * TILE - x0, 0, tw, y1 - y0)));
      }
    }
  }

  private storeTile(key: string, data: PixelArray): void {
    const old = this.tiles.get(key);
    if (old) this.tileBytes -= old.byteLength;
    this.tiles.set(key, data);
    this.tileBytes += data.byteLength;
    while (this.tileBytes > TILE_CACHE_BYTES && this.tiles.size > 1) {
      const [k, v] = this.tiles.entries().next().value as [string, PixelArray];
      this.tiles.delete(k);
      this.tileBytes -= v.byteLength;
    }
  }

  /** Decoded bytes held in full-resolution tiles (tests and the memory bench read it). */
  get cachedTileBytes(): number {
    return this.tileBytes;
  }

  /** Raw values under one pixel for each channel (the status bar), from its full-resolution tile. */
  async probe(v: PlaneSelector, x: number, y: number): Promise<number[]> {
    const planes = await this.fullResolution(v, x, y, 1, 1);
    return planes.map((p) => p[0]);
  }

  /**
   * One channel's plane at full resolution, whole or the part in `region` (the tracers' cost images need it),
   * assembled band by band from the bands the region spans. This is the one request that holds a plane; it is handed
   * over (transferred), not kept.
   */
  async plane(v: PlaneSelector, channel: number, region: PixelRect = { x: 0, y: 0, width: this.info.width, height: this.info.height }): Promise<PixelArray> {
    const src = [this.sources(v)[channel]];
    const { x, y, width, height } = region;
    const rows = this.reader(0).bandRows;
    let out: PixelArray | null = null;
    const first = Math.floor(y / rows);
    const end = Math.min(this.reader(0).bandCount, Math.ceil((y + height) / rows));
    await this.forEachBand(
      src,
      end,
      (k, [a]) => {
        out ??= new (a.constructor as { new (n: number): PixelArray })(width * height);
        const r0 = Math.max(y, k * rows);
        const r1 = Math.min(y + height, k * rows + a.length / width);
        if (r1 > r0) out.set(a.subarray((r0 - k * rows) * width, (r1 - k * rows) * width), (r0 - y) * width);
      },
      first,
      x,
      x + width,
    );
    return out!;
  }
}
