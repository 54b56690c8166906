import { basename, join } from 'node:path';
import type { AnnotationFile } from '../../shared/formats/annotation-file';
import type { ProjectOp, ProjectView, ResultsView } from '../../shared/ipc/contract';
import { blindedOrder, displayName, isBlinded, setBlinding } from '../../shared/project/blinding';
import type { ConditionSpec } from '../../shared/project/conditions';
import { addColumn, findImage, progressSummary, recordAnnotation, setDisplay, setMetadata, setSholl, setStatus } from '../../shared/project/project';
import type { Project } from '../../shared/project/schema';
import { RamifyError } from '../../shared/result';
import { exportProject, type ExportProjectResult } from './export-service';
import { randomSeed } from './project-files';
import { projectResults, writeReport } from './report-service';
import { annotationFilePath, createProjectFromFolder, imageFilePath, loadProject, projectDir, saveProject } from './project-service';

/**
 * The open project in main: the single writer of its project file. The renderer only ever sees a ProjectView,
 * which under blinding carries coded names and no file names, paths or conditions at all, so nothing on screen can
 * leak them. Exports always carry the true conditions.
 */
export class ProjectSession {
  private dir: string | null = null;
  private project: Project | null = null;
  private exportAbort: AbortController | null = null;

  get isOpen(): boolean {
    return this.project !== null;
  }

  async create(folder: string, conditions: ConditionSpec): Promise<ProjectView> {
    const r = await createProjectFromFolder(folder, { conditions, name: basename(folder) });
    this.dir = projectDir(folder);
    this.project = r.project;
    const unmatched = r.unmatched.length ? [`${r.unmatched.length} image(s) got no condition; assign them in the metadata table.`] : [];
    return this.view([...unmatched, ...r.warnings, ...r.unreadable.map((u) => `${u.path}: ${u.reason}`)]);
  }

  async open(pathOrFolder: string): Promise<ProjectView> {
    const dir = projectDir(pathOrFolder);
    this.project = await loadProject(dir);
    this.dir = dir;
    return this.view();
  }

  close(): void {
    this.project = null;
    this.dir = null;
  }

  private need(): { dir: string; project: Project } {
    if (!this.project || !this.dir) throw new RamifyError('no-project', 'No project is open.');
    return { dir: this.dir, project: this.project };
  }

  /** Absolute path of a project image (main registers it as a handle; the renderer never sees it). */
  imagePath(imageId: string): string {
    const { dir, project } = this.need();
    return imageFilePath(dir, project, imageId);
  }

  displayNameOf(imageId: string): string {
    const { project } = this.need();
    return displayName(project, imageId);
  }

  /** The image id a path belongs to, when it is an image of the open project. */
  imageIdOf(path: string): string | undefined {
    if (!this.project || !this.dir) return undefined;
    const { dir, project } = this;
    return project.images.find((i) => imageFilePath(dir, project, i.id) === path)?.id;
  }

  /** Annotation file of a project image (annotation sessions ask this before using the sibling file). */
  annotationPathFor(path: string): string | undefined {
    const id = this.imageIdOf(path);
    return id && this.dir && this.project ? annotationFilePath(this.dir, this.project, id) : undefined;
  }

  /** After a save: record the file and neuron count, move not-started to in-progress. */
  async onAnnotationSaved(path: string, file: AnnotationFile): Promise<void> {
    const id = this.imageIdOf(path);
    if (!id || !this.dir || !this.project) return;
    const rel = `annotations/${id}.ramify.json`;
    const img = findImage(this.project, id);
    this.project = recordAnnotation(this.project, id, img.annotation ?? rel, file.document.neurons.length, new Date().toISOString());
    await saveProject(this.dir, this.project);
  }

  async update(op: ProjectOp): Promise<ProjectView> {
    const { dir, project } = this.need();
    const now = new Date().toISOString();
    let next: Project;
    switch (op.op) {
      case 'setMetadata':
        if (isBlinded(project) && op.column === 'condition') throw new RamifyError('blinded', 'Conditions cannot be edited while the project is blinded.');
        next = setMetadata(project, op.imageId, op.column, op.value, now);
        break;
      case 'addColumn':
        next = addColumn(project, op.column, now);
        break;
      case 'setStatus':
        next = setStatus(project, op.imageId, op.status, now);
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
      default: {
        const never: never = op;
        throw new RamifyError('bad-request', `Unknown project change ${JSON.stringify(never)}.`);
      }
    }
    await saveProject(dir, next);
    this.project = next;
    return this.view();
  }

  async export(outDir: string, options: { includePixelColumns: boolean; includeSwc: boolean; appVersion: string }, onProgress: (done: number, total: number) => void): Promise<ExportProjectResult> {
    const { dir, project } = this.need();
    this.exportAbort?.abort();
    const abort = new AbortController();
    this.exportAbort = abort;
    try {
      return await exportProject(dir, outDir, { project, includePixelColumns: options.includePixelColumns, includeSwc: options.includeSwc, appVersion: options.appVersion, onProgress, signal: abort.signal });
    } finally {
      if (this.exportAbort === abort) this.exportAbort = null;
    }
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
        return { id, displayName: displayName(project, id), status: img.status, neurons: img.neuronCount, metadata, calibrated: img.calibration !== null };
      }),
      progress: blinded
        ? [{ condition: 'All images', images: progress.total.images, done: progress.total.done, neurons: progress.total.neurons }]
        : progress.conditions.map((c) => ({ condition: c.condition || '(no condition)', images: c.images, done: c.done, neurons: c.neurons })),
      sholl: project.sholl,
      display: project.display,
      notes,
    };
  }

  /** Folder for export dialogs' default location. */
  defaultExportFolder(): string {
    return join(this.need().dir, 'exports');
  }
}
