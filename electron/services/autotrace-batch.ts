import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { newAnnotationFile } from '../../shared/formats/annotation-file';
import type { Calibration } from '../../shared/image/types';
import { recordSave } from '../../shared/review/history';
import type { Project } from '../../shared/project/schema';
import { NAMED_NUCLEI_LISTED, type AutotraceTally } from '../../shared/project/autotrace-summary';
import type { AutoNeuron } from '../../shared/tracing/auto/auto-neuron';
import { documentWithNeurons, type AutoTraceRequest } from '../../shared/tracing/auto/run';
import type { AutoParameters } from '../../shared/tracing/auto/to-document';
import { DEFAULT_MIN_BRANCH_UM } from '../../shared/tracing/auto/prune-trace';
import { BATCH_TRACER_NAME, emptyAsTheBatchLeftIt, savedTrace, uncheckedBatchWork } from '../../shared/tracing/auto/saved-trace';
import { batchNoteSettings, batchNoteText, type BatchSettings } from '../../shared/tracing/auto/batch-note';
import { imageIdentityOf } from './annotation-store';
import { resolveWorkerSource } from './decode-pool';
import { ramifyVersion } from './project-files';
import { annotationFilePath, projectDir, readImageAnnotation, saveImageAnnotation } from './project-service';

/** Images without a cell body a batch looks for a nuclear stain on, at most (see AutoTraceOutcome.nuclearStainIn). */
const NUCLEAR_STAIN_LOOKS = 3;

/** One image to trace, as the worker receives it. */
export interface AutotraceJob {
  id: number;
  path: string;
  request: Omit<AutoTraceRequest, 'seeds'>;
}

/** What tracing one image gives. */
export interface TracedImage {
  neurons: AutoNeuron[];
  parameters: AutoParameters;
  width: number;
  height: number;
  calibration: Calibration | null;
  ms: number;
  /** Where no cell body was found: a channel that looks like a nuclear stain (AutoTraceOutcome.nuclearStainIn). */
  nuclearStainIn?: number | null;
  /** Where nothing was found: a channel with clearly more signal than the one traced (AutoTraceOutcome.moreSignalIn). */
  moreSignalIn?: number | null;
  /** True when the image names the channel traced as a nuclear stain (stain-names.ts). */
  tracedNuclei?: boolean;
  /** True when the image holds only a nuclear stain (a plate's DAPI wavelength not merged): it was not traced. */
  nuclearStainAlone?: boolean;
}

export type AutotraceJobReply = { id: number; result: TracedImage } | { id: number; error: string };

/** Traces one image file (a path); the CLI traces in-process, the app in a worker. */
export type ImageTracer = (path: string, request: Omit<AutoTraceRequest, 'seeds'>) => Promise<TracedImage>;

export interface BatchResult extends Omit<AutotraceTally, 'failed'> {
  project: Project;
  failed: Array<{ path: string; message: string }>;
}

/**
 * The images a batch traces: not excluded, not in `skip` (images open in the app with unsaved work: their work exists
 * only in the app, so nothing on disk shows it), and either without neurons and annotation file on disk, or with a
 * trace of an earlier batch that nobody has opened for review or saved since (or a file where it found nothing, as
 * it wrote it), made with other settings than `request`'s (the channels or the detail: the technician changed them
 * after seeing it; batchWorkOn). An annotation path alone is not work: opening an image names its (random) file
 * before anything is written.
 */
export async function imagesToTrace(dir: string, project: Project, request: Omit<AutoTraceRequest, 'seeds'>, skip: ReadonlySet<string> = new Set()): Promise<Project['images']> {
  return (await batchPlan(dir, project, request, skip)).todo;
}

