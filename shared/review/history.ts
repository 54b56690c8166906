import { measureNeuron, scaleOf } from '../analysis/index';
import type { ShollSettings } from '../formats/annotation/types';
import { diffDocuments, isEmptyDiff, type MetadataChange, type NeuronDiff } from '../model/diff';
import { emptyDocument, somaCenter, type AnnotationDocument, type BranchLabel, type BranchParent, type Neuron } from '../model/document';
import type { Role } from './status';

/**
 * The change history an annotation file keeps: one summary per save that changed the tracing (who, when, what
 * changed per neuron, the key counts before and after), and the geometry as it was at the last approval or request
 * for changes, so the viewer can show what was added and removed since.
 *
 * Entries are summaries (a few numbers per changed neuron), never copies of the tracing; only the reviewed
 * snapshot holds geometry, and there is one. Past MAX_HISTORY_ENTRIES the oldest entries are dropped and counted.
 */

/** The counts a PI checks, in the document's unit at the time (µm when calibrated, px otherwise). */
export interface NeuronCounts {
  primaryDendrites: number;
  branchPoints: number;
  tips: number;
  /** Dendritic length (stems excluded), rounded to 1/1000 of the unit. */
  totalLength: number;
  unit: 'µm' | 'px';
  /** Sholl Nmax with the file's Sholl radii; null when they cannot be sampled. */
  nmax: number | null;
}

/** One neuron's change in a save: how many nodes and branches, and the counts before and after. */
export interface NeuronChange {
  neuronId: number;
  name: string;
  change: NeuronDiff['change'];
  nodes: { added: number; removed: number; moved: number };
  /** `changed`: reshaped, re-attached or relabelled. */
  branches: { added: number; removed: number; changed: number };
  /** The soma appeared, disappeared or moved. */
  soma?: 'added' | 'removed' | 'moved';
  /** The neuron's name before and after (`name` is the new one). */
  renamed?: MetadataChange;
  /** The neuron's colour before and after (#rrggbb). */
  recoloured?: MetadataChange;
  /** Null for a neuron the save added. */
  before: NeuronCounts | null;
  /** Null for a neuron the save removed. */
  after: NeuronCounts | null;
}

export interface HistoryEntry {
  /** When the file was saved, ISO 8601. */
  at: string;
  /** The user name set in the settings of whoever saved ('' when none was set). */
  by: string;
  role?: Role;
  /** The pixel size changed: every neuron is listed, its lengths before and after. */
  calibrationChanged?: boolean;
  /** Changed neurons. */
  neurons: NeuronChange[];
}

/** A branch as reviewed: nodes flattened to [id, x, y, z, id, x, y, z, …] (image px, to 1/1000 px). */
export interface SnapshotBranch {
  id: number;
  label: BranchLabel;
  parent: BranchParent;
  nodes: number[];
}

export interface SnapshotNeuron {
  id: number;
  /** Soma centre [x, y, z] (a polygon soma by its centroid), or null. */
  soma: [number, number, number] | null;
  branches: SnapshotBranch[];
}

/** The tracing's geometry when it was last approved or sent back, enough to draw what changed since. */
export interface ReviewedSnapshot {
  /** The review's reviewedAt. */
  at: string;
  /** The reviewer. */
  by: string;
  neurons: SnapshotNeuron[];
}

export interface FileHistory {
  /** Oldest first. */
  entries: HistoryEntry[];
  /** How many older entries were dropped to keep the file small. */
  dropped?: number;
  reviewed?: ReviewedSnapshot;
}

/** Entries kept; older ones are dropped (and counted). */
export const MAX_HISTORY_ENTRIES = 500;

const milli = (v: number) => Math.round(v * 1000) / 1000;

/** The counts of one neuron, with the Sholl radii of the file (defaults when it has none). */
export function neuronCounts(neuron: Neuron, calibration: AnnotationDocument['calibration'], sholl?: ShollSettings): NeuronCounts {
  const scale = scaleOf(calibration);
  const shollOptions = sholl ? { start: sholl.start, step: sholl.step, ...(sholl.end !== null ? { end: sholl.end } : {}) } : {};
  let m;
  try {
    m = measureNeuron(neuron, scale, { sholl: shollOptions });
  } catch {
    // Radii that cannot be sampled (e.g. a start beyond the end) leave Nmax unknown, not the save refused.
    m = measureNeuron(neuron, scale, { sholl: false });
  }
  const g = m.morphometrics;
  return { primaryDendrites: g.primaryBranches, branchPoints: g.branchPoints, tips: g.tips, totalLength: milli(g.totalLength), unit: m.unit, nmax: m.sholl?.maxCrossings ?? null };
}

/** Who saved, from the settings. */
export interface Saver {
  userName: string;
  role: Role;
}

