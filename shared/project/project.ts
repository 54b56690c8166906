import type { Calibration } from '../image/types';
import { RamifyError } from '../result';
import { extendBlindKey } from './blinding';
import type { ConditionAssignment } from './conditions';
import { ANNOTATIONS_DIR, PROJECT_FORMAT, PROJECT_VERSION, type ImageStatus, type Project, type ProjectImage, type ProjectSholl, type ProjectTracing } from './schema';

/**
 * Pure edits of a project: each returns a new Project (inputs are never mutated) with `modified` set to `now`
 * (ISO 8601, passed in so tests and the CLI stay deterministic). Unknown ids throw RamifyError('not-found').
 */

/** Sampling used when the user has not chosen: shells every 10 µm from 10 µm to each neuron's farthest point. */
export const DEFAULT_SHOLL: ProjectSholl = { start: 10, step: 1, end: null };

/** What the folder scan knows about an image file. */
export interface ScannedImage {
  /** Relative path, '/' separators. */
  path: string;
  width: number | null;
  height: number | null;
  calibration: Calibration | null;
}

export const imageIdFor = (n: number): string => `img-${String(n).padStart(4, '0')}`;

/**
 * The annotation file name earlier builds gave an image (`annotations/img-0003.ramify.json`). Ids follow the scan's
 * path order, so under blinding that number tells which condition folder an image came from: such names are only
 * read (and renamed, see assignAnnotationPath), never given to new files.
 */
export const annotationPathFor = (imageId: string): string => `${ANNOTATIONS_DIR}/${imageId}.ramify.json`;

const NAME_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** Ten random letters and digits (no look-alikes) for a file name that says nothing about what it holds. */
export function randomFileName(random: () => number): string {
  let name = '';
  for (let k = 0; k < 10; k++) name += NAME_ALPHABET[Math.floor(random() * NAME_ALPHABET.length)];
  return name;
}

/** A random annotation file name, unused in the project: nothing in it relates to the image's path, id or list place. */
export function freshAnnotationPath(project: Project, random: () => number): string {
  const taken = new Set(project.images.flatMap((i) => [i.annotation, annotationPathFor(i.id)]));
  for (;;) {
    const path = `${ANNOTATIONS_DIR}/${randomFileName(random)}.ramify.json`;
    if (!taken.has(path)) return path;
  }
}

/**
 * Gives an image its annotation file name before anything is written there (a no-op when it has one), so the
 * project always knows where an image's tracing is, even after a crash between writing the file and the project.
 */
export function assignAnnotationPath(project: Project, imageId: string, random: () => number, now: string): Project {
  const img = project.images[indexOf(project, imageId)];
  if (img.annotation !== null) return project;
  return updateImage(project, imageId, now, (i) => ({ ...i, annotation: freshAnnotationPath(project, random) }));
}

export function emptyProject(name: string, now: string): Project {
  return {
    format: PROJECT_FORMAT,
    version: PROJECT_VERSION,
    name,
    created: now,
    modified: now,
    nextImageNumber: 1,
    columns: ['condition'],
    conditions: [],
    images: [],
    sholl: { ...DEFAULT_SHOLL },
    display: null,
    blinding: { enabled: false, seed: 0, key: {} },
  };
}

/** A project holding the scanned images (in the given order) with metadata from a condition assignment. */
export function createProject(name: string, images: readonly ScannedImage[], assignment: ConditionAssignment | null, now: string): Project {
  let p = emptyProject(name, now);
  if (assignment) p = { ...p, columns: [...assignment.columns] };
  p = addImages(p, images, now, assignment?.metadata);
  if (assignment) p = { ...p, conditions: [...assignment.conditions, ...p.conditions.filter((c) => !assignment.conditions.includes(c))] };
  return p;
}

function withConditions(p: Project): Project {
  const conditions = [...p.conditions];
  for (const img of p.images) {
    const c = img.metadata.condition;
    if (c && !conditions.includes(c)) conditions.push(c);
  }
  return conditions.length === p.conditions.length ? p : { ...p, conditions };
}

/**
 * Appends images not already in the project (same relative path = same image; those are skipped). Metadata comes
 * from `metadata` by path, missing cells are ''. When blinding has a key, new images get codes after the existing
 * ones.
 */
