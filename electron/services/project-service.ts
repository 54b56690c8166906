import { constants, existsSync, realpathSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { newAnnotationFile, parseAnnotation, type AnnotationFile } from '../../shared/formats/annotation-file';
import { emptyDocument, type AnnotationDocument } from '../../shared/model/document';
import { microscopeCalibration } from '../../shared/image/calibration';
import { mergeDocuments } from '../../shared/model/merge';
import { assignConditions, parseConditionSpec, type ConditionSpec, type UnmatchedImage } from '../../shared/project/conditions';
import { annotationPathFor, assignAnnotationPath, createProject, findImage, freshAnnotationPath, progressSummary, recordAnnotation, type ScannedImage } from '../../shared/project/project';
import { ANNOTATIONS_DIR, PROJECT_FILE_NAME, parseProject, serializeProject, type Project, type ProjectImage } from '../../shared/project/schema';
import { RamifyError } from '../../shared/result';
import { recordSave } from '../../shared/review/history';
import { startedIfTraced } from '../../shared/review/review';
import { reconcileStates } from '../../shared/review/status';
import { imageIdentityOf, saveAnnotation, type SaveOptions } from './annotation-store';
import { cryptoRandom, folderNotes, ramifyVersion, readImageHeader, scanImageFiles, writeTextAtomic } from './project-files';
import { readTracingFile } from './tracing-import';
import { wavelengthSets } from '../../shared/image/wavelength-sets';
import { uncheckedBatchWork } from '../../shared/tracing/auto/saved-trace';

/**
 * Projects on disk: a folder with `ramify-project.json` and `annotations/<imageId>.ramify.json`. Every function
 * takes the project folder (or the project file inside it) and returns new values; nothing is cached here, so the
 * app and the CLI can share it. Errors are RamifyError with a sentence for the user.
 */

/** The project folder for a folder or a `ramify-project.json` path. */
export function projectDir(pathOrFile: string): string {
  const p = resolve(pathOrFile);
  return basename(p) === PROJECT_FILE_NAME ? resolve(p, '..') : p;
}

export const projectFilePath = (dir: string): string => join(projectDir(dir), PROJECT_FILE_NAME);

/** Why a project file could not be read, naming the path the user gave rather than a system error's words. */
function projectReadFailure(dir: string, file: string, code: string | undefined, e: unknown): string {
  if (code === 'ENOENT') return `No Ramify project in ${projectDir(dir)} (${PROJECT_FILE_NAME} is missing; create one with 'ramify project init').`;
  // A file given where the project folder goes (an image, say): the path up to it is not a folder.
  if (code === 'ENOTDIR') return `${projectDir(dir)} is a file, not a project folder: give the folder that holds ${PROJECT_FILE_NAME}.`;
  if (code === 'EACCES') return `Cannot read ${file}: permission denied.`;
  return `Cannot read ${file}: ${(e as Error).message}.`;
}

/** Reads and validates the project file. Throws RamifyError('not-found' | 'project-malformed' | 'project-version'). */
export async function loadProject(dir: string): Promise<Project> {
  const file = projectFilePath(dir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RamifyError('not-found', projectReadFailure(dir, file, code, e));
  }
  try {
    return parseProject(text);
  } catch (e) {
    if (e instanceof RamifyError) throw new RamifyError(e.code, `${file}: ${e.message}`);
    throw e;
  }
}

/** Writes the project file atomically. */
export async function saveProject(dir: string, project: Project): Promise<void> {
  await writeTextAtomic(projectFilePath(dir), serializeProject(project));
}

export interface CreateProjectOptions {
  /** 'subfolder' | 'regex:PATTERN' | 'csv:FILE' | 'none', or a parsed spec; default 'none'. */
  conditions?: string | ConditionSpec;
  /** Project name; default the folder name. */
  name?: string;
  /** ISO 8601 creation time (default now). */
  now?: string;
  /** Replace an existing project file (default: refuse). */
  overwrite?: boolean;
}

export interface CreateProjectResult {
  project: Project;
  /** Images per condition ('' = unassigned), in project condition order. */
  perCondition: Array<{ condition: string; images: number }>;
  unmatched: UnmatchedImage[];
  /** Files whose header could not be read (still added, size/calibration unknown). */
  unreadable: Array<{ path: string; reason: string }>;
  /** CSV mapping notes etc. */
  warnings: string[];
}

async function scanWithHeaders(dir: string, paths: readonly string[]): Promise<{ images: ScannedImage[]; unreadable: Array<{ path: string; reason: string }> }> {
  const images: ScannedImage[] = [];
  const unreadable: Array<{ path: string; reason: string }> = [];
  for (const p of paths) {
    const h = await readImageHeader(join(dir, ...p.split('/')));
    if (h.error) unreadable.push({ path: p, reason: h.error });
    images.push({ path: p, width: h.width, height: h.height, calibration: h.calibration });
  }
  return { images, unreadable };
}

/**
 * Creates `ramify-project.json` in `folder` from every image below it (recursive; .tif/.tiff/.lsm/.png/.jpg/.jpeg; the
 * project's own folders skipped), assigning conditions as asked. A `csv:FILE` path is relative to the current
 * directory or absolute. Throws RamifyError('project-exists') unless `overwrite`.
 */
export async function createProjectFromFolder(folder: string, options: CreateProjectOptions = {}): Promise<CreateProjectResult> {
  const dir = projectDir(folder);
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new RamifyError('not-found', `${dir} is not a folder.`);
  if (!options.overwrite && existsSync(projectFilePath(dir))) throw new RamifyError('project-exists', `${dir} already holds a Ramify project (${PROJECT_FILE_NAME}).`);
  let spec: ConditionSpec = typeof options.conditions === 'string' ? parseConditionSpec(options.conditions) : (options.conditions ?? { kind: 'none' });
  if (spec.kind === 'csv' && spec.text === '') {
    const file = spec.file;
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new RamifyError('not-found', `Cannot read the condition CSV ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`);
    });
    spec = { ...spec, text };
  }
  const others: string[] = [];
  const paths = await scanImageFiles(dir, others);
  const assignment = assignConditions(paths, spec);
  const { images, unreadable } = await scanWithHeaders(dir, paths);
  const project = createProject(options.name ?? basename(dir), images, assignment, options.now ?? new Date().toISOString());
  await saveProject(dir, project);
  const summary = progressSummary(project);
  return {
    project,
    perCondition: summary.conditions.map((c) => ({ condition: c.condition, images: c.images + c.excluded })),
    unmatched: assignment.unmatched,
    unreadable,
    warnings: [...assignment.warnings, ...folderNotes(wavelengthSets(paths).sets, others, `merge them first (ramify merge-wavelengths "${dir}" --out MERGED) and make the project of MERGED.`)],
  };
}

