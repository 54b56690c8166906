import { randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import { autotraceProjectImages, workerTracer } from './autotrace-batch';
import type { AnnotationFile } from '../../shared/formats/annotation-file';
import type { AutotraceSummary, ProjectOp, ProjectView, ResultsView } from '../../shared/ipc/contract';
import { blindedOrder, blindSecrets, displayName, isBlinded, redactBlinded, setBlinding } from '../../shared/project/blinding';
import type { ConditionSpec } from '../../shared/project/conditions';
import { addColumn, annotationPathFor, findImage, progressSummary, recordAnnotation, setDisplay, setMetadata, setSholl, setTracing } from '../../shared/project/project';
import type { Project } from '../../shared/project/schema';
import { RamifyError } from '../../shared/result';
import type { ReviewState } from '../../shared/review/status';
import { exportProject, type ExportProjectResult } from './export-service';
import type { AgreementView, AssignAgreementRequest } from '../../shared/ipc/agreement-view';
import { assignAgreement, isAgreementTracer } from '../../shared/project/agreement';
import { ensureAgreementFile, loadProjectAgreement } from './agreement-service';
import { agreementView } from './agreement-view';
import type { GalleryContext } from './gallery-service';
import { randomSeed } from './project-files';
import { projectResults, writeReport } from './report-service';
import { annotationFilePath, createProjectFromFolder, imageAtPath, imageFilePath, loadProject, nameAnnotation, projectDir, renameLegacyAnnotations, saveProject } from './project-service';
import { oneOrMany, plural } from '../../shared/text/plural';
import { uncheckedBatchWork } from '../../shared/tracing/auto/saved-trace';

/**
 * The open project in main: the single writer of its project file. The renderer only ever sees a ProjectView,
 * which under blinding carries coded names and no file names, paths or conditions at all, so nothing on screen can
 * leak them. Exports always carry the true conditions (in the files, never in what is sent back).
 *
 * Image ids follow the folder scan's path order, so the renderer never sees them either: it gets a random token
 * per image (the same for the whole session, blinded or not), and main translates tokens back.
 */
export class ProjectSession {
  private dir: string | null = null;
  private project: Project | null = null;
  private exportAbort: AbortController | null = null;
  private autotraceAbort: AbortController | null = null;
  private readonly tokenOf = new Map<string, string>();
  private readonly idOf = new Map<string, string>();

  /** Changes of the project run one after another: each reads the project the previous one wrote. */
  private writes: Promise<unknown> = Promise.resolve();
  private serial<T>(change: () => Promise<T>): Promise<T> {
    const done = this.writes.then(change, change);
    this.writes = done.catch(() => undefined);
    return done;
  }

  /** Images open in an agreement tracer's own file (image path → tracer): their saves leave the image record alone. */
  private readonly agreementOpen = new Map<string, string>();

  constructor(private readonly hooks: { onAnnotationRenamed?(from: string, to: string): Promise<void>; /** The user's name from Settings. */ currentUser?(): string } = {}) {}

  private adopt(dir: string, project: Project): void {
    this.dir = dir;
    this.project = project;
    this.tokenOf.clear();
    this.idOf.clear();
  }

  /** The renderer's name for an image id (random, stable while the project is open). */
  private token(imageId: string): string {
    let t = this.tokenOf.get(imageId);
    if (!t) {
      t = randomUUID();
      this.tokenOf.set(imageId, t);
      this.idOf.set(t, imageId);
    }
    return t;
  }

  /** The image id behind a token the renderer sent. */
  imageIdFor(token: unknown): string {
    const id = typeof token === 'string' ? this.idOf.get(token) : undefined;
    if (!id) throw new RamifyError('not-found', 'That image is not in the open project.');
    return id;
  }

  get isOpen(): boolean {
    return this.project !== null;
  }

  async create(folder: string, conditions: ConditionSpec): Promise<ProjectView> {
    const r = await createProjectFromFolder(folder, { conditions, name: basename(folder) });
    this.adopt(projectDir(folder), r.project);
    const unmatched = r.unmatched.length ? [`${plural(r.unmatched.length, 'image')} got no condition; assign ${oneOrMany(r.unmatched.length, 'it', 'them')} in the metadata table.`] : [];
    return this.view([...unmatched, ...r.warnings, ...r.unreadable.map((u) => `${u.path}: ${u.reason}`)]);
  }

  async open(pathOrFolder: string): Promise<ProjectView> {
    const dir = projectDir(pathOrFolder);
    const loaded = await loadProject(dir);
    const notes: string[] = [];
    let project = loaded;
    try {
      project = (await renameLegacyAnnotations(dir, loaded, { onRenamed: this.hooks.onAnnotationRenamed })).project;
    } catch (e) {
      // A read-only copy still opens; only its annotation names keep telling the images' order.
      project = await loadProject(dir).catch(() => loaded);
      notes.push(`The annotation files could not be given new names (${(e as Error).message}); in this copy their names follow the images' order.`);
    }
    this.adopt(dir, project);
    return this.view(notes);
  }

  close(): void {
    this.project = null;
    this.dir = null;
    this.tokenOf.clear();
    this.idOf.clear();
  }

  private need(): { dir: string; project: Project } {
    if (!this.project || !this.dir) throw new RamifyError('no-project', 'No project is open.');
    return { dir: this.dir, project: this.project };
  }

  /** Absolute path of a project image, by the renderer's token (main registers it as a handle). */
  imagePath(token: unknown): string {
    const { dir, project } = this.need();
    return imageFilePath(dir, project, this.imageIdFor(token));
  }

  displayNameOf(token: unknown): string {
    const { project } = this.need();
    return displayName(project, this.imageIdFor(token));
  }

  /** The code to show instead of a project image's names while blinded; null when not blinded (or not ours). */
  blindNameOf(path: string): string | null {
    const id = this.imageIdOf(path);
    return id && this.project && isBlinded(this.project) ? displayName(this.project, id) : null;
  }

  /** The project's status of an image (the annotation file reconciles with it when opened). */
  statusOf(path: string): { status: ReviewState; reason?: string } | undefined {
    const id = this.imageIdOf(path);
    if (!id || !this.project) return undefined;
    if (this.agreementOpen.has(path)) return undefined;
    const img = findImage(this.project, id);
    return { status: img.status, ...(img.reason ? { reason: img.reason } : {}) };
  }

  /** A message for the renderer: under blinding with every file name, folder, id and condition replaced. */
  redact(text: string): string {
    if (!this.project || !this.dir || !isBlinded(this.project)) return text;
    return redactBlinded(redactBlinded(text, [[this.dir, '[project folder]']]), blindSecrets(this.project, basename(this.dir)));
  }

  /** The image id a path belongs to, when it is an image of the open project. */
  imageIdOf(path: string): string | undefined {
    if (!this.project || !this.dir) return undefined;
    const { dir, project } = this;
    return imageAtPath(dir, project, path)?.id;
  }

  /**
   * Annotation file of a project image (annotation sessions ask this before using the sibling file). An image
   * opened for the first time gets its random file name here, recorded before anything is written there.
   */
  annotationPathFor(path: string): Promise<string | undefined> {
    return this.serial(async () => {
      const id = this.imageIdOf(path);
      if (!id || !this.dir || !this.project) return undefined;
      // An agreement tracer traces an assigned image in a file of their own and never sees the other's.
      const user = (this.hooks.currentUser?.() ?? '').trim();
      if (isAgreementTracer(this.project, id, user)) {
        const own = await ensureAgreementFile(this.dir, this.project, id, user);
        this.project = own.project;
        this.agreementOpen.set(path, user);
        return own.path;
      }
      this.agreementOpen.delete(path);
      this.project = await nameAnnotation(this.dir, this.project, id);
      return annotationFilePath(this.dir, this.project, id);
    });
  }

  /**
   * After a save: record the file and neuron count, move not-started to in-progress. Resolves to the image's token
   * once the project file says so (null when the file is no project image's own: a lone image, an agreement copy).
   */
  onAnnotationSaved(path: string, file: AnnotationFile): Promise<string | null> {
    return this.serial(async () => {
      const id = this.imageIdOf(path);
      if (!id || !this.dir || !this.project || this.agreementOpen.has(path)) return null;
      const img = findImage(this.project, id);
      const review = { status: file.review.status, ...(file.review.status === 'excluded' && file.review.reason ? { reason: file.review.reason } : {}), toCheck: uncheckedBatchWork(file) };
      this.project = recordAnnotation(this.project, id, img.annotation ?? annotationPathFor(id), file.document.neurons.length, new Date().toISOString(), review);
      await saveProject(this.dir, this.project);
      return this.token(id);
    });
  }

  update(op: ProjectOp): Promise<ProjectView> {
    return this.serial(() => this.apply(op));
  }

  private async apply(op: ProjectOp): Promise<ProjectView> {
    const { dir, project } = this.need();
    const now = new Date().toISOString();
    let next: Project;
    switch (op.op) {
      case 'setMetadata':
        if (isBlinded(project) && op.column === 'condition') throw new RamifyError('blinded', 'Conditions cannot be edited while the project is blinded.');
        next = setMetadata(project, this.imageIdFor(op.imageId), op.column, op.value, now);
        break;
      case 'addColumn':
        next = addColumn(project, op.column, now);
        break;
      case 'setBlinding':
        next = setBlinding(project, op.enabled, op.enabled && !project.blinding.enabled && Object.keys(project.blinding.key).length === 0 ? randomSeed() : project.blinding.seed);
        break;
      case 'setSholl':
        next = setSholl(project, op.sholl, now);
        break;
      case 'setDisplay':
        next = setDisplay(project, op.display, now);
        break;
      case 'setTracing':
        next = setTracing(project, op.tracing, now);
        break;
      default: {
        const never: never = op;
        throw new RamifyError('bad-request', `Unknown project change ${JSON.stringify(never)}.`);
      }
    }
    await saveProject(dir, next);
    this.project = next;
    return this.view();
  }

  async export(outDir: string, options: { includePixelColumns: boolean; includeSwc: boolean; approvedOnly?: boolean; appVersion: string }, onProgress: (done: number, total: number) => void): Promise<ExportProjectResult> {
    const { dir, project } = this.need();
    this.exportAbort?.abort();
    const abort = new AbortController();
    this.exportAbort = abort;
    try {
      const r = await exportProject(dir, outDir, { project, includePixelColumns: options.includePixelColumns, includeSwc: options.includeSwc, approvedOnly: options.approvedOnly, appVersion: options.appVersion, onProgress, signal: abort.signal });
      // The files carry the truth; what goes back to the screen does not.
      return { ...r, warnings: r.warnings.map((w) => this.redact(w)) };
    } finally {
      if (this.exportAbort === abort) this.exportAbort = null;
    }
  }

  /**
   * Traces `channel` (0-based) of every image without annotations in a worker (see autotraceProjectImages), cell bodies
   * found on the nuclei of `nucleusChannel` when given, except `skipImageIds` (the renderer's tokens of images open
   * with unsaved work); progress per image.
   */
  async autotrace(minBranchUm: number | null, channel: number, nucleusChannel: number | undefined, skipImageIds: readonly string[], onProgress: (done: number, total: number) => void): Promise<AutotraceSummary> {
    const { dir, project } = this.need();
    this.autotraceAbort?.abort();
    const abort = new AbortController();
    this.autotraceAbort = abort;
    const tracer = workerTracer(abort.signal);
    try {
      // The renderer names images by tokens; a token this session never gave out names no image of this project.
      const skip = new Set(skipImageIds.flatMap((t) => this.idOf.get(t) ?? []));
      const request = { channel, nucleusChannel, detail: minBranchUm === null ? {} : { minBranchUm } };
      const r = await autotraceProjectImages(dir, project, { request, trace: tracer.trace, skip, signal: abort.signal, onPlan: (total) => onProgress(0, total), onImage: (done, total) => onProgress(done, total) });
      this.project = r.project;
      return { traced: r.traced, left: r.left, notReached: r.notReached, failed: r.failed.map((f) => `${f.path}: ${f.message}`), cancelled: r.cancelled, retraced: r.retraced, noCellBody: r.noCellBody, brighterChannel: r.brighterChannel, tracedNuclei: r.tracedNuclei, view: this.view() };
    } finally {
      await tracer.close();
      if (this.autotraceAbort === abort) this.autotraceAbort = null;
    }
  }

  cancelAutotrace(): void {
    this.autotraceAbort?.abort();
  }

  async results(options: { control: string | null; unit: string }): Promise<ResultsView> {
    const { dir, project } = this.need();
    const { model } = await projectResults(dir, { project, control: options.control ?? undefined, unit: options.unit });
    return { blinded: isBlinded(project), units: ['neuron', ...project.columns.filter((c) => c !== 'condition')], model };
  }

  async report(outFile: string, options: { control: string | null; unit: string; appVersion: string }): Promise<void> {
    const { dir, project } = this.need();
    await writeReport(dir, outFile, { project, ...options, control: options.control ?? undefined });
  }

  /** Inter-tracer agreement of the open project; null until images are assigned. */
  async agreement(): Promise<AgreementView | null> {
    const { dir, project } = this.need();
    if (!project.agreement) return null;
    const { agreement } = await loadProjectAgreement(dir, project);
    const v = agreementView(project, agreement, (id) => this.token(id), this.hooks.currentUser?.() ?? '');
    return { ...v, warnings: v.warnings.map((w) => this.redact(w)) };
  }

  assignAgreement(req: AssignAgreementRequest): Promise<AgreementView> {
    return this.serial(async () => {
      const { dir, project } = this.need();
      const next = assignAgreement(project, { share: req.sharePercent / 100, tracers: req.tracers, seed: randomSeed(), now: new Date().toISOString() });
      await saveProject(dir, next);
      this.project = next;
      return (await this.agreement())!;
    });
  }

  cancelExport(): void {
    this.exportAbort?.abort();
  }

  /** What the renderer may see; blinded projects show codes only. */
  view(notes: string[] = []): ProjectView {
    const { dir, project } = this.need();
    const blinded = isBlinded(project);
    const order = blinded ? blindedOrder(project) : project.images.map((i) => i.id);
    const byId = new Map(project.images.map((i) => [i.id, i]));
    const progress = progressSummary(project);
    return {
      name: blinded ? 'Blinded project' : project.name,
      folderName: blinded ? '' : basename(dir),
      blinded,
      columns: blinded ? project.columns.filter((c) => c !== 'condition') : project.columns,
      images: order.map((id) => {
        const img = byId.get(id)!;
        const metadata = blinded ? Object.fromEntries(Object.entries(img.metadata).filter(([k]) => k !== 'condition')) : img.metadata;
        return { id: this.token(id), displayName: displayName(project, id), status: img.status, neurons: img.neuronCount, metadata, calibrated: img.calibration !== null, toCheck: img.toCheck === true };
      }),
      progress: blinded
        ? [{ condition: 'All images', images: progress.total.images, done: progress.total.done, approved: progress.total.approved, neurons: progress.total.neurons }]
        : progress.conditions.map((c) => ({ condition: c.condition || '(no condition)', images: c.images, done: c.done, approved: c.approved, neurons: c.neurons })),
      sholl: project.sholl,
      display: project.display,
      tracing: project.tracing ?? null,
      notes: notes.map((n) => this.redact(n)),
    };
  }

  /**
   * What the gallery (gallery-service.ts) reads: the project as it is now, the renderer's token and shown name of
   * each image, and the order images may be listed in (the shuffled one when blinded: scan order groups conditions).
   */
  galleryContext(): GalleryContext {
    const { dir, project } = this.need();
    const blinded = isBlinded(project);
    return { dir, project, blinded, order: blinded ? blindedOrder(project) : project.images.map((i) => i.id), token: (id) => this.token(id), displayName: (id) => displayName(project, id), redact: (t) => this.redact(t) };
  }

  /** Folder for export dialogs' default location. */
  defaultExportFolder(): string {
    return join(this.need().dir, 'exports');
  }
}
