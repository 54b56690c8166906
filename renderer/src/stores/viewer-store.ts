import { create } from 'zustand';
import type { Histogram } from '../../../shared/display/histogram';
import type { Calibration, ImageInfo, PageStats } from '../../../shared/image/types';
import type { OpenedFile } from '../../../shared/ipc/contract';
import type { BitmapRegion, PlaneSelector } from '../workers/image-protocol';

export type ChannelColor = 'grey' | 'green' | 'magenta' | 'red' | 'blue' | 'cyan' | 'yellow' | 'palette';

/** Display state of one channel; session state, never saved into annotations. */
export interface ChannelState {
  color: ChannelColor;
  visible: boolean;
  /** Display range in sample units. */
  min: number;
  max: number;
  inverted: boolean;
  histogram: Histogram | null;
}

/** screen = image * scale + (x, y), in CSS px of the canvas element. */
export interface Camera {
  scale: number;
  x: number;
  y: number;
}

/** The canvas tool; session state. */
export type Tool = 'navigate' | 'calibrate' | 'soma' | 'outline' | 'trace' | 'edit' | 'auto';

export interface ViewerState {
  file: OpenedFile | null;
  info: ImageInfo | null;
  pageStats: PageStats[];
  channels: ChannelState[];
  view: PlaneSelector;
  mode: 'composite' | 'single';
  activeChannel: number;
  /** Calibration read from the file; the one in force lives in the annotation document. */
  fileCalibration: Calibration | null;
  camera: Camera;
  viewport: { width: number; height: number };
  bitmap: ImageBitmap | null;
  /**
   * Where `bitmap` lies in the image when it shows only part of it (tiled images: a region at a pyramid level);
   * null when it is the whole image at full resolution.
   */
  bitmapRegion: BitmapRegion | null;
  /** The open image is tiled (too large to decode whole): drawn by regions as the camera moves. */
  tiled: boolean;
  /** Bumped whenever a new bitmap arrives, so views can tell a fresh render. */
  renderSerial: number;
  loading: { name: string; phase: string; fraction: number } | null;
  error: string | null;
  /** Information for the user (not an error): export finished, project notes. */
  notice: string | null;
  cursor: { x: number; y: number; values: number[] | null } | null;
  tool: Tool;
  dialog: null | 'shortcuts' | 'calibration';
  /** Length in image px of the line drawn with the calibration tool, awaiting a known length. */
  calibrationLinePx: number | null;
  timings: { fetchMs: number; decodeMs: number; decodedWith: 'workers' | 'single'; lzwKernel: 'wasm' | 'js' } | null;
}

export const initialViewerState: ViewerState = {
  file: null,
  info: null,
  pageStats: [],
  channels: [],
  view: { z: 0, t: 0, mip: false },
  mode: 'composite',
  activeChannel: 0,
  fileCalibration: null,
  camera: { scale: 1, x: 0, y: 0 },
  viewport: { width: 800, height: 600 },
  bitmap: null,
  bitmapRegion: null,
  tiled: false,
  renderSerial: 0,
  loading: null,
  error: null,
  notice: null,
  cursor: null,
  tool: 'navigate',
  dialog: null,
  calibrationLinePx: null,
  timings: null,
};

export const useViewer = create<ViewerState>(() => initialViewerState);

export const viewer = {
  get: useViewer.getState,
  set: useViewer.setState,
};

/**
 * z stored on what is traced on the plane `view` shows: its 0-based slice index (document units; µm only through
 * the calibration's voxel depth). A maximum projection has no depth, so its tracings are planar at z = 0.
 */
export function tracedZ(view: PlaneSelector): number {
  return view.mip ? 0 : view.z;
}