/** Absolute path of an image file. */
export const imageFilePath = (dir: string, project: Project, imageId: string): string => join(projectDir(dir), ...findImage(project, imageId).path.split('/'));

/** The project image whose file is at `path` (an absolute path as imageFilePath gives it), if any: one pass, one resolve. */
export function imageAtPath(dir: string, project: Project, path: string): ProjectImage | undefined {
  const root = projectDir(dir);
  return project.images.find((i) => join(root, ...i.path.split('/')) === path);
}

/** The image's annotation file, or null when none has been saved. Throws RamifyError when the file is unreadable. */
export async function readImageAnnotation(dir: string, project: Project, imageId: string): Promise<AnnotationFile | null> {
  const img = findImage(project, imageId);
  const rel = img.annotation ?? annotationPathFor(img.id);
  const file = join(projectDir(dir), ...rel.split('/'));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    // A name is given before the first save; until then (nothing traced) there is no file.
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' && (img.annotation === null || img.neuronCount === 0)) return null;
    throw new RamifyError('not-found', `Cannot read the annotations of ${img.path} (${rel}): ${(e as Error).message}.`);
  }
  try {
    return parseAnnotation(text);
  } catch (e) {
    if (e instanceof RamifyError) throw new RamifyError(e.code, `${rel}: ${e.message}`);
    throw e;
  }
}

/** Absolute path of an image's annotation file (whether or not it exists yet). */
export function annotationFilePath(dir: string, project: Project, imageId: string): string {
  const img = findImage(project, imageId);
  return join(projectDir(dir), ...(img.annotation ?? annotationPathFor(img.id)).split('/'));
}