export function addImages(project: Project, images: readonly ScannedImage[], now: string, metadata?: ReadonlyMap<string, Record<string, string>>): Project {
  const known = new Set(project.images.map((i) => i.path));
  let n = project.nextImageNumber;
  const added: ProjectImage[] = [];
  for (const s of images) {
    if (known.has(s.path)) continue;
    known.add(s.path);
    const given = metadata?.get(s.path) ?? {};
    const cells: Record<string, string> = {};
    for (const c of project.columns) cells[c] = given[c] ?? '';
    added.push({
      id: imageIdFor(n++),
      path: s.path,
      status: 'to-do',
      metadata: cells,
      width: s.width,
      height: s.height,
      calibration: s.calibration,
      annotation: null,
      neuronCount: 0,
    });
  }
  let p: Project = { ...project, images: [...project.images, ...added], nextImageNumber: n, modified: now };
  if (Object.keys(p.blinding.key).length > 0) p = { ...p, blinding: { ...p.blinding, key: extendBlindKey(p.blinding.key, p.images.map((i) => i.id), p.blinding.seed) } };
  return withConditions(p);
}

function indexOf(project: Project, imageId: string): number {
  const i = project.images.findIndex((img) => img.id === imageId);
  if (i < 0) throw new RamifyError('not-found', `No image with id '${imageId}' in the project.`);
  return i;
}

/** Finds an image by id, or by relative path / unique file name (as the CLI accepts). Throws RamifyError('not-found'). */
export function findImage(project: Project, ref: string): ProjectImage {
  const norm = ref.replace(/\\/g, '/').replace(/^\.\//, '');
  const hit = project.images.find((i) => i.id === ref) ?? project.images.find((i) => i.path === norm);
  if (hit) return hit;
  const byName = project.images.filter((i) => i.path.slice(i.path.lastIndexOf('/') + 1) === norm);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) throw new RamifyError('not-found', `'${ref}' names ${byName.length} images (${byName.map((i) => i.path).join(', ')}); give the relative path or the image id.`);
  throw new RamifyError('not-found', `No image '${ref}' in the project (give its id, e.g. img-0001, or its path relative to the project folder).`);
}

function updateImage(project: Project, imageId: string, now: string, f: (img: ProjectImage) => ProjectImage): Project {
  const i = indexOf(project, imageId);
  const images = [...project.images];
  images[i] = f(images[i]);
  return { ...project, images, modified: now };
}

/** Removes images from the list; their annotation files stay on disk (the service decides about files). */
export function removeImages(project: Project, imageIds: readonly string[], now: string): Project {
  for (const id of imageIds) indexOf(project, id);
  const drop = new Set(imageIds);
  const key = { ...project.blinding.key };
  for (const id of drop) delete key[id];
  return { ...project, images: project.images.filter((i) => !drop.has(i.id)), blinding: { ...project.blinding, key }, modified: now };
}

/** Sets one metadata cell; a new column name is appended to `columns`. Condition changes update `conditions`. */
export function setMetadata(project: Project, imageId: string, column: string, value: string, now: string): Project {
  const name = column.trim();
  if (name === '') throw new RamifyError('invalid-argument', 'A metadata column needs a name.');
  let p = project;
  if (!p.columns.includes(name)) p = addColumn(p, name, now);
  p = updateImage(p, imageId, now, (img) => ({ ...img, metadata: { ...img.metadata, [name]: value } }));
  return name === 'condition' ? withConditions(p) : p;
}

/** Adds an empty metadata column (no-op when it exists). */
export function addColumn(project: Project, column: string, now: string): Project {
  const name = column.trim();
  if (name === '') throw new RamifyError('invalid-argument', 'A metadata column needs a name.');
  if (project.columns.includes(name)) return project;
  return { ...project, columns: [...project.columns, name], images: project.images.map((i) => ({ ...i, metadata: { ...i.metadata, [name]: '' } })), modified: now };
}

/** Reorders conditions (for lists and Prism tables); `order` must be a permutation of the current conditions. */
export function setConditionOrder(project: Project, order: readonly string[], now: string): Project {
  const cur = new Set(project.conditions);
  if (order.length !== cur.size || !order.every((c) => cur.has(c))) throw new RamifyError('invalid-argument', 'The new condition order must list every condition exactly once.');
  return { ...project, conditions: [...order], modified: now };
}

/** Sets an image's status directly (the CLI and tests; the app changes it through the annotation file's review). */
export function setStatus(project: Project, imageId: string, status: ImageStatus, now: string, reason?: string): Project {
  return updateImage(project, imageId, now, (img) => {
    const next: ProjectImage = { ...img, status };
    if (status === 'excluded' && reason) next.reason = reason;
    else delete next.reason;
    return next;
  });
}

/**
 * After an annotation save: where it lives, how many neurons it has and, when the file says, its status (the file
 * is the truth). Without a status, a first neuron moves a to-do image to in-progress.
 */
