import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AutosaveJournal, journalKey } from '../../../electron/services/autosave-journal';
import { annotationFilePath, createProjectFromFolder, imageFilePath, saveProject } from '../../../electron/services/project-service';
import { RecoveryLocator } from '../../../electron/services/recovery-locator';
import { newAnnotationFile } from '../../../shared/formats/annotation-file';
import { setBlinding } from '../../../shared/project/blinding';
import { buildDoc } from '../analysis/build';

const SAMPLE = resolve(import.meta.dirname, '../../../build/sample/sample-neurons.tif');

describe('unsaved work found at start', () => {
  it('names a lone image by its file and a blinded project image by its code only', async () => {
    const root = mkdtempSync(join(tmpdir(), 'ramify-locate-'));
    const journal = new AutosaveJournal(join(root, 'recovery'));
    const doc = buildDoc({ branches: [{ from: 'soma', nodes: [[1, 0], [2, 0], [3, 0]] }] });
    const file = newAnnotationFile(doc, { appVersion: 'test' });

    // An image opened on its own, never saved.
    const lone = join(root, 'lone-cells.tif');
    copyFileSync(SAMPLE, lone);
    const loneAnnotation = join(root, 'lone-cells.ramify.json');
    await journal.writeJournal(journalKey({ annotationPath: loneAnnotation }), file, { annotationPath: loneAnnotation, imagePath: lone, now: new Date('2026-01-01T10:00:00Z') });

    // An image of a blinded project whose folder names the condition.
    const folder = join(root, 'experiment');
    mkdirSync(join(folder, 'ketamine'), { recursive: true });
    copyFileSync(SAMPLE, join(folder, 'ketamine', 'ket_01.tif'));
    const created = await createProjectFromFolder(folder, { conditions: 'subfolder' });
    const project = setBlinding(created.project, true, 42);
    await saveProject(folder, project);
    const id = project.images[0].id;
    const inProject = annotationFilePath(folder, project, id);
    await journal.writeJournal(journalKey({ annotationPath: inProject }), file, { annotationPath: inProject, imagePath: imageFilePath(folder, project, id), now: new Date('2026-01-01T11:00:00Z') });

    const found = await new RecoveryLocator(journal).list();
    expect(found.map((f) => f.work)).toEqual([
      { key: journalKey({ annotationPath: inProject }), imageName: project.blinding.key[id], projectName: 'Blinded project', journaledAt: '2026-01-01T11:00:00.000Z', nodes: 3 },
      { key: journalKey({ annotationPath: loneAnnotation }), imageName: 'lone-cells.tif', projectName: null, journaledAt: '2026-01-01T10:00:00.000Z', nodes: 3 },
    ]);
    expect(project.blinding.key[id]).toMatch(/^Image \d+$/);
    // Nothing the renderer receives names the file, its folder or its condition.
    expect(JSON.stringify(found[0].work)).not.toMatch(/ket|experiment|\.tif/);
    expect(found[0].projectDir).toBe(folder);
    expect(found[1].projectDir).toBeNull();
  });
});
