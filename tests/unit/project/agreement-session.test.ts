import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProjectFromFolder, loadProject } from '../../../electron/services/project-service';
import { ProjectSession } from '../../../electron/services/project-session';
import { annotationToJson } from '../../../shared/formats/annotation-file';
import { projectAnnotationSessions } from '../test-services';
import { annotationFor, CAL_HALF, lineDocument, makeProjectFolder, yAndLineDocument } from '../../fixtures/project/make-project';

const NOW = '2026-01-01T00:00:00.000Z';

/** The app's main-process services on a project, with the user's name as Settings would give it. */
async function openInApp() {
  const root = await makeProjectFolder();
  await createProjectFromFolder(root, { conditions: 'subfolder', now: NOW });
  let user = 'Ana';
  const project = new ProjectSession({ currentUser: () => user });
  const view = await project.open(root);
  const sessions = projectAnnotationSessions(project);
  const pathOf = (name: string) => project.imagePath(view.images.find((i) => i.displayName === name)!.id);
  return { root, project, sessions, pathOf, become: (name: string) => (user = name) };
}

describe('agreement images in the app: each tracer works in a file of their own', () => {
  it('routes each tracer to their own file, never the other’s, and leaves the image record alone', async () => {
    const { root, project, sessions, pathOf, become } = await openInApp();
    const none = await project.agreement();
    expect(none).toBeNull();
    const view = await project.assignAgreement({ sharePercent: 100, tracers: ['Ana', 'Ben'] });
    expect(view).toMatchObject({ tracers: ['Ana', 'Ben'], you: 'a', share: 1 });
    expect(view.images).toHaveLength(6);
    const img = pathOf('veh_01.tif');

    // Ana traces the Y and the line; Ben only the line.
    expect((await sessions.open(img, 8, 8)).file).toBeNull();
    await sessions.save(img, annotationToJson(annotationFor(yAndLineDocument(CAL_HALF))), false);
    become('Ben');
    expect((await sessions.open(img, 8, 8)).file).toBeNull();
    await sessions.save(img, annotationToJson(annotationFor(lineDocument(CAL_HALF))), false);
    become('Ana');
    expect((await sessions.open(img, 8, 8)).file!.document.neurons.map((n) => n.name)).toEqual(['Y', 'line']);

    // Someone else (the PI) sees the image's own annotations: nothing traced.
    become('Pia');
    expect((await sessions.open(img, 8, 8)).file).toBeNull();
    const p = await loadProject(root);
    const record = p.images.find((i) => i.path === 'VEH/veh_01.tif')!;
    expect(record).toMatchObject({ neuronCount: 0, status: 'to-do' });
    const files = p.agreement!.files[record.id];
    expect(JSON.parse(await readFile(join(root, files.Ben), 'utf8')).document.neurons).toHaveLength(1);

    // Pairs go by soma position: Ben's soma at (5, 5) px is 7.1 px from Ana's Y (10, 10) and 55 px from her line
    // (60, 10), so the Y pairs with it and Ana's line has no partner.
    become('Ana');
    const a = (await project.agreement())!;
    const rows = a.rows.filter((r) => r.displayName === 'veh_01.tif');
    expect(rows.map((r) => [r.match, r.neuronA, r.neuronB])).toEqual([
      ['both', 'Y', 'line'],
      ['only_a', 'line', ''],
    ]);
  });
});
