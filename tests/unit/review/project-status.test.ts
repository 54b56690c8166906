import { describe, expect, it } from 'vitest';
import { createProjectFromFolder, loadProject, saveImageAnnotation, saveProject } from '../../../electron/services/project-service';
import { ProjectSession } from '../../../electron/services/project-session';
import { annotationToJson } from '../../../shared/formats/annotation-file';
import { setStatus } from '../../../shared/project/project';
import { projectAnnotationSessions } from '../test-services';
import { annotationFor, CAL_ONE, lineDocument, makeProjectFolder } from '../../fixtures/project/make-project';

const NOW = '2026-01-01T00:00:00.000Z';

/** A project (as an earlier build left it) opened in the app's main-process services. */
async function openInApp(prepare: (root: string) => Promise<void>) {
  const root = await makeProjectFolder();
  await createProjectFromFolder(root, { conditions: 'subfolder', now: NOW });
  await prepare(root);
  const project = new ProjectSession();
  const view = await project.open(root);
  const sessions = projectAnnotationSessions(project);
  const open = (name: string) => {
    const path = project.imagePath(view.images.find((i) => i.displayName === name)!.id);
    return { path, opened: sessions.open(path, 8, 8) };
  };
  return { root, project, sessions, open };
}

describe('one status for an image, in the file, the project and the list', () => {
  it("a project's \"done\" and its file's \"in progress\" open as one status: ready for review", async () => {
    const { open } = await openInApp(async (root) => {
      let p = await loadProject(root);
      p = await saveImageAnnotation(root, p, 'img-0001', annotationFor(lineDocument(CAL_ONE)), NOW);
      const raw = JSON.parse(JSON.stringify(p));
      raw.images[0].status = 'done';
      await saveProject(root, raw);
    });
    expect((await open('drug_01.tif').opened).file?.review.status).toBe('ready-for-review');
  });

  it('an image excluded before anything was traced opens excluded, with the reason', async () => {
    const { open } = await openInApp(async (root) => saveProject(root, setStatus(await loadProject(root), 'img-0002', 'excluded', NOW, 'out of focus')));
    const o = await open('drug_02.tif').opened;
    expect(o.file).toBeNull();
    expect(o.status).toEqual({ status: 'excluded', reason: 'out of focus' });
  });

  it('a save records the file’s status in the project; a first neuron moves to-do to in progress', async () => {
    const { root, sessions, project, open } = await openInApp(async () => undefined);
    const { path, opened } = open('veh_01.tif');
    await opened;
    const fresh = { ...annotationFor(lineDocument(CAL_ONE)), review: { ...annotationFor(lineDocument(CAL_ONE)).review, status: 'to-do' as const } };
    await sessions.save(path, annotationToJson(fresh), false);
    expect(project.view().images.find((i) => i.displayName === 'veh_01.tif')?.status).toBe('in-progress');
    await sessions.save(path, annotationToJson({ ...fresh, review: { ...fresh.review, status: 'approved', reviewer: 'PI' } }), false);
    expect(project.view().images.find((i) => i.displayName === 'veh_01.tif')?.status).toBe('approved');
    expect((await loadProject(root)).images.find((i) => i.path === 'VEH/veh_01.tif')?.status).toBe('approved');
  });

  it('two saves in quick succession (a review action right after another) both land, in order', async () => {
    const { sessions, project, open } = await openInApp(async () => undefined);
    const { path, opened } = open('veh_02.tif');
    await opened;
    const base = annotationFor(lineDocument(CAL_ONE));
    await sessions.save(path, annotationToJson(base), false);
    const [a, b] = await Promise.all([
      sessions.save(path, annotationToJson({ ...base, review: { ...base.review, status: 'ready-for-review' } }), false),
      sessions.save(path, annotationToJson({ ...base, review: { ...base.review, status: 'approved', reviewer: 'PI' } }), false),
    ]);
    expect(a.fileName).toBe(b.fileName);
    expect(project.view().images.find((i) => i.displayName === 'veh_02.tif')?.status).toBe('approved');
  });
});
