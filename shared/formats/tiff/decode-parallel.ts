import { mergeStats, pageStats } from '../../image/stats';
import type { DecodedImage, PageStats, PixelArray } from '../../image/types';
import { type DecodeOptions, decodeTiff, readTiffHeader } from './decode';
import { allocatePageBuffer, blockCodec, blockCount, blockDecodedBytes, blockPlace, checkPlausibleSize, pagePlanes, placeTile, stripOffsetInPage, stripStatsKind } from './decode-page';
import type { TiffStructure } from './ifd';
import type { PageLayout } from './page';
import { type PartialStats, type StripJob, type StripJobBlock, type StripResult, fromStripJobError, toStripJobError } from './strip-job';

/**
 * Runs StripJobs somewhere else (worker threads, Web Workers). Implementations live outside shared/: Node's in
 * electron/services/decode-pool.ts, the browser's in renderer/src/workers/decode-pool.ts.
 */
export interface StripDecodePool {
  /** Jobs run at once (the number of workers); jobs are sized so each worker gets several. */
  readonly concurrency: number;
  /**
   * Decodes one job (the pool may transfer `job.src.buffer`). Rejects with a RamifyError, or with a value carrying
   * `{ code, message }`, when the worker's decoder threw.
   */
  decodeStrips(job: StripJob): Promise<StripResult>;
  /** Optional: start the workers ahead of the first job. */
  warm?(): void;
}

/** Compressed bytes below which workers cost more (start-up, copies) than they save. */
export const PARALLEL_MIN_BYTES = 4 * 1024 * 1024;

/** Jobs per worker: enough to balance uneven strips, few enough that per-message costs stay negligible. */
const JOBS_PER_WORKER = 4;
/** Smallest job worth a message, in compressed bytes. */
const MIN_JOB_BYTES = 256 * 1024;
/** Jobs submitted per worker at a time (one running, one queued so the worker never waits for the main thread). */
const IN_FLIGHT_PER_WORKER = 2;

/** DecodeOptions plus the knobs of the parallel path. */
export interface ParallelDecodeOptions extends DecodeOptions {
  /** Files smaller than this decode on the calling thread (default PARALLEL_MIN_BYTES). */
  minBytes?: number;
  /** Compressed bytes per job (default: a quarter of each worker's share, at least 256 KiB); tests use 1. */
  jobBytes?: number;
}

/** Blocks [first, end) of pages[page]. */
interface PlannedJob {
  page: number;
  first: number;
  end: number;
}

/**
 * Decodes a TIFF like decodeTiff, with the strips/tiles of each page decompressed by `pool`. Gives the same planes,
 * pageStats and RamifyError messages as decodeTiff. Uncompressed files are decoded in place (nothing to share out).
 */
export async function decodeTiffParallel(bytes: Uint8Array, pool: StripDecodePool, opts: ParallelDecodeOptions = {}): Promise<DecodedImage> {
  const header = readTiffHeader(bytes, opts);
  const { structure, pages, info } = header;
  if (pages.every((p) => p.compression === 1)) return decodeTiff(bytes, opts);
  for (const p of pages) checkPlausibleSize(structure, p);

  const totalCompressed = pages.reduce((n, p) => n + compressedBytes(structure, p), 0);
  const target = opts.jobBytes ?? Math.max(MIN_JOB_BYTES, Math.ceil(totalCompressed / (Math.max(1, pool.concurrency) * JOBS_PER_WORKER)));
  const raws = pages.map((p) => allocatePageBuffer(p));
  const partial: Array<PartialStats | null> = pages.map(() => null);
  const totalBlocks = pages.reduce((n, p) => n + blockCount(p), 0);
  let done = 0;
  let reported = 0;

  const planned = pages.flatMap((p, i) => planJobs(structure, p, i, target));
  // A few jobs in flight per worker: enough to keep workers busy, while the compressed copies made for the jobs
  // stay a small fraction of the file.
  let nextJob = 0;
  let firstFailed = Infinity;
  let failure: unknown = null;
  const lane = async () => {
    for (let k = nextJob++; k < planned.length && k < firstFailed; k = nextJob++) {
      const { page, first, end } = planned[k];
      try {
        const job = makeJob(structure, pages[page], first, end, opts.stats !== false);
        const result = await pool.decodeStrips(job);
        place(pages[page], first, job.blocks, result, raws[page]);
        if (result.stats) partial[page] = mergeStats(partial[page], result.stats);
      } catch (e) {
        // Jobs are in file order and each stops at its first bad block, so the earliest failing job holds the
        // error decodeTiff would report; later jobs need not run.
        if (k < firstFailed) {
          firstFailed = k;
          failure = e;
        }
        continue;
      }
      if (opts.onProgress) {
        done += end - first;
        const f = done / totalBlocks;
        if (f - reported >= 0.01 || done === totalBlocks) {
          reported = f;
          opts.onProgress(f);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, pool.concurrency) * IN_FLIGHT_PER_WORKER }, lane));
  if (firstFailed !== Infinity) throw asError(failure);

  const pagePlaneList: PixelArray[][] = [];
  const stats: PageStats[] = [];
  pages.forEach((p, i) => {
    const planes = pagePlanes(p, raws[i]);
    pagePlaneList.push(planes);
    const part = partial[i];
    if (opts.stats !== false) stats.push(part && stripStatsKind(p) ? { page: i, ...part } : pageStats(i, planes));
  });
  const planes = header.planeSource.map(({ page, sample }) => pagePlaneList[page][sample]);
  return { info, planes, pageStats: stats };
}