export function recordAnnotation(project: Project, imageId: string, annotation: string, neuronCount: number, now: string, review?: { status: ImageStatus; reason?: string; toCheck?: boolean }): Project {
  const p = updateImage(project, imageId, now, ({ toCheck, ...img }) => ({ ...img, annotation, neuronCount, ...((review ? review.toCheck : toCheck) ? { toCheck: true as const } : {}) }));
  const img = p.images[indexOf(p, imageId)];
  if (review) return review.status === img.status && review.reason === img.reason ? p : setStatus(p, imageId, review.status, now, review.reason);
  return img.status === 'to-do' && neuronCount > 0 ? setStatus(p, imageId, 'in-progress', now) : p;
}

/** Sets the shared Sholl sampling (µm). Throws RamifyError('invalid-argument') for step ≤ 0, start < 0 or end ≤ start. */
export function setSholl(project: Project, sholl: ProjectSholl, now: string): Project {
  if (!(sholl.step > 0) || !Number.isFinite(sholl.step)) throw new RamifyError('invalid-argument', 'The Sholl step must be a positive number of µm.');
  if (!(sholl.start >= 0) || !Number.isFinite(sholl.start)) throw new RamifyError('invalid-argument', 'The first Sholl radius must be ≥ 0 µm.');
  if (sholl.end !== null && !(sholl.end > sholl.start)) throw new RamifyError('invalid-argument', 'The last Sholl radius must be greater than the first.');
  return { ...project, sholl: { ...sholl }, modified: now };
}

/** Sets how every image of the project is traced (see ProjectTracing). */
export function setTracing(project: Project, tracing: ProjectTracing, now: string): Project {
  if (tracing.nucleusChannel === tracing.channel) throw new RamifyError('invalid-argument', `Channel ${tracing.channel + 1} is the one traced; the nuclear stain must be another channel.`);
  if (!(tracing.minBranchUm >= 0 && tracing.minBranchUm <= 1000)) throw new RamifyError('invalid-argument', 'The shortest branch kept must be 0 to 1000 µm.');
  return { ...project, tracing: { channel: tracing.channel, nucleusChannel: tracing.nucleusChannel, minBranchUm: tracing.minBranchUm }, modified: now };
}

/** Sets (or clears, with null) the display settings shared by every image. */
export function setDisplay(project: Project, display: Project['display'], now: string): Project {
  return { ...project, display: display ? { channels: display.channels.map((c) => ({ ...c })) } : null, modified: now };
}

/** Neuron count per image id, from the cached counts. */
export function neuronCounts(project: Project): Record<string, number> {
  const out: Record<string, number> = {};
  for (const i of project.images) out[i.id] = i.neuronCount;
  return out;
}

/** Per-condition progress: images by status, neurons traced so far. Excluded images count only under `excluded`. */
export interface ConditionProgress {
  /** Condition name; '' = unassigned. */
  condition: string;
  /** Images not excluded. */
  images: number;
  /**
   * Ready for review or approved: tracing finished. An automatic trace nobody has checked yet is not (a batch would
   * show every image done at once): it counts under `unchecked` until its review ends.
   */
  done: number;
  /** Ready for review (or sent back) as "Auto-trace all images" left it, nobody has checked it yet. */
  unchecked: number;
  approved: number;
  /** In progress or changes requested. */
  inProgress: number;
  notStarted: number;
  excluded: number;
  /** Neurons in non-excluded images. */
  neurons: number;
}

export interface ProgressSummary {
  /** In project condition order; unassigned ('') last when present. */
  conditions: ConditionProgress[];
  total: ConditionProgress;
}

export function progressSummary(project: Project, counts: Readonly<Record<string, number>> = neuronCounts(project)): ProgressSummary {
  const blank = (condition: string): ConditionProgress => ({ condition, images: 0, done: 0, unchecked: 0, approved: 0, inProgress: 0, notStarted: 0, excluded: 0, neurons: 0 });
  const by = new Map<string, ConditionProgress>(project.conditions.map((c) => [c, blank(c)]));
  const total = blank('');
  for (const img of project.images) {
    const c = img.metadata.condition ?? '';
    if (!by.has(c)) by.set(c, blank(c));
    for (const row of [by.get(c)!, total]) {
      if (img.status === 'excluded') {
        row.excluded++;
        continue;
      }
      row.images++;
      row.neurons += counts[img.id] ?? 0;
      if (img.toCheck) row.unchecked++;
      else if (img.status === 'ready-for-review' || img.status === 'approved') row.done++;
      if (img.status === 'approved') row.approved++;
      else if (img.status === 'in-progress' || img.status === 'changes-requested') row.inProgress++;
      else if (img.status === 'to-do') row.notStarted++;
    }
  }
  const conditions = [...by.values()].filter((r) => r.condition !== '' || r.images + r.excluded > 0);
  conditions.sort((a, b) => (a.condition === '' ? 1 : 0) - (b.condition === '' ? 1 : 0));
  return { conditions, total };
}
