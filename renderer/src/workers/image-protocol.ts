import type { ChannelDisplay } from '../../../shared/display/composite';
import type { Histogram } from '../../../shared/display/histogram';
import type { ImageInfo, PageStats } from '../../../shared/image/types';

/** Which plane(s) of the stack are on screen: one z/t, or the maximum projection over z at frame t. */
export interface PlaneSelector {
  z: number;
  t: number;
  mip: boolean;
}

/** Requests the image worker answers; each carries an id echoed in its reply. */
export type ImageRequest =
  | { type: 'open'; url: string }
  | { type: 'render'; view: PlaneSelector; displays: ChannelDisplay[] }
  | { type: 'histograms'; view: PlaneSelector }
  | { type: 'probe'; view: PlaneSelector; x: number; y: number }
  | { type: 'plane'; view: PlaneSelector; channel: number };

export interface OpenedImage {
  info: ImageInfo;
  pageStats: PageStats[];
  bytes: number;
  timings: { fetchMs: number; decodeMs: number };
  /** Strip-decoder workers used (large TIFFs), or this worker alone. */
  decodedWith: 'workers' | 'single';
  /** Which LZW kernel this worker can run (WebAssembly unless blocked, e.g. by a CSP). */
  lzwKernel: 'wasm' | 'js';
}

export type ImageReply =
  | { type: 'open'; value: OpenedImage }
  | { type: 'render'; value: ImageBitmap }
  | { type: 'histograms'; value: Histogram[] }
  | { type: 'probe'; value: number[] | null }
  | { type: 'plane'; value: { data: ArrayBufferView; width: number; height: number } };

export type WorkerMessage =
  | { id: number; ok: true; reply: ImageReply }
  | { id: number; ok: false; error: { code: string; message: string } }
  | { id: number; progress: { phase: 'reading' | 'decoding'; fraction: number } };