function compressedBytes(t: TiffStructure, p: PageLayout): number {
  let n = 0;
  for (let b = 0; b < blockCount(p); b++) n += blockSrcLength(t, p, b);
  return n;
}

/** A block's compressed bytes as present in the file (checkPlausibleSize has rejected starts past the end). */
function blockSrcLength(t: TiffStructure, p: PageLayout, b: number): number {
  const count = p.byteCounts[b];
  return count > 0 ? Math.max(0, Math.min(count, t.fileSize - p.offsets[b])) : 0;
}


/** Splits a page's blocks into runs [first, end) of about `target` compressed bytes. */
function planJobs(t: TiffStructure, p: PageLayout, page: number, target: number): PlannedJob[] {
  const out: PlannedJob[] = [];
  const n = blockCount(p);
  let first = 0;
  while (first < n) {
    let end = first;
    let size = 0;
    while (end < n && (end === first || size < target)) size += blockSrcLength(t, p, end++);
    out.push({ page, first, end });
    first = end;
  }
  return out;
}

/** The job for blocks [first, end) of a page, with their compressed bytes copied out of the file. */
function makeJob(t: TiffStructure, p: PageLayout, first: number, end: number, withStats: boolean): StripJob {
  let size = 0;
  for (let b = first; b < end; b++) size += blockSrcLength(t, p, b);
  const src = new Uint8Array(size);
  const blocks: StripJobBlock[] = [];
  let at = 0;
  for (let b = first; b < end; b++) {
    const len = blockSrcLength(t, p, b);
    if (len > 0) src.set(t.bytes.subarray(p.offsets[b], p.offsets[b] + len), at);
    blocks.push({ index: b, rows: blockPlace(p, b).rows, srcStart: at, srcLength: len, dstLength: blockDecodedBytes(p, b) });
    at += len;
  }
  return { codec: blockCodec(t, p), blocks, src, stats: withStats ? stripStatsKind(p) : undefined };
}

/** Copies a job's decoded blocks into the page buffer: consecutive strips are contiguous there, tiles go row by row. */
function place(p: PageLayout, first: number, blocks: StripJobBlock[], r: StripResult, raw: Uint8Array): void {
  if (!p.tiled) {
    raw.set(r.data, stripOffsetInPage(p, first));
    return;
  }
  let at = 0;
  for (let i = 0; i < blocks.length; i++) {
    const len = blocks[i].dstLength;
    if (blocks[i].srcLength > 0) placeTile(p, first + i, r.data.subarray(at, at + len), raw);
    at += len;
  }
}


function asError(e: unknown): Error {
  if (e instanceof Error) return e;
  if (e && typeof e === 'object' && 'code' in e && 'message' in e) return fromStripJobError(e as { code: string; message: string });
  return fromStripJobError(toStripJobError(e));
}
