import type { SmoothedPlane } from '../../../shared/tracing/cost-image';

/** Requests the tracing worker answers (live-wire on one plane). Positions are image px. */
export type TraceRequest =
  /** The plane, or the window of it from `origin` (image px of its first pixel) on a large image. */
  | { type: 'setPlane'; data: ArrayBufferView; width: number; height: number; scale: number; origin?: [number, number] }
  /** Fixes the anchor at exactly (x, y); the search starts from the pixel under it. */
  | { type: 'anchor'; x: number; y: number }
  /**
   * The stretch from the anchor to the click at (x, y) as it is stored (snapped, refined to the centre line,
   * simplified: shared/tracing/trace-clicks.ts), anchor first. For the preview and the commit alike.
   */
  | { type: 'segment'; x: number; y: number; snap: boolean; straight: boolean }
  | { type: 'snap'; x: number; y: number }
  /** A copy of the plane the live-wire refines centre lines on (null before setPlane), for the automatic tracer. */
  | { type: 'smoothed' };

export type TraceReply =
  | { type: 'setPlane'; value: { costMs: number } }
  | { type: 'anchor'; value: { searchMs: number; anchor: [number, number] } }
  | { type: 'segment'; value: { points: Array<[number, number]>; refineMs: number } }
  | { type: 'snap'; value: [number, number] }
  | { type: 'smoothed'; value: SmoothedPlane | null };

export type TraceWorkerMessage = { id: number; ok: true; reply: TraceReply } | { id: number; ok: false; error: { code: string; message: string } };