/**
 * Writes an image's annotation file (atomically, via annotation-store's saveAnnotation: pass its SaveOptions for
 * changed-on-disk detection; no .bak by default) and records it in the project (path, neuron count, status
 * not-started → in-progress), then saves the project. Returns the updated project.
 */
export async function saveImageAnnotation(dir: string, project: Project, imageId: string, file: AnnotationFile, now: string = new Date().toISOString(), options: SaveOptions = {}): Promise<Project> {
  const img = findImage(project, imageId);
  const named = await nameAnnotation(dir, project, img.id, now);
  const rel = findImage(named, img.id).annotation!;
  await mkdir(join(projectDir(dir), ANNOTATIONS_DIR), { recursive: true });
  await saveAnnotation(join(projectDir(dir), ...rel.split('/')), file, { backup: false, ...options });
  // The file is the truth; a project of an earlier build may know better (see reconcileStates).
  const status = reconcileStates(img.status, file.review.status);
  const next = recordAnnotation(named, img.id, rel, file.document.neurons.length, now, { status, reason: status === 'excluded' ? (file.review.reason ?? img.reason) : undefined, toCheck: uncheckedBatchWork(file) });
  await saveProject(dir, next);
  return next;
}

/**
 * The project image `ref` names: its id (img-0001), its path relative to the project folder, a path relative to `cwd`
 * or an absolute path of a file inside the project, or a file name unique in the project. Throws RamifyError naming
 * the project folder when nothing matches.
 */