/** The images a batch traces (imagesToTrace), those of them it traces again, and how many it leaves alone, by why. */
async function batchPlan(dir: string, project: Project, request: Omit<AutoTraceRequest, 'seeds'>, skip: ReadonlySet<string>): Promise<{ todo: Project['images']; again: Set<string>; left: AutotraceTally['left'] }> {
  const left: AutotraceTally['left'] = { annotated: 0, unchecked: 0, excluded: 0, unsaved: 0 };
  const todo: Project['images'] = [];
  const again = new Set<string>();
  for (const img of project.images) {
    let why: keyof typeof left | null = img.status === 'excluded' ? 'excluded' : skip.has(img.id) ? 'unsaved' : img.neuronCount > 0 || existsSync(annotationFilePath(dir, project, img.id)) ? 'annotated' : null;
    // The project caches which files hold a batch's unchecked work (toCheck): only those are read, and files without a
    // neuron (projects of earlier builds did not mark those where a batch found nothing).
    if (why === 'annotated' && (img.toCheck || img.neuronCount === 0)) {
      const work = await batchWorkOn(dir, project, img.id, request);
      if (work === 'again') again.add(img.id);
      why = work === 'again' ? null : (work ?? why);
    }
    if (why) left[why]++;
    else todo.push(img);
  }
  return { todo, again, left };
}

/**
 * What an image's file is to a batch: its own work nobody has checked (uncheckedBatchWork), made by this tracer with
 * other channels or another detail than `request`'s, is traced again ('again': the technician changed them after
 * seeing it, and the file holds no one's work); its own unchecked work otherwise (the same settings, or an earlier
 * tracer's) is left for its review ('unchecked'); anything else is someone's work (null).
 */
async function batchWorkOn(dir: string, project: Project, imageId: string, request: Omit<AutoTraceRequest, 'seeds'>): Promise<'again' | 'unchecked' | null> {
  const file = await readImageAnnotation(dir, project, imageId).catch(() => null);
  if (!file || !uncheckedBatchWork(file)) return null;
  const now = settingsOf(request);
  const differs = (s: { channel: number | null; nucleusChannel: number | null; minBranchUm: number }) => (s.channel ?? 0) !== now.channel || s.nucleusChannel !== now.nucleusChannel || Math.abs(s.minBranchUm - now.minBranchUm) > 1e-6;
  // Nothing was found there (the wrong channel traced, say): the note says how it traced; an earlier build's note
  // does not, and such a file is traced again all the same.
  if (emptyAsTheBatchLeftIt(file)) {
    const said = batchNoteSettings(file.review.comments[0].text);
    return said === null || differs(said) ? 'again' : 'unchecked';
  }
  const saved = savedTrace(file.document);
  return saved && saved.neurons.length === file.document.neurons.length && differs(saved) ? 'again' : 'unchecked';
}

/** The settings a batch request traces at. */
function settingsOf(request: Omit<AutoTraceRequest, 'seeds'>): BatchSettings {
  return { channel: request.channel ?? 0, nucleusChannel: request.nucleusChannel ?? null, minBranchUm: request.detail?.minBranchUm ?? DEFAULT_MIN_BRANCH_UM };
}

/**
 * Automatic tracing of a project: every image imagesToTrace names is traced (field detection) and saved with review
 * status "ready-for-review" and a comment saying so; images with someone's annotations are never touched, excluded
 * images and those in `skip` (open with unsaved work) are skipped. `onPlan` says how many images are to be traced
 * before the first is; `onImage` reports each image as it is done.
 */
