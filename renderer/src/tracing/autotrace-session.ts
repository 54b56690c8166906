import { create } from 'zustand';
import { type AutoNeuron, type BranchDoubt, type DoubtSpot, tracedNothing } from '../../../shared/tracing/auto/auto-neuron';
import { tracingPixelSize } from '../../../shared/tracing/auto/pixel-size';
import { type AutoDetail, DEFAULT_MIN_BRANCH_UM } from '../../../shared/tracing/auto/prune-trace';
import { depthSamplePoints, withDepths } from '../../../shared/tracing/auto/depth';
import { isColourPicture, type ImageInfo, type PixelArray } from '../../../shared/image/types';
import type { SmoothedPlane } from '../../../shared/tracing/cost-image';
import { AUTO_TRACER, autoNeuronAction, autoNeuronReplaceAction } from '../../../shared/tracing/auto/to-document';
import { matchSavedTrace, savedTrace, untouchedByHand, untouchedTrace } from '../../../shared/tracing/auto/saved-trace';
import { somaCenter, type AnnotationDocument, type BranchId, type NeuronId } from '../../../shared/model/document';
import { distanceOutsideSoma } from '../../../shared/actions/soma-catch';
import { findNeuron } from '../../../shared/model/queries';
import { AUTO_TRACE_MAX_PIXELS, FIRST_WINDOW_PIXELS, fromWindow, growingWindows, innerEdges, type PixelRect } from '../../../shared/tracing/auto/window';
import { screenToImage } from '../image/camera';
import { imageClient } from '../image/image-client';
import { docStore, useDoc } from '../stores/doc-store';
import { tracedZ, useViewer, viewer } from '../stores/viewer-store';
import type { AutoTraceReply, AutoTraceRequest, PlaneToTrace } from '../workers/autotrace-protocol';
import type { PlaneSelector } from '../workers/image-protocol';
import { WorkerRpc } from '../workers/worker-rpc';
import { liveWireSmoothed } from './live-wire-session';
import { loadViewSetting, saveViewSetting } from '../stores/view-settings';
import { traceStore, useTrace } from './trace-store';
import { plural } from '../../../shared/text/plural';

/** State of the automatic tracer; session state, never saved. */
export interface AutoTraceState {
  busy: boolean;
  stage: string | null;
  /** Progress of the running trace, 0–1. */
  fraction: number;
  /** Shortest branch kept, µm (px when uncalibrated). */
  minBranchUm: number;
  /** On a stack's projection: place each traced node at its depth in the stack (off: planar at z = 0, the 2D protocol). */
  depth: boolean;
  /**
   * The channel (0-based) that stains nuclei, or null: cell bodies are then found only on a nucleus, and a nucleus the
   * stain around it leaves dark is part of its body (AutoTraceOptions.nucleus). Unused where it is the traced channel.
   */
  nucleusChannel: number | null;
  /** Neurons of the last automatic trace still awaiting accept or discard. */
  pending: NeuronId[];
  /**
   * Pending neurons reviewed as a file has them, with no trace behind them (the field traced again does not give them
   * back: an earlier tracer, other settings, another plane): accept or discard only; the slider and Not a cell leave them.
   */
  asSaved: ReadonlySet<NeuronId>;
  /** Branches the tracer is unsure of, each with why (a gap, a neighbouring cell, faint, a crossing) and where: drawn dotted, the spots ringed. */
  doubtful: Doubts;
  message: string | null;
  /** 'info' for a note on a trace that went as asked (which window it read), 'warning' for everything else. */
  messageKind: 'info' | 'warning';
  lastMs: number | null;
  /** The last trace read the plane the one before it read, and reused its foreground and distances. */
  lastReused: boolean;
}

/** What the tracer doubts of a branch, and where on it (AutoBranch.spots, image px). */
export interface BranchDoubts {
  why: readonly BranchDoubt[];
  spots: readonly DoubtSpot[];
}

/** Branches the tracer is unsure of: why, and where. */
export type Doubts = ReadonlyMap<BranchId, BranchDoubts>;
const NO_DOUBTS: Doubts = new Map();

/** The doubts of the branches `keep` holds for (the same map when it holds for all, so the canvas need not repaint). */
function doubtsWhere(doubts: Doubts, keep: (b: BranchId) => boolean): Doubts {
  const out = new Map([...doubts].filter(([b]) => keep(b)));
  return out.size === doubts.size ? doubts : out;
}

export const useAutoTrace = create<AutoTraceState>(() => ({ busy: false, stage: null, fraction: 0, minBranchUm: DEFAULT_MIN_BRANCH_UM, depth: false, nucleusChannel: null, pending: [], asSaved: new Set(), doubtful: NO_DOUBTS, message: null, messageKind: 'warning', lastMs: null, lastReused: false }));
const store = { get: useAutoTrace.getState, set: useAutoTrace.setState };

/** The automatic-tracing worker: holds the last search, so a new detail level re-prunes without searching again. */
const client = new WorkerRpc<AutoTraceRequest, AutoTraceReply>('automatic tracing', () => new Worker(new URL('../workers/autotrace.worker.ts', import.meta.url), { type: 'module', name: 'ramify-autotrace' }));
/** Coalescing key of the current automatic trace: its first dispatch and every re-prune make one undo step. */
let stepKey: string | null = null;
let stepCount = 0;
/** z of the plane the current automatic trace ran on: its re-pruned versions stay there. */
let stepZ = 0;
/** Set when the current trace ran on a stack's projection: where to read its nodes' depths (see placeInDepth). */
let stepDepth: { view: PlaneSelector; channel: number; brightBackground: boolean } | null = null;
/** The part of the image the current automatic trace read (growingWindows): its answers are in that window's px. */
let stepWindow: PixelRect = { x: 0, y: 0, width: 0, height: 0 };
/** The plane (view and channel) the current automatic trace read: a click adds a cell to it only on that plane. */
let stepPlane = '';
/** Position of each pending neuron in the worker's answer (stable while some are accepted or discarded). */
const traceIndex = new Map<NeuronId, number>();
/** Bumped when another image opens: a trace still on its way belongs to the image before and is dropped. */
let generation = 0;
/** Each pending neuron as this session last wrote it: one that differs was edited by hand (see startAutoTraceFollow). */
const written = new Map<NeuronId, unknown>();
/** Called once when the review started by reviewSavedTrace's `onReviewed` ends: every neuron accepted or discarded. */
let whenReviewed: (() => void) | null = null;
/** True while this session writes a traced neuron into the document. */
let writing = false;