export function resolveProjectImage(dir: string, project: Project, ref: string, cwd: string = process.cwd()): ProjectImage {
  const root = projectDir(dir);
  const missing = () =>
    new RamifyError('not-found', `No image '${ref}' in the project in ${root}: give an image id (e.g. img-0001) or the path of one of its images, relative to that folder or to the current folder.`);
  const norm = ref.replace(/\\/g, '/').replace(/^\.\//, '');
  const exact = project.images.find((i) => i.id === ref || i.path === norm);
  if (exact) return exact;
  // As given, then with symbolic links resolved (a project reached through a link, /tmp → /private/tmp on macOS).
  const asGiven = resolve(cwd, ref);
  const pairs: Array<[string, string]> = [[root, asGiven]];
  if (existsSync(asGiven)) pairs.push([realpathSync(root), realpathSync(asGiven)]);
  for (const [base, file] of pairs) {
    const rel = relative(base, file);
    if (rel === '' || rel.split(sep)[0] === '..' || isAbsolute(rel)) continue;
    const hit = project.images.find((i) => i.path === rel.split(sep).join('/'));
    if (hit) return hit;
  }
  if (norm.includes('/')) throw missing();
  try {
    return findImage(project, norm);
  } catch (e) {
    if (e instanceof RamifyError && e.message.startsWith('No image')) throw missing();
    throw e;
  }
}

/**
 * Gives an image without one its (random) annotation file name and saves the project, before the file is written.
 * An image whose legacy-named file exists keeps it (renameLegacyAnnotations moves it safely).
 */
export async function nameAnnotation(dir: string, project: Project, imageId: string, now: string = new Date().toISOString()): Promise<Project> {
  const img = findImage(project, imageId);
  if (img.annotation !== null) return project;
  const legacy = annotationPathFor(img.id);
  const next = existsSync(join(projectDir(dir), ...legacy.split('/')))
    ? recordAnnotation(project, img.id, legacy, img.neuronCount, now)
    : assignAnnotationPath(project, img.id, cryptoRandom, now);
  await saveProject(dir, next);
  return next;
}

/**
 * Earlier builds named annotation files after image ids (`annotations/img-0003.ramify.json`), which follow the
 * folder scan's path order: the number tells which condition folder an image came from. This gives every such file
 * a random name. Each file is copied first, the project file then records the new names, and only then are the old
 * files (and their .bak) removed: a crash at any point leaves every tracing reachable from the project file (at
 * worst with a stray copy). `onRenamed` lets the app move what it keys by path (recovery journals).
 */
export async function renameLegacyAnnotations(
  dir: string,
  project: Project,
  options: { now?: string; random?: () => number; onRenamed?: (from: string, to: string) => Promise<void> } = {},
): Promise<{ project: Project; renamed: number }> {
  const root = projectDir(dir);
  const abs = (rel: string) => join(root, ...rel.split('/'));
  const now = options.now ?? new Date().toISOString();
  let next = project;
  const moved: Array<{ from: string; to: string }> = [];
  for (const img of project.images) {
    const legacy = annotationPathFor(img.id);
    if (img.annotation !== legacy && !(img.annotation === null && existsSync(abs(legacy)))) continue;
    const to = freshAnnotationPath(next, options.random ?? cryptoRandom);
    for (const ext of ['', '.bak']) if (existsSync(abs(legacy) + ext)) await copyFile(abs(legacy) + ext, abs(to) + ext, constants.COPYFILE_EXCL);
    next = recordAnnotation(next, img.id, to, img.neuronCount, now);
    moved.push({ from: abs(legacy), to: abs(to) });
  }
  if (moved.length === 0) return { project, renamed: 0 };
  await saveProject(root, next);
  for (const m of moved) {
    await options.onRenamed?.(m.from, m.to);
    await rm(m.from, { force: true });
    await rm(`${m.from}.bak`, { force: true });
  }
  return { project: next, renamed: moved.length };
}

export interface ImportTracingResult {
  project: Project;
  imageId: string;
  /** Neurons appended to the image's annotations. */
  neurons: Array<{ id: number; name: string; branches: number; nodes: number }>;
  /** What the user should know (units, detached branches, parser notes). */
  notes: string[];
}

/**
 * Appends the neurons of a tracing file (read by tracing-import, as the app's Import command reads it) to a project
 * image's annotations, creating the annotation file if needed. `imageRef` is anything resolveProjectImage accepts.
 */
export async function importTracing(dir: string, project: Project, imageRef: string, tracePath: string, options: { now?: string; appVersion?: string; author?: string; cwd?: string } = {}): Promise<ImportTracingResult> {
  const img = resolveProjectImage(dir, project, imageRef, options.cwd);
  const now = options.now ?? new Date().toISOString();
  const existing = await readImageAnnotation(dir, project, img.id);
  const doc: AnnotationDocument = existing ? existing.document : emptyDocument(img.calibration);
  const cal = doc.calibration ?? img.calibration;
  // SWC µm are not placed by a print resolution (72 dpi): as on an uncalibrated image, by the file's stated voxel size.
  const placeBy = microscopeCalibration(cal);
  const imported = await readTracingFile(resolve(options.cwd ?? process.cwd(), tracePath), placeBy);
  const notes: string[] = [];
  if (imported.kind === 'swc' && placeBy) notes.push(`SWC coordinates (µm) converted to image px with ${placeBy.pixelWidth} × ${placeBy.pixelHeight} µm/px.`);
  notes.push(...imported.warnings);
  const merged = mergeDocuments(doc, imported.document);
  const newDoc: AnnotationDocument = { ...merged, calibration: cal };
  const added = merged.neurons.slice(doc.neurons.length);
  let file: AnnotationFile;
  if (existing) file = { ...existing, document: newDoc, review: startedIfTraced({ ...existing.review, modifiedAt: now }, newDoc.neurons.length) };
  else {
    const abs = join(projectDir(dir), ...img.path.split('/'));
    const identity = img.width !== null && img.height !== null ? await imageIdentityOf(abs, img.width, img.height).catch(() => null) : null;
    file = newAnnotationFile(newDoc, { appVersion: options.appVersion ?? ramifyVersion(), now: new Date(now), author: options.author ?? '', image: identity });
  }
  const history = recordSave(existing ?? null, file, { userName: options.author ?? '', role: 'tracer' }, now);
  const next = await saveImageAnnotation(dir, project, img.id, history ? { ...file, history } : file, now);
  return {
    project: next,
    imageId: img.id,
    neurons: added.map((n) => ({ id: n.id, name: n.name, branches: n.branches.length, nodes: n.branches.reduce((s, b) => s + b.nodes.length, 0) })),
    notes,
  };
}
