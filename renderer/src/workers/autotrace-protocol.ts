import type { WorkerAnswer } from './worker-rpc';
import type { ImageInfo } from '../../../shared/image/types';
import type { AutoNeuron } from '../../../shared/tracing/auto/auto-neuron';
import type { AutoDetail } from '../../../shared/tracing/auto/prune-trace';
import type { AutoParameters } from '../../../shared/tracing/auto/to-document';
import type { SmoothedPlane } from '../../../shared/tracing/cost-image';
import type { InnerEdges } from '../../../shared/tracing/auto/window';

/** Requests the automatic-tracing worker answers. Positions are image px. */
/**
 * A plane to trace (transferred) and what is needed to read it the right way round. `key`: a digest of its bytes (and
 * of the request's `smoothed`): a trace of a plane prepared or traced before reuses the tracer built then (its
 * foreground and distances do not depend on the clicks), and leaves `data` unread.
 */
export interface PlaneToTrace {
  data: ArrayBufferView;
  width: number;
  height: number;
  info: Pick<ImageInfo, 'palette' | 'invertedLut' | 'bitsPerSample'>;
  pixelSize: number | null;
  key?: string;
  /** A nuclear stain over the same px (transferred; see AutoTraceOptions.nucleus); its digest is part of `key`. */
  nucleus?: ArrayBufferView;
}

export type AutoTraceRequest =
  | {
      type: 'trace';
      plane: PlaneToTrace;
      /** The image channel the plane is of (0-based), recorded with the trace. */
      channel: number;
      /** The channel of the plane's `nucleus` (0-based), recorded with the trace. */
      nucleusChannel?: number;
      /** Clicks on cell bodies or fibre starts; empty = detect every neuron. */
      seeds: Array<{ x: number; y: number }>;
      detail: AutoDetail;
      /** The live-wire's smoothed plane of the same plane (transferred), when it has one: see AutoTraceOptions.smoothed. */
      smoothed?: SmoothedPlane;
      /** When the plane is a window of a larger image: which of its edges lie inside the image (window.ts outsideRegion). */
      innerEdges?: InnerEdges;
      /** Cell bodies of neurons already in the document: not traced again, and their dendrites stay theirs. */
      traced?: Array<{ x: number; y: number }>;
    }
  /** The plane on screen before a click (the Auto tool chosen): its tracer is built while the technician aims. */
  | { type: 'prepare'; plane: PlaneToTrace; smoothed?: SmoothedPlane }
  | { type: 'prune'; detail: AutoDetail }
  /**
   * What the other channels say of a trace of channel `traced` (`planes`: one per channel, transferred): with `nuclei`,
   * which looks like a nuclear stain (Detect found no cell body); with `more`, which has clearly more signal
   * (`colour`: compared on the scale a colour image's channels share).
   */
  | { type: 'channels'; planes: ArrayBufferView[]; traced: number; width: number; height: number; info: PlaneToTrace['info']; pixelSize: number | null; nuclei: boolean; more: boolean; colour: boolean }
  /** The last trace again with the starts `keep` (positions in its answer), then clicks `add` (px); `compete`: see traceAgain. */
  | { type: 'retrace'; keep: number[]; compete?: number[]; add?: Array<{ x: number; y: number }>; detail: AutoDetail };

export type AutoTraceReply =
  /** `reachesOutside`: a clicked neuron touches what came in across the window's inner edges (window.ts reachesRegion). */
  /** `skipped`: cells Detect found that were traced already (see traced). */
  /** `reusedTracer`: the plane's foreground and distances came from the trace before (same key). */
  | { type: 'trace'; value: { neurons: AutoNeuron[]; parameters: AutoParameters; reachesOutside: boolean; skipped: number; reusedTracer: boolean; timings: Record<string, number> } }
  /** `built`: false when the plane's tracer was there already. */
  | { type: 'prepare'; value: { built: boolean; ms: number } }
  | { type: 'prune'; value: { neurons: AutoNeuron[]; parameters: AutoParameters; ms: number } }
  /** Channels 0-based; null when none looks like nuclei, has clearly more signal, or was not asked. */
  | { type: 'channels'; value: { nuclei: number | null; more: number | null; ms: number } }
  | { type: 'retrace'; value: { neurons: AutoNeuron[]; parameters: AutoParameters; ms: number } };

/** What the worker posts back: the shared worker-RPC answer (worker-rpc.ts). */
export type AutoTraceWorkerMessage = WorkerAnswer<AutoTraceReply>;
