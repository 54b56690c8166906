import { RamifyError } from '../../result';
import { type PartialStats, type StatsKind, bytesStats } from '../../image/stats';
import { type BlockCodec, type InflateFn, decompressBlock, finishBlock } from './decode-page';
import { inflateInto } from './inflate';

/** One block of a StripJob: where its compressed bytes sit in `job.src` and how much it decodes to. */
export interface StripJobBlock {
  /** 0-based block index within the page (strip or tile number − 1), for error messages. */
  index: number;
  /** Rows decoded into this block (a whole tile, or the strip's rows). */
  rows: number;
  /** Byte offset of the compressed data in job.src. */
  srcStart: number;
  /** Compressed byte count (0: the block is absent and stays zero). */
  srcLength: number;
  /** Decoded byte count; blocks are laid end to end in the result in job order. */
  dstLength: number;
}

/**
 * A run of strips or tiles of one page, decoded together by one worker. Plain data plus one ArrayBuffer (`src`),
 * so it can be posted (transferring `src.buffer`) to any kind of worker.
 */
export interface StripJob {
  codec: BlockCodec;
  blocks: StripJobBlock[];
  /** The blocks' compressed bytes, copied out of the file (its buffer is transferred to the worker). */
  src: Uint8Array<ArrayBuffer>;
  /** When set, the worker also returns min/max/sum of the decoded samples read as this integer type. */
  stats?: StatsKind;
}

export type { PartialStats } from '../../image/stats';

/** What a worker returns: the blocks' decoded bytes end to end (host byte order, predictor undone). */
export interface StripResult {
  data: Uint8Array<ArrayBuffer>;
  stats?: PartialStats;
}

/** A failure inside a worker, carried back as plain data and rethrown as the same RamifyError. */
export interface StripJobError {
  code: string;
  message: string;
}

/** Decodes a job synchronously; throws the RamifyError the single-threaded decoder would throw for that block. */
export function runStripJob(job: StripJob, inflate: InflateFn = inflateInto): StripResult {
  const data = new Uint8Array(totalDecoded(job));
  let at = 0;
  for (const blk of job.blocks) {
    const dst = data.subarray(at, at + blk.dstLength);
    at += blk.dstLength;
    if (blk.srcLength === 0) continue;
    const got = decompressBlock(job.codec, job.src.subarray(blk.srcStart, blk.srcStart + blk.srcLength), dst, inflate);
    finishBlock(job.codec, blk.index, got, dst, blk.rows);
  }
  return withStats(job, data);
}

function totalDecoded(job: StripJob): number {
  let n = 0;
  for (const b of job.blocks) n += b.dstLength;
  return n;
}

function withStats(job: StripJob, data: Uint8Array<ArrayBuffer>): StripResult {
  const stats = job.stats ? bytesStats(job.stats, data) : null;
  return stats ? { data, stats } : { data };
}

/** Plain-data form of an error thrown while decoding a job (a worker posts this back). */
export function toStripJobError(e: unknown): StripJobError {
  if (e instanceof RamifyError) return { code: e.code, message: e.message };
  if (e instanceof RangeError) return { code: 'too-large', message: `The image is too large to decode in memory (${e.message}).` };
  return { code: 'corrupt', message: `The image cannot be decoded: ${e instanceof Error ? e.message : String(e)}.` };
}

/** The RamifyError a worker's StripJobError stands for. */
export function fromStripJobError(e: StripJobError): RamifyError {
  return new RamifyError(e.code, e.message);
}
