import { StreamedPageStats } from '../../image/stats';
import type { ImageInfo, PageStats } from '../../image/types';
import { type Band, PageBandReader } from './band-reader';
import type { ByteSource } from './byte-source';
import type { DecodeOptions } from './decode';
import { tiffHeaderOf } from './decode';
import type { StripDecodePool } from './decode-parallel';
import { parseTiffStructureFrom } from './ranged-structure';

/** Options of the streamed readers: DecodeOptions plus a worker pool and how many bands to decode ahead. */
export interface StreamOptions extends DecodeOptions {
  pool?: StripDecodePool | null;
  /** Bands decoding while the current one is consumed (default: 2 per pool worker, else 1). */
  ahead?: number;
  /** Decoded bytes per band (tests make it small). */
  bandBytes?: number;
  /** Called with each band's decoded size as it is held (tests assert the bound). */
  onBand?: (bytes: number) => void;
}

/**
 * Calls `visit` with every band of a page in order, keeping at most `ahead` further bands decoding meanwhile, so
 * memory is a few bands, never the page.
 */
export async function forEachBand(reader: PageBandReader, visit: (band: Band) => void, opts: StreamOptions = {}): Promise<void> {
  const ahead = Math.max(1, opts.ahead ?? (opts.pool ? 2 * Math.max(1, opts.pool.concurrency) : 1));
  const pending: Array<Promise<Band>> = [];
  let next = 0;
  const fill = () => {
    while (pending.length < ahead && next < reader.bandCount) pending.push(reader.band(next++));
  };
  fill();
  // Later bands may fail while an earlier one is awaited; their rejections are observed when their turn comes.
  for (const p of pending) p.catch(() => undefined);
  let done = 0;
  while (pending.length > 0) {
    const band = await pending.shift()!;
    fill();
    for (const p of pending) p.catch(() => undefined);
    if (opts.onBand) opts.onBand(band.planes.reduce((n, a) => n + a.byteLength, 0));
    visit(band);
    done++;
    opts.onProgress?.(done / reader.bandCount);
  }
}

/**
 * The TIFF's header and per-page min/max/sum (what `ramify inspect` reports) read by ranges from `source`, a band
 * at a time: memory is the file's tags and a few bands, not the image. Equal to decodeTiff's pageStats.
 */
export async function streamTiffStats(source: ByteSource, opts: StreamOptions = {}): Promise<{ info: ImageInfo; pageStats: PageStats[] }> {
  const structure = await parseTiffStructureFrom(source);
  const header = tiffHeaderOf(structure, opts);
  const pageStats: PageStats[] = [];
  const total = header.pages.length;
  for (let i = 0; i < total; i++) {
    const reader = new PageBandReader(structure, header.pages[i], source, { inflate: opts.inflate, pool: opts.pool, bandBytes: opts.bandBytes });
    const acc = new StreamedPageStats();
    await forEachBand(reader, (band) => band.planes.forEach((a, s) => acc.add(s, a)), {
      ...opts,
      onProgress: opts.onProgress ? (f) => opts.onProgress!((i + f) / total) : undefined,
    });
    pageStats.push(acc.result(i));
  }
  return { info: header.info, pageStats };
}
