// Writes the export the R check reads: the unit-test fixture project (tests/fixtures/project), exported to argv[2].
import { exportProject } from '../../electron/services/export-service';
import { createProjectFromFolder, saveImageAnnotation, saveProject } from '../../electron/services/project-service';
import { setSholl, setStatus } from '../../shared/project/project';
import { CAL_HALF, CAL_ONE, annotationFor, lineDocument, makeProjectFolder, yAndLineDocument } from '../fixtures/project/make-project';

const NOW = '2026-01-01T00:00:00.000Z';
const root = await makeProjectFolder();
let p = (await createProjectFromFolder(root, { conditions: 'subfolder', name: 'R check', now: NOW })).project;
p = setSholl(p, { start: 10, step: 10, end: null }, NOW);
await saveProject(root, p);
p = await saveImageAnnotation(root, p, 'img-0001', annotationFor(lineDocument(CAL_ONE)), NOW);
p = await saveImageAnnotation(root, p, 'img-0002', annotationFor(lineDocument(null)), NOW);
p = await saveImageAnnotation(root, p, 'img-0003', annotationFor(yAndLineDocument(CAL_HALF)), NOW);
p = setStatus(p, 'img-0003', 'ready-for-review', NOW);
await saveProject(root, p);
const r = await exportProject(root, process.argv[2], { appVersion: 'r-check', now: NOW });
console.log(`${r.neurons} neurons → ${r.outDir}`);