/** The history entry of a save from `before` to `after`; null when the tracing did not change. */
export function historyEntry(before: AnnotationDocument, after: AnnotationDocument, who: Saver, at: string, sholl?: ShollSettings): HistoryEntry | null {
  const diff = diffDocuments(before, after, { metadata: true });
  if (isEmptyDiff(diff)) return null;
  const oldNeurons = new Map(before.neurons.map((n) => [n.id, n]));
  const newNeurons = new Map(after.neurons.map((n) => [n.id, n]));
  const listed = new Map(diff.neurons.map((d) => [d.neuronId, d]));
  // A new pixel size changes every length: neurons with no edit are listed too, with their counts before and after.
  const unchanged = (n: Neuron): NeuronDiff => ({ neuronId: n.id, name: n.name, change: 'changed', nodes: { added: [], removed: [], moved: [] }, branches: { added: [], removed: [], changed: [] }, soma: null });
  const shown = diff.calibrationChanged ? [...after.neurons.map((n) => listed.get(n.id) ?? unchanged(n)), ...diff.neurons.filter((d) => d.change === 'removed')] : diff.neurons;
  const neurons = shown.map((d): NeuronChange => {
    const was = oldNeurons.get(d.neuronId);
    const now = newNeurons.get(d.neuronId);
    return {
      neuronId: d.neuronId,
      name: d.name,
      change: d.change,
      nodes: { added: d.nodes.added.length, removed: d.nodes.removed.length, moved: d.nodes.moved.length },
      branches: { added: d.branches.added.length, removed: d.branches.removed.length, changed: d.branches.changed.length },
      ...(d.soma ? { soma: d.soma } : {}),
      ...(d.renamed ? { renamed: d.renamed } : {}),
      ...(d.recoloured ? { recoloured: d.recoloured } : {}),
      before: was ? neuronCounts(was, before.calibration, sholl) : null,
      after: now ? neuronCounts(now, after.calibration, sholl) : null,
    };
  });
  return { at, by: who.userName, role: who.role, ...(diff.calibrationChanged ? { calibrationChanged: true } : {}), neurons };
}

/** The history with one more entry, the oldest dropped beyond MAX_HISTORY_ENTRIES. */
export function appendEntry(history: FileHistory | undefined, entry: HistoryEntry): FileHistory {
  const entries = [...(history?.entries ?? []), entry];
  const over = Math.max(0, entries.length - MAX_HISTORY_ENTRIES);
  const dropped = (history?.dropped ?? 0) + over;
  return { ...history, entries: entries.slice(over), ...(dropped > 0 ? { dropped } : {}) };
}

/** The geometry of a document as a reviewer saw it. */
export function snapshotOf(doc: AnnotationDocument, at: string, by: string): ReviewedSnapshot {
  return {
    at,
    by,
    neurons: doc.neurons.map((n) => {
      let soma: SnapshotNeuron['soma'] = null;
      if (n.soma) {
        const c = somaCenter(n.soma);
        soma = [milli(c.x), milli(c.y), milli(c.z)];
      }
      return {
        id: n.id,
        soma,
        branches: n.branches.map((b) => ({ id: b.id, label: b.label, parent: b.parent, nodes: b.nodes.flatMap((p) => [p.id, milli(p.x), milli(p.y), milli(p.z)]) })),
      };
    }),
  };
}

/** The snapshot as a document (names and colours are not kept), to diff against the tracing now. */
export function snapshotDocument(s: ReviewedSnapshot, calibration: AnnotationDocument['calibration'] = null): AnnotationDocument {
  let maxId = 0;
  const neurons: Neuron[] = s.neurons.map((n) => {
    maxId = Math.max(maxId, n.id);
    return {
      id: n.id,
      name: '',
      color: '#000000',
      soma: n.soma ? { kind: 'point', x: n.soma[0], y: n.soma[1], z: n.soma[2] } : null,
      branches: n.branches.map((b) => {
        maxId = Math.max(maxId, b.id);
        const nodes = [];
        for (let i = 0; i + 3 < b.nodes.length; i += 4) {
          nodes.push({ id: b.nodes[i], x: b.nodes[i + 1], y: b.nodes[i + 2], z: b.nodes[i + 3] });
          maxId = Math.max(maxId, b.nodes[i]);
        }
        return { id: b.id, label: b.label, parent: b.parent, nodes };
      }),
    };
  });
  return { neurons, nextId: maxId + 1, calibration };
}

/** The parts of a saved file the history follows. */
export interface SavedVersion {
  document: AnnotationDocument;
  review: { reviewer?: string; reviewedAt?: string };
  shollSettings?: ShollSettings;
  history?: FileHistory;
}

/**
 * The history to write with a save: the previous version's history (the file on disk is the record; null when
 * nothing was saved yet, then the new file's own), plus an entry when the tracing changed, and a new snapshot when
 * the save carries a new approval or request for changes. Undefined when there is nothing to keep.
 */
export function recordSave(previous: SavedVersion | null, next: SavedVersion, who: Saver, at: string): FileHistory | undefined {
  let history = previous ? previous.history : next.history;
  const before = previous?.document ?? emptyDocument(next.document.calibration);
  const entry = historyEntry(before, next.document, who, at, next.shollSettings);
  if (entry) history = appendEntry(history, entry);
  const reviewedAt = next.review.reviewedAt;
  if (reviewedAt && reviewedAt !== previous?.review.reviewedAt && reviewedAt !== history?.reviewed?.at) {
    history = { entries: [], ...history, reviewed: snapshotOf(next.document, reviewedAt, next.review.reviewer ?? '') };
  }
  return history;
}

/** Entries that changed one neuron, newest first. */
export function entriesForNeuron(history: FileHistory | undefined, neuronId: number): Array<{ entry: HistoryEntry; change: NeuronChange }> {
  const out: Array<{ entry: HistoryEntry; change: NeuronChange }> = [];
  for (const entry of history?.entries ?? []) {
    const change = entry.neurons.find((c) => c.neuronId === neuronId);
    if (change) out.push({ entry, change });
  }
  return out.reverse();
}