/** Dispatches an add or replace of a traced neuron and remembers the neuron as written. */
function writeNeuron(id: NeuronId, action: Parameters<typeof docStore.dispatch>[0], key: string, label?: string): void {
  writing = true;
  try {
    docStore.dispatch(action, { coalesceKey: key, ...(label ? { label } : {}) });
  } finally {
    writing = false;
  }
  written.set(id, findNeuron(docStore.doc(), id)?.neuron);
}

const detail = (): AutoDetail => ({ minBranchUm: store.get().minBranchUm });

/** Most pixels one automatic trace reads: AUTO_TRACE_MAX_PIXELS, or a smaller budget set for tests (localStorage). */
function maxPixels(): number {
  const v = Number(globalThis.localStorage?.getItem('ramify.autoTraceMaxPixels'));
  return Number.isFinite(v) && v > 0 ? v : AUTO_TRACE_MAX_PIXELS;
}

/** Pixels of the first window around a click: FIRST_WINDOW_PIXELS, or a smaller one set for tests (localStorage). */
function firstWindowPixels(): number {
  const v = Number(globalThis.localStorage?.getItem('ramify.autoTraceFirstPixels'));
  return Number.isFinite(v) && v > 0 ? v : FIRST_WINDOW_PIXELS;
}

/** The part of the image on screen, image px. */
function visibleRect(): PixelRect {
  const { camera, viewport } = viewer.get();
  const a = screenToImage(camera, 0, 0);
  const b = screenToImage(camera, viewport.width, viewport.height);
  return { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
}

/** Cell bodies of the document's neurons inside `window`, in its px: a trace leaves them to their neurons. */
function tracedCells(window: PixelRect): Array<{ x: number; y: number }> {
  return docStore
    .doc()
    .neurons.flatMap((n) => (n.soma ? [somaCenter(n.soma)] : []))
    .filter((c) => within(window, c, 0))
    .map((c) => ({ x: c.x - window.x, y: c.y - window.y }));
}

/**
 * A plane read from the image worker as the tracing worker takes it: how to read its values, the pixel size lengths
 * are read at, the nuclear stain over the same px when one is used, and a digest of its bytes and of the live-wire's
 * `smoothed` plane and the `nucleus` sent with it, by which the worker knows the same plane again (and reuses its
 * foreground and distances: the next click costs only its search).
 */
async function planeToTrace(plane: { data: ArrayBufferView; width: number; height: number }, info: ImageInfo, smoothed: SmoothedPlane | null, nucleus: ArrayBufferView | null): Promise<PlaneToTrace> {
  const [own, shared, nuclei] = await Promise.all([plane.data, smoothed?.data, nucleus].map((v) => (v ? digestOf(v) : '')));
  const key = own !== null && shared !== null && nuclei !== null ? `${own}+${shared}+${nuclei}` : undefined;
  return {
    data: plane.data,
    width: plane.width,
    height: plane.height,
    info: { palette: info.palette, invertedLut: info.invertedLut, bitsPerSample: info.bitsPerSample },
    pixelSize: tracingPixelSize(docStore.doc().calibration ?? info.calibration),
    ...(key ? { key } : {}),
    ...(nucleus ? { nucleus } : {}),
  };
}

/** The nuclear-stain channel a trace of channel `ch` uses: the Auto panel's, when the image has it and it is not `ch`. */
function nucleusFor(info: ImageInfo, ch: number, chosen = store.get().nucleusChannel): number | null {
  return chosen !== null && chosen < info.channels && chosen !== ch ? chosen : null;
}

/** The nuclear stain over the plane a trace reads (the same view and region), or null without one. */
async function nucleusPlane(view: PlaneSelector, nc: number | null, region?: PixelRect): Promise<ArrayBufferView | null> {
  if (nc === null) return null;
  return (await imageClient().request({ type: 'plane', view, channel: nc, ...(region ? { region } : {}) })).data;
}

/** SHA-256 of a view's bytes, hex; null where Web Crypto is missing (the worker then builds its tracer afresh). */
async function digestOf(view: ArrayBufferView): Promise<string | null> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return null;
  const hash = new Uint8Array(await subtle.digest('SHA-256', new Uint8Array(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength)));
  return Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A trace on a stack's projection gets each node's depth from the stack (the image worker holds it). */
async function placeInDepth(neurons: AutoNeuron[]): Promise<AutoNeuron[]> {
  if (!stepDepth || neurons.length === 0) return neurons;
  const points = depthSamplePoints(neurons);
  const depths = await imageClient().request({ type: 'depths', ...stepDepth, points }, { transfer: [points.buffer] });
  return withDepths(neurons, depths);
}

function doubtfulIds(neuronIds: NeuronId[], neurons: AutoNeuron[]): Doubts {
  const out = new Map<BranchId, BranchDoubts>();
  const doc = docStore.doc();
  neuronIds.forEach((id) => {
    const n = findNeuron(doc, id)?.neuron;
    const k = traceIndex.get(id);
    if (!n || k === undefined) return;
    neurons[k]?.branches.forEach((b, i) => {
      if (b.doubts.length > 0 && n.branches[i]) out.set(n.branches[i].id, { why: b.doubts, spots: b.spots });
    });
  });
  return out;
}

/**
 * Traces from clicks (one neuron per click) or, with no seeds, every neuron of the field, on the plane on screen.
 * All neurons of one run are added as one undo step.
 */
export async function autoTrace(seeds: Array<{ x: number; y: number }>): Promise<void> {
  const v = viewer.get();
  if (!v.info || store.get().busy) return;
  const ch = Math.min(traceStore.get().channel, v.info.channels - 1);
  const nc = nucleusFor(v.info, ch);
  const z = tracedZ(v.view);
  const plane = JSON.stringify({ view: v.view, ch, nc });
  if (seeds.some((p) => !(p.x >= 0 && p.y >= 0 && p.x < v.info!.width && p.y < v.info!.height))) {
    store.set({ messageKind: 'warning', message: 'That click was beside the image: click a cell body, or the start of a fibre, on it.' });
    return;
  }
  // A click on a cell body in the document already: that neuron, not a second trace of it.
  const doc = docStore.doc();
  const known = seeds.length === 1 ? doc.neurons.find((n) => n.soma && distanceOutsideSoma(n.soma, seeds[0].x, seeds[0].y) <= 1) : undefined;
  if (known) {
    docStore.select({ kind: 'neuron', neuronId: known.id });
    store.set({ messageKind: 'warning', message: `That cell body is traced already: ${known.name}.` });
    return;
  }
  // A click while neurons of a trace on this plane await review adds a cell to that trace (one Detect missed).
  if (seeds.length === 1 && store.get().pending.length > 0 && stepKey && plane === stepPlane && within(stepWindow, seeds[0], 2)) return addCell(seeds[0]);
  store.set({ busy: true, stage: 'reading', fraction: 0, message: null });
  leftByHistory = null;
  // Neurons reviewed as saved stay under review (a click then traces a cell the batch missed), and so does their end.
  if (pendingAsSaved().length === 0) whenReviewed = null;
  const gen = generation;
  /** The detail level the last search was pruned at (the slider may move while it runs). */
  let tracedAt: number | null = null;
  try {
    const { width, height } = v.info;
    const info = v.info;
    const max = maxPixels();
    const traceIn = async (window: PixelRect) => {
      const whole = window.width === width && window.height === height;
      store.set({ stage: 'reading', fraction: 0 });
      const plane = await imageClient().request({ type: 'plane', view: v.view, channel: ch, ...(whole ? {} : { region: window }) });
      const nucleus = await nucleusPlane(v.view, nc, whole ? undefined : window);
      // The live-wire reads stored values; through a colour map they are not intensities, so its plane is not shared.
      // Nor is it in a window: it covers the whole image.
      const smoothed = info.palette || !whole ? null : await liveWireSmoothed().catch(() => null);
      tracedAt = store.get().minBranchUm;
      return client.request(
        {
          type: 'trace',
          plane: await planeToTrace(plane, info, smoothed, nucleus),
          channel: ch,
          ...(nc !== null ? { nucleusChannel: nc } : {}),
          seeds: seeds.map((s) => ({ x: s.x - window.x, y: s.y - window.y })),
          detail: { minBranchUm: tracedAt },
          ...(smoothed ? { smoothed } : {}),
          ...(whole ? {} : { innerEdges: innerEdges(window, width, height) }),
          traced: tracedCells(window),
        },
        { transfer: [plane.data.buffer as ArrayBuffer, ...[smoothed?.data, nucleus].flatMap((v) => (v ? [v.buffer as ArrayBuffer] : []))], onProgress: (stage, fraction) => store.set({ stage, fraction }) },
      );
    };
    // Around a click on a large image: a first window, four times larger while the trace runs into its edge.
    const windows = growingWindows(width, height, seeds, visibleRect(), max, firstWindowPixels());
    let window = windows.next(false).value as PixelRect;
    let r = await traceIn(window);
    for (let next = windows.next(r.reachesOutside); !next.done; next = windows.next(r.reachesOutside)) r = await traceIn((window = next.value));
    if (gen !== generation) return;
    stepDepth = store.get().depth && v.view.mip && info.slices > 1 && !v.tiled ? { view: v.view, channel: ch, brightBackground: r.parameters.inverted === true } : null;
    stepWindow = window;
    stepPlane = plane;
    const neurons = await placeInDepth(fromWindow(r.neurons, window));
    if (gen !== generation) return;
    docStore.endGesture();
    const key = `autotrace-${++stepCount}`;
    stepKey = key;
    stepZ = z;
    const ids: NeuronId[] = [];
    traceIndex.clear();
    neurons.forEach((n, k) => {
      // The trace keeps its start (later detail levels and retraces index by it); the document gets no empty neuron.
      if (tracedNothing(n)) return;
      traceIndex.set(docStore.doc().nextId, k);
      ids.push(docStore.doc().nextId);
      writeNeuron(docStore.doc().nextId, autoNeuronAction(n, { parameters: r.parameters, z }), key);
    });
    if (ids.length > 0) docStore.select({ kind: 'neuron', neuronId: ids[0] });
    // Detect on a field without cell bodies traces fibres from their ends: say so, the start is a guess to check.
    const fibresOnly = seeds.length === 0 && neurons.length > 0 && neurons.every((n) => n.fibre);
    const whole = window.width === width && window.height === height;
    const note = traceNote(ids.length, fibresOnly, seeds.length > 0, whole ? null : { window, reachesOutside: r.reachesOutside, width, height });
    if (r.skipped > 0) {
      // Detect on a field partly traced: the cells in the document already are left to their neurons.
      const left = `${plural(r.skipped, 'cell')} traced already left as ${r.skipped === 1 ? 'it is' : 'they are'}.`;
      note.message = ids.length === 0 ? `Every cell found here is traced already: ${left}` : `${note.message ?? `Traced ${plural(ids.length, 'new neuron')}.`} ${left}`;
      if (ids.length === 0) note.messageKind = 'info';
    }
    // Bodies with a nucleus the dendrite stain leaves dark read as rings: a nuclear stain finds them (dark-nuclei.ts).
    const nothing = ids.length === 0 && r.skipped === 0;
    const noBody = seeds.length === 0 && nc === null && (fibresOnly || nothing);
    // A colour image's channels share one scale: one far brighter than the one traced is named whatever was found.
    const colour = isColourPicture(info);
    if (info.channels > 1 && (noBody || nothing || colour)) note.message = `${note.message ?? ''} ${await channelHints(v.view, window, ch, info, { nuclei: noBody, generic: fibresOnly && nc === null, more: nothing || noBody || colour, traced: nothing })}`.trim();
    if (gen !== generation) return;
    const kept = pendingAsSaved();
    store.set({ pending: [...kept, ...ids], asSaved: new Set(kept), doubtful: doubtfulIds(ids, r.neurons), lastMs: r.timings.totalMs, lastReused: r.reusedTracer, ...note });
  } catch (e) {
    if (gen === generation) failed(e, 'Automatic tracing failed');
  } finally {
    if (gen === generation) settle(tracedAt);
  }
}

/**
 * Puts a saved automatic trace (a project's "Auto-trace all images") under review, as if it had just been traced in
 * the app: the field is traced again on the plane on screen with the settings the file records, and each neuron the
 * tracer gives back node for node is listed for review, so the detail slider, Not a cell and Add a cell work on it.
 * Nothing in the document changes until the technician changes something. Neurons edited or drawn by hand keep their
 * ground and are left alone; so is a neuron the trace no longer gives (traced on another channel or plane). `only`:
 * the neurons to list (the others found keep their ground); `quiet`: nothing said (the review given back after an undo).
 */
export async function reviewSavedTrace(o: { only?: ReadonlySet<NeuronId>; quiet?: boolean; onReviewed?: () => void } = {}): Promise<void> {
  const v = viewer.get();
  if (!v.info || store.get().busy || store.get().pending.length > 0) return;
  const doc = docStore.doc();
  const saved = savedTrace(doc);
  const listed = (id: NeuronId) => !o.only || o.only.has(id);
  // Neurons the tracer made that this one cannot give back by tracing again: a batch's (or those an undo gave back)
  // are reviewed as they are. The Auto panel's Review button offers the ones it can trace again, and only those.
  const older = o.onReviewed || o.only ? doc.neurons.filter((n) => untouchedByHand(n) && !saved?.neurons.includes(n.id) && listed(n.id)) : [];
  const why = older.some((n) => n.auto?.tracer !== AUTO_TRACER) ? 'traced by an earlier version of the automatic tracer' : 'traced with settings the detail slider does not offer';
  if (!saved) return reviewAsSaved(older.map((n) => n.id), `${plural(older.length, 'neuron')} ${why}: ${reviewAsSavedHint}`, o);
  const { width, height } = v.info;
  // A batch never traces an image larger than one trace reads (run.ts): nothing here came from one.
  if (width * height > maxPixels()) return;
  const info = v.info;
  // The channel the trace was made on (the file records it), else the one the Tracing panel names.
  const ch = saved.channel ?? Math.min(traceStore.get().channel, info.channels - 1);
  if (ch >= info.channels) {
    const all = [...saved.neurons.filter(listed), ...older.map((n) => n.id)];
    return reviewAsSaved(all, `The saved automatic trace was made on channel ${ch + 1}; this image has ${plural(info.channels, 'channel')}: ${reviewAsSavedHint}`, o);
  }
  const nc = nucleusFor(info, ch, saved.nucleusChannel);
  const z = tracedZ(v.view);
  const gen = generation;
  leftByHistory = null;
  store.set({ busy: true, stage: 'reading', fraction: 0, message: null, minBranchUm: saved.minBranchUm });
  try {
    const plane = await imageClient().request({ type: 'plane', view: v.view, channel: ch });
    const nucleus = await nucleusPlane(v.view, nc);
    const others = docStore.doc().neurons.filter((n) => !saved.neurons.includes(n.id));
    // No live-wire plane: the batch smoothed its own, and only the same smoothing gives the same nodes to 1/1000 px.
    const r = await client.request(
      {
        type: 'trace',
        plane: await planeToTrace(plane, info, null, nucleus),
        channel: ch,
        ...(nc !== null ? { nucleusChannel: nc } : {}),
        seeds: [],
        detail: { minBranchUm: saved.minBranchUm },
        traced: others.flatMap((n) => (n.soma ? [somaCenter(n.soma)] : [])),
      },
      { transfer: [plane.data.buffer as ArrayBuffer, ...(nucleus ? [nucleus.buffer as ArrayBuffer] : [])], onProgress: (stage, fraction) => store.set({ stage, fraction }) },
    );
    if (gen !== generation) return;
    // Compared with the document as it is now: a neuron edited while the trace ran is no longer the tracer's.
    const still = saved.neurons.filter((id) => findNeuron(docStore.doc(), id));
    const match = matchSavedTrace(docStore.doc(), still, r.neurons, { parameters: r.parameters, z });
    stepKey = `autotrace-${++stepCount}`;
    stepZ = z;
    stepDepth = null;
    stepWindow = { x: 0, y: 0, width, height };
    stepPlane = JSON.stringify({ view: v.view, ch, nc });
    traceIndex.clear();
    written.clear();
    // A cell the saved trace no longer has (deleted since) still competes, under an id no neuron has: see traceAgainWith.
    match.forEach((id, k) => traceIndex.set(id ?? -1 - k, k));
    const ids = match.filter((id): id is NeuronId => id !== null && (!o.only || o.only.has(id)));
    // The saved neurons the trace does not give back are reviewed as they are, with the tracer's older ones.
    const differ = still.filter((id) => listed(id) && !match.includes(id));
    const asSaved = [...differ, ...older.map((n) => n.id).filter((id) => findNeuron(docStore.doc(), id))];
    rememberWritten([...ids, ...asSaved]);
    const message =
      o.quiet || asSaved.length === 0
        ? null
        : ids.length === 0 && older.length === 0
          ? `The saved automatic trace cannot be traced again here: tracing ${info.channels > 1 ? `channel ${ch + 1} of ` : ''}this plane again with its settings gives other neurons. ${reviewAsSavedHint}`
          : `${plural(asSaved.length, 'neuron')} of the saved automatic trace ${asSaved.length === 1 ? 'differs' : 'differ'} from what the tracer gives now: ${reviewAsSavedHint}`;
    if (o.onReviewed && ids.length + asSaved.length > 0) whenReviewed = o.onReviewed;
    store.set({ pending: [...ids, ...asSaved], asSaved: new Set(asSaved), doubtful: doubtfulIds(ids, r.neurons), lastMs: r.timings.totalMs, lastReused: r.reusedTracer, message, messageKind: 'warning' });
  } catch (e) {
    if (gen === generation) failed(e, 'Reviewing the automatic trace failed');
  } finally {
    if (gen === generation) settle(saved.minBranchUm);
  }
}

/** What the panel says of neurons reviewed as saved. */
const reviewAsSavedHint = 'accept or discard each as it is (to trace them again, with the detail slider and Not a cell, discard them and click Detect neurons).';

/** Lists a saved trace's neurons for review as the file has them, no trace behind them (see AutoTraceState.asSaved). */
function reviewAsSaved(ids: NeuronId[], message: string, o: { quiet?: boolean; onReviewed?: () => void }): void {
  if (ids.length === 0) return;
  stepKey = null;
  traceIndex.clear();
  written.clear();
  rememberWritten(ids);
  if (o.onReviewed) whenReviewed = o.onReviewed;
  store.set({ pending: ids, asSaved: new Set(ids), doubtful: NO_DOUBTS, message: o.quiet ? null : message, messageKind: 'warning', lastMs: null });
}

/** Each of `ids` as the document has it now: a change to one from here on is an edit by hand (startAutoTraceFollow). */
function rememberWritten(ids: readonly NeuronId[]): void {
  const doc = docStore.doc();
  for (const id of ids) written.set(id, findNeuron(doc, id)?.neuron);
}

/** Pending neurons reviewed as saved. */
function pendingAsSaved(): NeuronId[] {
  return asSavedAmong(store.get().pending);
}

/** Those of `ids` reviewed as saved. */
function asSavedAmong(ids: readonly NeuronId[]): NeuronId[] {
  const { asSaved } = store.get();
  return ids.filter((id) => asSaved.has(id));
}

/** What the panel says when a search fails: cancelled, a request the image cannot serve as asked (what to do instead), or the error. */
function failed(e: unknown, what: string): void {
  const err = e as Error & { code?: string };
  store.set({ messageKind: 'warning', message: err.code === 'cancelled' ? 'Automatic tracing cancelled.' : err.code === 'invalid-argument' ? err.message : `${what}: ${err.message}` });
}

/** A search is over: not busy; when the slider moved while it ran (from `tracedAt`), re-pruned at the level it shows. */
function settle(tracedAt: number | null): void {
  store.set({ busy: false, stage: null, fraction: 0 });
  const now = store.get().minBranchUm;
  if (tracedAt !== null && now !== tracedAt && store.get().pending.length > 0) void setDetail(now);
}

/** Neurons an undo or redo took out of the review while some of them were missing (see startAutoTraceFollow). */
let leftByHistory: ReadonlySet<NeuronId> | null = null;

/**
 * Keeps the review list to traced neurons still in the document as the tracer left them. One undone (or deleted by
 * any tool) leaves it, so a neuron drawn later that gets the same id (the document hands out ids again after an undo)
 * is never taken for it, offered for discard or replaced by the detail slider. One edited by hand is accepted: the
 * slider no longer replaces it, so the correction stays. An undo or redo that gives back every neuron of the review
 * as the tracer made it (a correction or a detail level undone) puts them back under review, the field traced again.
 * Returns the unsubscribe.
 */
export function startAutoTraceFollow(): () => void {
  return useDoc.subscribe((s, prev) => {
    if (writing || s.history.present === prev.history.present) return;
    const doc = s.history.present;
    dropGoneDoubts(doc);
    const moved = doc === prev.history.past?.top.doc || doc === prev.history.future?.top.doc;
    const asTraced = (id: NeuronId) => {
      const n = findNeuron(doc, id)?.neuron;
      return n !== undefined && untouchedTrace(n);
    };
    const { pending } = store.get();
    if (pending.length === 0) {
      if (moved && leftByHistory && !store.get().busy && [...leftByHistory].every(asTraced)) backToReview(leftByHistory, prev.history.present, doc);
      return;
    }
    const kept = pending.filter((id) => {
      const n = findNeuron(doc, id)?.neuron;
      return n !== undefined && n === written.get(id);
    });
    if (kept.length < pending.length) {
      if (kept.length === 0) stepKey = null;
      if (moved && kept.length === 0) {
        if (pending.every(asTraced)) backToReview(new Set(pending), prev.history.present, doc);
        else {
          // Some are gone (a Not a cell redone, an added cell undone): the others as the tracer left them stay under
          // review; the next undo or redo that gives back every one of them finds the whole review again.
          const present = pending.filter(asTraced);
          if (present.length > 0) backToReview(new Set(present), prev.history.present, doc);
          leftByHistory = new Set(pending);
        }
      }
      store.set({ pending: kept, asSaved: new Set(asSavedAmong(kept)) });
    }
  });
}

/**
 * Paths gone from the document (deleted, undone) are no longer the tracer's doubts: their ids may be handed out again,
 * and a path drawn later must not come out dotted. Those of an accepted or hand-edited neuron that remain stay.
 */
function dropGoneDoubts(doc: AnnotationDocument): void {
  const { doubtful } = store.get();
  if (doubtful.size === 0) return;
  const still = new Set(doc.neurons.flatMap((n) => n.branches.map((b) => b.id)));
  const left = doubtsWhere(doubtful, (b) => still.has(b));
  if (left !== doubtful) store.set({ doubtful: left });
}

/** After an undo or redo from `before` to `after`: `ids`, and a neuron the move brought back (a cell undone as Not a cell), under review again. */
function backToReview(ids: ReadonlySet<NeuronId>, before: AnnotationDocument, after: AnnotationDocument): void {
  leftByHistory = null;
  const had = new Set(before.neurons.map((n) => n.id));
  const returned = after.neurons.filter((n) => !had.has(n.id)).map((n) => n.id);
  queueMicrotask(() => void reviewSavedTrace({ only: new Set([...ids, ...returned]), quiet: true }));
}

/**
 * Forgets the automatic trace when another image opens (or the viewer empties): its neurons awaiting review belong to
 * the image before (another image's neuron 1 is not theirs to accept, discard or re-prune), and a trace still running
 * is stopped.
 */
export function resetAutoTrace(): void {
  generation++;
  leftByHistory = null;
  whenReviewed = null;
  if (store.get().busy) stopWorker('Another image was opened.');
  stepKey = null;
  stepDepth = null;
  traceIndex.clear();
  written.clear();
  store.set({ busy: false, stage: null, fraction: 0, pending: [], asSaved: new Set(), doubtful: NO_DOUBTS, message: null, messageKind: 'warning', lastMs: null, lastReused: false });
}

/** channelHints' last answer to which channel has more signal, by image, plane, channel traced and window. */
let moreMemo: { key: string; value: number | null } | null = null;

/**
 * What the other channels of the image say, read over the same window and worked out in the worker, when Detect found
 * no cell body (`nuclei`): one that looks like a nuclear stain (nuclear-stain.ts), to choose under Cell bodies (with only
 * fibres traced, `generic`, the panel says what Cell bodies is for even when none does); when nothing was found
 * (`traced`), which channel was traced; and when asked (`more`: nothing or no cell body found, or a colour image),
 * another whose signal clearly stands out more (channel-signal.ts): a colour micrograph of green neurons is traced in
 * its first (red) channel until the Tracing panel says otherwise. Nuclei stand out more than dendrites: a nuclear
 * stain is not named as the channel to trace.
 */
async function channelHints(view: PlaneSelector, window: PixelRect, traced: number, info: ImageInfo, ask: { nuclei: boolean; generic: boolean; more: boolean; traced: boolean }): Promise<string> {
  // Every trace of a colour image asks which channel has more signal: read once per image, plane, channel and window.
  const key = JSON.stringify([viewer.get().file?.url ?? null, view, traced, window]);
  const known = ask.more && moreMemo?.key === key ? moreMemo.value : undefined;
  let nuclei: number | null = null;
  let more: number | null = known ?? null;
  if (ask.nuclei || (ask.more && known === undefined)) {
    const planes = await Promise.all(Array.from({ length: info.channels }, (_, c) => imageClient().request({ type: 'plane', view, channel: c, region: window }).then((p) => p.data as PixelArray)));
    const pixelSize = tracingPixelSize(docStore.doc().calibration ?? info.calibration);
    const planeInfo = { palette: info.palette, invertedLut: info.invertedLut, bitsPerSample: info.bitsPerSample };
    const asked = { nuclei: ask.nuclei, more: ask.more && known === undefined, colour: isColourPicture(info) };
    const r = await client.request({ type: 'channels', planes, traced, width: window.width, height: window.height, info: planeInfo, pixelSize, ...asked }, { transfer: planes.map((p) => p.buffer as ArrayBuffer) });
    nuclei = r.nuclei;
    if (asked.more) moreMemo = { key, value: (more = r.more) };
  }
  const said: string[] = [];
  const better = more !== null && more !== nuclei ? more : null;
  if (ask.traced || better !== null) said.push(`Channel ${traced + 1} of ${info.channels} was traced${better !== null ? `; channel ${better + 1} has clearly more signal: choose it under Tracing ▸ Channel` : ''}.`);
  if (nuclei !== null) said.push(`Channel ${nuclei + 1} looks like a nuclear stain: choose it under Cell bodies, and a cell body whose nucleus is dark is found.`);
  else if (ask.generic) said.push('If a channel stains nuclei, choose it under Cell bodies: a cell body whose nucleus is dark is then found.');
  return said.join(' ');
}

/**
 * What the panel says after a trace: nothing found, fibres only (their starts are guesses), or which window of a large
 * image was read (`windowed`). A windowed trace that stayed inside its window went as asked: a note, not a warning.
 */
function traceNote(found: number, fibresOnly: boolean, clicked: boolean, windowed: { window: PixelRect; reachesOutside: boolean; width: number; height: number } | null): Pick<AutoTraceState, 'message' | 'messageKind'> {
  let where = '';
  if (windowed) {
    const size = `${windowed.window.width} × ${windowed.window.height} px`;
    where = clicked
      ? ` in the ${size} around the click${windowed.reachesOutside ? ', the most one automatic trace reads: the cell may go on past it' : ''}`
      : ` in the ${size} on screen (this ${windowed.width} × ${windowed.height} image is more than one automatic trace reads)`;
  }
  if (found === 0) return { message: `No neuron found here${where}.`, messageKind: 'warning' };
  if (fibresOnly) return { message: `No cell body in the field: traced ${plural(found, 'fibre')} from where ${found === 1 ? 'it enters' : 'each enters'} the image or from its trunk's end${where}.`, messageKind: 'warning' };
  if (!windowed) return { message: null, messageKind: 'info' };
  return { message: `Traced ${plural(found, 'neuron')}${where}.`, messageKind: clicked && windowed.reachesOutside ? 'warning' : 'info' };
}

/** The channel that stains nuclei (0-based), or null: used from the next trace on (see AutoTraceState.nucleusChannel). */
export function setNucleusChannel(channel: number | null): void {
  store.set({ nucleusChannel: channel });
}

/** New detail level: the cached trace is re-pruned and the pending neurons replaced, inside the same undo step. */
export async function setDetail(minBranchUm: number): Promise<void> {
  store.set({ minBranchUm });
  const { pending, busy } = store.get();
  // While a trace runs the worker's cache is about to be replaced: that trace applies the new level when it is done.
  if (busy || pending.length === 0 || !stepKey) return;
  const key = stepKey;
  try {
    const r = await client.request({ type: 'prune', detail: detail() });
    const neurons = await placeInDepth(fromWindow(r.neurons, stepWindow));
    if (key !== stepKey) return;
    const alive = pending.filter((id) => findNeuron(docStore.doc(), id));
    alive.forEach((id) => {
      const k = traceIndex.get(id);
      if (k !== undefined && neurons[k]) writeNeuron(id, autoNeuronReplaceAction(id, neurons[k], { parameters: r.parameters, z: stepZ }), key);
    });
    store.set({ doubtful: doubtfulIds(pending, r.neurons), lastMs: r.ms });
  } catch (e) {
    store.set({ messageKind: 'warning', message: `Re-pruning failed: ${(e as Error).message}` });
  }
}

export function setDepthPlacement(depth: boolean): void {
  store.set({ depth });
}

/** A doubtful branch the technician looked at and keeps: drawn solid from now on, as an accepted trace's are. */
export function keepDoubtful(branchId: BranchId): void {
  store.set({ doubtful: doubtsWhere(store.get().doubtful, (b) => b !== branchId) });
}

/**
 * Keeps the pending neurons as they are: later edits are ordinary undo steps. Their uncertain branches are no longer
 * drawn dotted: checked and accepted, they look as they will when the file is opened again.
 */
export function acceptAutoTrace(neuronId?: NeuronId): void {
  leftByHistory = null;
  const { pending: was, doubtful } = store.get();
  const pending = neuronId === undefined ? [] : was.filter((id) => id !== neuronId);
  if (pending.length === 0) {
    stepKey = null;
    docStore.endGesture();
  }
  const doc = docStore.doc();
  const checked = new Set(was.filter((id) => !pending.includes(id)).flatMap((id) => findNeuron(doc, id)?.neuron.branches.map((b) => b.id) ?? []));
  store.set({ pending, asSaved: new Set(asSavedAmong(pending)), doubtful: doubtsWhere(doubtful, (b) => !checked.has(b)) });
  const reviewed = pending.length === 0 ? whenReviewed : null;
  if (reviewed) {
    whenReviewed = null;
    reviewed();
  }
}

/** Deletes a pending neuron (or all of them). */
export function discardAutoTrace(neuronId?: NeuronId): void {
  const targets = neuronId === undefined ? store.get().pending : [neuronId];
  docStore.endGesture();
  // Discard all is one undo step, as the trace was.
  const key = `autotrace-discard-${++stepCount}`;
  for (const id of targets) docStore.dispatch({ type: 'deleteNeuron', neuronId: id }, { coalesceKey: key });
  docStore.endGesture();
  acceptAutoTrace(neuronId);
  if (neuronId === undefined) store.set({ pending: [], asSaved: new Set(), doubtful: NO_DOUBTS });
}

/**
 * A pending neuron that is no cell (a swelling or a junction of a dendrite taken for a cell body): the field is traced
 * again without it, so the neurons around it, still awaiting review, take its branches. Its removal and their new
 * traces are one undo step. Neurons accepted or corrected meanwhile are left as they are.
 */
export async function notACell(neuronId: NeuronId): Promise<void> {
  const drop = traceIndex.get(neuronId);
  if (drop === undefined || !store.get().pending.includes(neuronId) || retraceable().length < 2) return;
  await traceAgainWith(drop, null, 'Not a cell');
}

/**
 * The current trace again without the start at position `drop` of its answer (or none) and with a click `add`
 * (window px), as one undo step named `label`: the dropped neuron is removed, the other pending ones replaced, the
 * added one added. The starts of neurons no longer in the document (discarded) still compete: their ground stays
 * theirs.
 */
async function traceAgainWith(drop: number | null, add: { x: number; y: number } | null, label: string): Promise<void> {
  if (store.get().busy || !stepKey) return;
  const doc = docStore.doc();
  const starts = [...traceIndex].filter(([, k]) => k !== drop).sort((a, b) => a[1] - b[1]);
  const keep = starts.filter(([id]) => findNeuron(doc, id)).map(([, k]) => k);
  const compete = starts.filter(([id]) => !findNeuron(doc, id)).map(([, k]) => k);
  const gen = generation;
  const tracedAt = store.get().minBranchUm;
  store.set({ busy: true, stage: 'search', fraction: 0, message: null });
  try {
    const r = await client.request({ type: 'retrace', keep, compete, ...(add ? { add: [add] } : {}), detail: { minBranchUm: tracedAt } }, { onProgress: (stage, fraction) => store.set({ stage, fraction }) });
    const neurons = await placeInDepth(fromWindow(r.neurons, stepWindow));
    if (gen !== generation) return;
    // The answer lists the kept starts in order, then the added one.
    const position = new Map(keep.map((old, k) => [old, k]));
    const left = [...traceIndex].filter(([, k]) => !position.has(k)).map(([id]) => id);
    for (const [id, k] of traceIndex) {
      const now = position.get(k);
      if (now === undefined) traceIndex.delete(id);
      else traceIndex.set(id, now);
    }
    // A click that traced nothing (background) changes nothing in the document: no step to undo, the neurons under
    // review stay as they are (the worker's trace now has the click's start last, which the indices above account for).
    const addedNothing = add !== null && (!neurons[keep.length] || tracedNothing(neurons[keep.length]));
    const key = addedNothing ? stepKey : `autotrace-again-${++stepCount}`;
    if (!addedNothing) docStore.endGesture();
    for (const id of left) if (store.get().pending.includes(id)) docStore.dispatch({ type: 'deleteNeuron', neuronId: id }, { coalesceKey: key, label });
    const alive = store.get().pending.filter((id) => traceIndex.has(id) && findNeuron(docStore.doc(), id));
    if (!addedNothing) {
      alive.forEach((id) => {
        const k = traceIndex.get(id);
        if (k !== undefined && neurons[k]) writeNeuron(id, autoNeuronReplaceAction(id, neurons[k], { parameters: r.parameters, z: stepZ }), key, label);
      });
    }
    const added: NeuronId[] = [];
    if (add && !addedNothing) {
      const id = docStore.doc().nextId;
      traceIndex.set(id, keep.length);
      writeNeuron(id, autoNeuronAction(neurons[keep.length], { parameters: r.parameters, z: stepZ }), key, label);
      added.push(id);
      docStore.select({ kind: 'neuron', neuronId: id });
    }
    // Later detail changes replace the new traces and fold into this step, as after a trace.
    stepKey = key;
    const kept = pendingAsSaved();
    const pending = [...alive, ...kept, ...added];
    const nothing = addedNothing ? traceNote(0, false, true, null) : {};
    store.set({ pending, asSaved: new Set(kept), doubtful: doubtfulIds(pending, r.neurons), lastMs: r.ms, ...nothing });
  } catch (e) {
    if (gen === generation) failed(e, 'Tracing again failed');
  } finally {
    if (gen === generation) settle(tracedAt);
  }
}

/**
 * A cell body Detect missed, clicked while the field's neurons await review: the field is traced again with it, so
 * its neighbours awaiting review give up the dendrites they had taken from it. The new neuron and their new traces
 * are one undo step; neurons accepted or corrected meanwhile are left as they are.
 */
async function addCell(click: { x: number; y: number }): Promise<void> {
  await traceAgainWith(null, { x: click.x - stepWindow.x, y: click.y - stepWindow.y }, 'Add a cell');
}

function within(r: PixelRect, p: { x: number; y: number }, margin: number): boolean {
  return p.x >= r.x + margin && p.y >= r.y + margin && p.x <= r.x + r.width - margin && p.y <= r.y + r.height - margin;
}

/** Pending neurons with the current trace behind them: the slider and Not a cell work on these. */
function retraceable(): NeuronId[] {
  const { pending, asSaved } = store.get();
  return pending.filter((id) => !asSaved.has(id) && traceIndex.has(id));
}

/** The preference that says the Auto tool has been chosen on this profile (see startAutoTracePrepare). */
const AUTO_TOOL_USED = 'autoToolUsed';

/**
 * While the Auto tool is chosen, the plane a click would trace is sent to the worker ahead of the click: its
 * foreground and distances (most of a trace on a cultured field) are worked out while the technician aims, and the
 * click then costs its search alone. Once the tool has been chosen (in this session or an earlier one: the choice is
 * remembered), so is the plane of every image opened after, whatever the tool: a technician who corrects with the
 * Edit tool and opens the next image finds it read when they come back to Auto, and the first image of the day is
 * read as it opens, before the tool is chosen and a click made at once (a profile that never used the tool reads
 * nothing ahead). Only an image traced whole: the window a click on a larger one reads depends on the click. The
 * worker knows the plane by its bytes' digest, so a plane read again after a change is a new plane. One plane at a
 * time: slices scrolled through while one is prepared leave only the last to prepare next, so a click never waits
 * behind planes nobody clicked on. The worker itself is started when the first image has opened, whatever the tool:
 * loading its code (about 100-175 ms in Chromium) is done before the Auto tool is chosen. Once: a worker that crashed
 * starts again at the next request, as before.
 */
export function startAutoTracePrepare(): () => void {
  let next: Parameters<typeof prepare> | null = null;
  let running = false;
  let started = false;
  let used = loadViewSetting(AUTO_TOOL_USED, false);
  const drain = async (): Promise<boolean | null> => {
    running = true;
    let built: boolean | null = null;
    try {
      for (let p = next; p; p = next) {
        next = null;
        built = await prepare(...p).catch(() => null);
      }
    } finally {
      running = false;
    }
    return built;
  };
  const check = () => {
    const v = viewer.get();
    const { info } = v;
    if (!started && info && !v.loading) {
      started = true;
      client.start();
    }
    if (v.tool === 'auto' && !used) {
      used = true;
      saveViewSetting(AUTO_TOOL_USED, true);
    }
    if (!used || !info || v.loading || v.tiled || store.get().busy) return;
    if (info.width * info.height > Math.min(maxPixels(), firstWindowPixels())) return;
    const ch = Math.min(traceStore.get().channel, info.channels - 1);
    const nc = nucleusFor(info, ch);
    const now = [v.file, info, v.view, ch, nc];
    if (now.length === preparedFor.length && now.every((x, k) => x === preparedFor[k])) return;
    preparedFor = now;
    next = [v.view, ch, nc, info];
    if (!running) preparing = drain();
  };
  const offs = [
    useViewer.subscribe(check),
    useTrace.subscribe(check),
    useAutoTrace.subscribe(check),
    client.onCrash(() => {
      preparedFor = [];
      check();
    }),
  ];
  check();
  return () => offs.forEach((off) => off());
}

/** What the plane last sent ahead of a click was read from (file, image, view, channel); empty once the worker is gone. */
let preparedFor: readonly unknown[] = [];

/** The planes sent ahead of a click: resolves when the last is ready, to true when the worker built its tracer, false when it had it (null: failed or none). */
let preparing: Promise<boolean | null> = Promise.resolve(null);

/** For tests and support: waits for the last plane sent ahead of a click (see startAutoTracePrepare). */
export const autoTracePrepared = (): Promise<boolean | null> => preparing;

/** For tests and support: the name of the file the last plane sent ahead of a click was read from (null: none, or the worker is gone). */
export const autoTracePreparedFile = (): string | null => (preparedFor[0] as { name: string } | null | undefined)?.name ?? null;

/** Reads a plane and has the worker build its tracer (see startAutoTracePrepare). */
async function prepare(view: PlaneSelector, ch: number, nc: number | null, info: ImageInfo): Promise<boolean | null> {
  const plane = await imageClient().request({ type: 'plane', view, channel: ch });
  const nucleus = await nucleusPlane(view, nc);
  const smoothed = info.palette ? null : await liveWireSmoothed().catch(() => null);
  const toTrace = await planeToTrace(plane, info, smoothed, nucleus);
  // Without a digest the click could not tell the prepared plane, and would only wait behind it.
  if (toTrace.key === undefined) return null;
  const transfer = [plane.data, smoothed?.data, nucleus].flatMap((v) => (v ? [v.buffer as ArrayBuffer] : []));
  const r = await client.request({ type: 'prepare', plane: toTrace, ...(smoothed ? { smoothed } : {}) }, { transfer });
  return r.built;
}

export function cancelAutoTrace(): void {
  stopWorker('Automatic tracing cancelled.');
}

/** Stops the worker (what it held is gone: the next request starts a fresh one, and the plane is prepared again). */
function stopWorker(why: string): void {
  preparedFor = [];
  client.cancel(Object.assign(new Error(why), { code: 'cancelled' }));
}
