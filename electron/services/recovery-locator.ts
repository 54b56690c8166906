import { existsSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { RecoverableWork } from '../../shared/ipc/contract';
import { displayName, isBlinded } from '../../shared/project/blinding';
import { ANNOTATIONS_DIR } from '../../shared/project/schema';
import type { AutosaveJournal } from './autosave-journal';
import { imageAtPath, loadProject, projectFilePath } from './project-service';

/** A journal worth offering at start, with where its image is (main keeps the paths; the renderer gets `work`). */
export interface LocatedWork {
  work: RecoverableWork;
  imagePath: string;
  /** The project folder when the image belongs to a project. */
  projectDir: string | null;
}

/**
 * Finds the unsaved work a crash left behind and says where it belongs: a project image (its annotation file lives in
 * the project's annotations folder) or an image opened on its own. Names are what the user sees: a blinded project
 * gives the image's code, never its file name.
 */
export class RecoveryLocator {
  constructor(private readonly journal: AutosaveJournal) {}

  async list(): Promise<LocatedWork[]> {
    const out: LocatedWork[] = [];
    for (const j of await this.journal.listRecoverable()) {
      if (!j.imagePath || !existsSync(j.imagePath)) continue;
      const located = await this.inProject(j.annotationPath, j.imagePath);
      const base = { key: j.key, journaledAt: j.journaledAt, nodes: j.nodes };
      if (located) out.push({ work: { ...base, imageName: located.imageName, projectName: located.projectName }, imagePath: j.imagePath, projectDir: located.dir });
      else out.push({ work: { ...base, imageName: basename(j.imagePath), projectName: null }, imagePath: j.imagePath, projectDir: null });
    }
    return out;
  }

  private async inProject(annotationPath: string | null, imagePath: string) {
    if (!annotationPath || basename(dirname(annotationPath)) !== ANNOTATIONS_DIR) return null;
    const dir = dirname(dirname(annotationPath));
    if (!existsSync(projectFilePath(dir))) return null;
    try {
      const project = await loadProject(dir);
      const image = imageAtPath(dir, project, imagePath);
      if (!image) return null;
      const blinded = isBlinded(project);
      return { dir, imageName: displayName(project, image.id), projectName: blinded ? 'Blinded project' : project.name };
    } catch {
      return null;
    }
  }
}
