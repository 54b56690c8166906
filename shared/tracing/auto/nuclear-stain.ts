import { euclideanDistance } from './distance';
import { detectForeground } from './foreground';
import { maskPieces } from './mask-pieces';
import type { ImageInfo, PixelArray } from '../../image/types';
import { ASSUMED_UM_PER_PX } from './pixel-size';
import { signalFromPlane, type SignalPlane } from './signal';

/** What reading a stored plane needs (signalFromPlane). */
type PlaneShape = Pick<ImageInfo, 'width' | 'height' | 'palette' | 'invertedLut' | 'bitsPerSample'>;

/** The largest nucleus (or few touching nuclei) a cell body may enclose, µm in radius. */
export const NUCLEUS_MAX_RADIUS_UM = 12;
/** The smallest nucleus, µm in radius: a speck of noise or debris is less. */
const NUCLEUS_MIN_RADIUS_UM = 2;
/** Nuclei a field must show before its stain is called nuclear. */
const FEWEST_NUCLEI = 3;
/** The share of a nuclear stain's foreground (pieces of nuclear size or more) that its nuclei make. */
const NUCLEI_SHARE = 0.6;
/** A piece is compact when it reaches at most this many times its depth from its deepest px: an ellipse of 2.5 : 1. */
const COMPACT_REACH = 2.5;
/** Reach allowed past that, px: noise px over the low threshold fringe a nucleus. */
const FRINGE_PX = 2;

/** Where a nuclear stain is: its foreground, read as the tracer reads a plane's (over a background 30 µm across). */
export function nucleiForeground(stain: SignalPlane, pxPerUm: number): Uint8Array {
  return detectForeground(stain, { backgroundPx: 30 * pxPerUm }).mask;
}

/**
 * How many nuclei a plane shows when it is a nuclear stain (DAPI, Hoechst), else 0: its foreground falls into at least
 * FEWEST_NUCLEI compact pieces of a nucleus's size (2 to 12 µm in radius; compact: no px farther from the deepest
 * than 2.5 times its depth, give or take a fringe of noise), and those make most of it. A dendrite stain's pieces are
 * cell bodies with their neurites, reaching far for their depth.
 */
export function nucleiCount(stain: SignalPlane, pxPerUm: number): number {
  const { width, height } = stain;
  // Its intensity alone: the ridge response rims a disk with the noise px above the median (a fringe px wide).
  const fg = detectForeground(stain, { backgroundPx: 30 * pxPerUm });
  const mask = fg.mask.map((m, i) => (m && fg.flat[i] > fg.intensity.low ? 1 : 0));
  const depth = euclideanDistance(mask, width, height);
  const least = NUCLEUS_MIN_RADIUS_UM * pxPerUm;
  const most = NUCLEUS_MAX_RADIUS_UM * pxPerUm;
  let nuclei = 0;
  let nucleiArea = 0;
  let area = 0;
  for (const piece of maskPieces(mask, width, height).pieces) {
    if (piece.length < Math.PI * least * least) continue;
    let centre = piece[0];
    for (const i of piece) if (depth[i] > depth[centre]) centre = i;
    const deepest = depth[centre];
    const cx = centre % width;
    const cy = (centre - cx) / width;
    let reach = 0;
    for (const i of piece) reach = Math.max(reach, (i % width - cx) ** 2 + (Math.floor(i / width) - cy) ** 2);
    area += piece.length;
    if (deepest < least || deepest > most || Math.sqrt(reach) > COMPACT_REACH * deepest + FRINGE_PX) continue;
    nuclei++;
    nucleiArea += piece.length;
  }
  return nuclei >= FEWEST_NUCLEI && nucleiArea >= NUCLEI_SHARE * area ? nuclei : 0;
}

/**
 * When Detect found no cell body on `planes[traced]`: another channel that looks like a nuclear stain (nucleiCount),
 * the one with most nuclei, or null. Its nuclei would find the cell bodies a dendrite stain leaves hollow. The planes
 * are one per channel as stored (read as the tracer reads them, signalFromPlane), at `pixelSizeUm` (null: unknown).
 */
export function nuclearStainIn(planes: readonly PixelArray[], shape: PlaneShape, traced: number, pixelSizeUm: number | null): number | null {
  const pxPerUm = 1 / (pixelSizeUm ?? ASSUMED_UM_PER_PX);
  let best: number | null = null;
  let most = 0;
  planes.forEach((plane, c) => {
    if (c === traced) return;
    const n = nucleiCount(signalFromPlane(plane, shape), pxPerUm);
    if (n > most) [best, most] = [c, n];
  });
  return best;
}