export async function autotraceProjectImages(
  dir: string,
  project: Project,
  o: {
    request: Omit<AutoTraceRequest, 'seeds'>;
    trace: ImageTracer;
    skip?: ReadonlySet<string>;
    signal?: AbortSignal;
    onPlan?: (total: number) => void;
    onImage?: (done: number, total: number, path: string, outcome: { neurons: number; ms: number } | { error: string } | { leftAlone: string }) => void;
  },
): Promise<BatchResult> {
  const { todo, again, left } = await batchPlan(dir, project, o.request, o.skip ?? new Set());
  o.onPlan?.(todo.length);
  const failed: BatchResult['failed'] = [];
  const noCellBody = { images: 0, nuclearStainIn: null as number | null, moreSignalIn: null as number | null };
  const brighterChannel = { images: 0, channel: null as number | null };
  const tracedNuclei = { images: 0, paths: [] as string[] };
  let request = o.request;
  let traced = 0;
  let retraced = 0;
  let k = 0;
  for (const img of todo) {
    if (o.signal?.aborted) break;
    k++;
    const abs = join(projectDir(dir), ...img.path.split('/'));
    try {
      // Lengths are read at the project's pixel size where it sets one, as the app reads them when the trace is reviewed.
      const r = await o.trace(abs, img.calibration ? { ...request, calibration: img.calibration } : request);
      if (o.signal?.aborted) break;
      // Nothing in it to trace: no file is written, and it is counted with the images left alone.
      if (r.nuclearStainAlone) {
        left.nuclearStainOnly = (left.nuclearStainOnly ?? 0) + 1;
        o.onImage?.(k, todo.length, img.path, { leftAlone: 'it holds only a nuclear stain' });
        continue;
      }
      const doc = documentWithNeurons(r.neurons, null, img.calibration ?? r.calibration, r.parameters);
      const identity = await imageIdentityOf(abs, r.width, r.height).catch(() => null);
      const file = newAnnotationFile(doc, { appVersion: ramifyVersion(), image: identity });
      // The pixel size the tracer read lengths at (null: none, an assumed one; not recorded by a stub tracer).
      const px = r.parameters.pixelSizeUm;
      const note = batchNoteText(settingsOf(o.request), r.neurons.length, typeof px === 'number' || px === null ? px : undefined);
      file.review = { ...file.review, status: 'ready-for-review', comments: [{ author: BATCH_TRACER_NAME, text: note, at: file.review.createdAt }] };
      file.history = recordSave(null, file, { userName: BATCH_TRACER_NAME, role: 'tracer' }, file.review.createdAt);
      project = await saveImageAnnotation(dir, project, img.id, file);
      traced++;
      if (again.has(img.id)) retraced++;
      if (r.tracedNuclei) {
        tracedNuclei.images++;
        if (tracedNuclei.paths.length < NAMED_NUCLEI_LISTED) tracedNuclei.paths.push(img.path);
      }
      if (r.neurons.every((n) => n.fibre)) {
        noCellBody.images++;
        noCellBody.nuclearStainIn ??= r.nuclearStainIn ?? null;
        noCellBody.moreSignalIn ??= r.moreSignalIn ?? null;
        // One channel named is enough, and a project of fibres without cell bodies need not pay for it on every image.
        if (noCellBody.nuclearStainIn !== null || noCellBody.moreSignalIn !== null || noCellBody.images >= NUCLEAR_STAIN_LOOKS) request = { ...o.request, nuclearStainHint: false };
      } else if (r.moreSignalIn != null) {
        brighterChannel.images++;
        brighterChannel.channel ??= r.moreSignalIn;
      }
      o.onImage?.(k, todo.length, img.path, { neurons: r.neurons.length, ms: r.ms });
    } catch (e) {
      if (o.signal?.aborted) break;
      const message = e instanceof Error ? e.message : String(e);
      failed.push({ path: img.path, message });
      o.onImage?.(k, todo.length, img.path, { error: message });
    }
  }
  const cancelled = o.signal?.aborted === true;
  return { project, traced, retraced, left, notReached: cancelled ? todo.length - traced - failed.length - (left.nuclearStainOnly ?? 0) : 0, failed, cancelled, noCellBody, brighterChannel, tracedNuclei };
}


/**
 * An ImageTracer running in a worker thread; `signal` terminates the worker, which stops a trace mid-image. One worker
 * for the whole batch (tracing is memory-bound; two at once on two cores barely helps and doubles the memory).
 */
export function workerTracer(signal?: AbortSignal): { trace: ImageTracer; close: () => Promise<void> } {
  let worker: Promise<Worker> | null = null;
  let nextId = 1;
  const start = () =>
    (worker ??= resolveWorkerSource('autotrace').then((src) => new Worker(src, { eval: true })));
  const trace: ImageTracer = async (path, request) => {
    const w = await start();
    const id = nextId++;
    return new Promise<TracedImage>((resolve, reject) => {
      const onAbort = () => {
        void w.terminate();
        reject(new Error('Automatic tracing cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const onMessage = (m: AutotraceJobReply) => {
        if (m.id !== id) return;
        w.off('message', onMessage);
        signal?.removeEventListener('abort', onAbort);
        if ('result' in m) resolve(m.result);
        else reject(new Error(m.error));
      };
      w.on('message', onMessage);
      w.postMessage({ id, path, request } satisfies AutotraceJob);
    });
  };
  return { trace, close: async () => void (worker ? (await worker).terminate() : undefined) };
}
