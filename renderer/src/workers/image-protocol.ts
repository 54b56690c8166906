import type { ChannelDisplay } from '../../../shared/display/composite';
import type { Histogram } from '../../../shared/display/histogram';
import type { ImageInfo, PageStats } from '../../../shared/image/types';
import type { PixelRect } from '../../../shared/tracing/auto/window';

/** Which plane(s) of the stack are on screen: one z/t, or the projection over z at frame t (image/projection.ts). */
export interface PlaneSelector {
  z: number;
  t: number;
  mip: boolean;
}

/** Requests the image worker answers; each carries an id echoed in its reply. */
export type ImageRequest =
  | { type: 'open'; url: string; tiledFromPixels?: number }
  | { type: 'render'; view: PlaneSelector; displays: ChannelDisplay[] }
  /** Tiled images: the part of the image in (x, y, width, height), full-resolution pixels, for `scale` screen px per image px. */
  | { type: 'renderRegion'; view: PlaneSelector; displays: ChannelDisplay[]; x: number; y: number; width: number; height: number; scale: number }
  /** `preview` (tiled images): answer once this fraction of the image is read, with the histograms so far. */
  | { type: 'histograms'; view: PlaneSelector; preview?: number }
  | { type: 'probe'; view: PlaneSelector; x: number; y: number }
  /** One channel's plane at full resolution (transferred), whole or the part in `region`. */
  | { type: 'plane'; view: PlaneSelector; channel: number; region?: PixelRect }
  /**
   * Depth (slice index, fractional) of the brightest structure at each (x, y) of `points` (x0, y0, x1, y1, …) in
   * channel `channel` at frame view.t: where a trace on the projection lies in the stack (shared/tracing/auto/depth.ts).
   */
  | { type: 'depths'; view: PlaneSelector; channel: number; brightBackground: boolean; points: Float32Array };

export interface OpenedImage {
  info: ImageInfo;
  pageStats: PageStats[];
  bytes: number;
  timings: { fetchMs: number; decodeMs: number };
  /** Strip-decoder workers used (large TIFFs), or this worker alone. */
  decodedWith: 'workers' | 'single';
  /** Which LZW kernel this worker can run (WebAssembly unless blocked, e.g. by a CSP). */
  lzwKernel: 'wasm' | 'js';
  /**
   * True for images too large to decode whole: read by ranges, shown from a pyramid and on-screen tiles, drawn with
   * renderRegion instead of render.
   */
  tiled: boolean;
}

/** Where a region render lies in the image (full-resolution pixels) and the pyramid level it came from. */
export interface BitmapRegion {
  x: number;
  y: number;
  width: number;
  height: number;
  factor: number;
  /** The coarsest level's factor: zoomed out further, this level still serves. */
  coarsest: number;
}

export type ImageReply =
  | { type: 'open'; value: OpenedImage }
  | { type: 'render'; value: ImageBitmap }
  | { type: 'renderRegion'; value: { bitmap: ImageBitmap; region: BitmapRegion } }
  | { type: 'histograms'; value: Histogram[] }
  | { type: 'probe'; value: number[] | null }
  | { type: 'plane'; value: { data: ArrayBufferView; width: number; height: number } }
  | { type: 'depths'; value: Float32Array };

export type WorkerMessage =
  | { id: number; ok: true; reply: ImageReply }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { id: number; progress: { phase: 'reading' | 'decoding'; fraction: number } };
