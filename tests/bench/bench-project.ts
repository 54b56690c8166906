import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createProjectFromFolder, saveProject } from '../../electron/services/project-service';
import { newAnnotationFile, serializeAnnotation } from '../../shared/formats/annotation-file';
import type { AnnotationDocument, Branch, Neuron } from '../../shared/model/document';
import { seededRandom } from '../../shared/project/blinding';
import { annotationPathFor, recordAnnotation } from '../../shared/project/project';
import type { Project } from '../../shared/project/schema';
import { CAL_HALF, tinyTiff } from '../fixtures/project/make-project';

/** A soma with 4 primaries of 20 nodes, each sprouting 4 side branches of 10 nodes: 4·20 + 16·10 = 240 nodes. */
export function neuron(idStart: number, cx: number, cy: number, random: () => number): { neuron: Neuron; nextId: number } {
  let id = idStart;
  const n: Neuron = { id: id++, name: `n${idStart}`, color: '#ffd400', soma: { kind: 'point', x: cx, y: cy, z: 0 }, branches: [] };
  const walk = (x: number, y: number, angle: number, count: number, parent: Branch['parent']): Branch => {
    const b: Branch = { id: id++, label: 'dendrite', parent, nodes: [] };
    for (let k = 0; k < count; k++) {
      angle += (random() - 0.5) * 0.4;
      x += Math.cos(angle) * 4;
      y += Math.sin(angle) * 4;
      b.nodes.push({ id: id++, x, y, z: 0 });
    }
    n.branches.push(b);
    return b;
  };
  for (let p = 0; p < 4; p++) {
    const a = (p * Math.PI) / 2;
    const primary = walk(cx, cy, a, 20, { kind: 'soma' });
    for (let s = 0; s < 4; s++) {
      const at = primary.nodes[4 + s * 4];
      walk(at.x, at.y, a + (s % 2 ? 0.7 : -0.7), 10, { kind: 'node', nodeId: at.id });
    }
  }
  return { neuron: n, nextId: id };
}

/**
 * A traced project in `root` for benches: `images` calibrated 8-bit TIFFs of `imageSize`² px in VEH/ and DRUG/
 * (conditions by subfolder), each with `perImage` neurons (see neuron) centred where `place(k)` says, saved.
 */
export async function writeBenchProject(root: string, o: { images: number; imageSize: number; perImage: number; place: (k: number) => [number, number] }): Promise<{ project: Project; createMs: number; nodes: number }> {
  const tif = tinyTiff(0.5, o.imageSize);
  for (let i = 0; i < o.images; i++) {
    await mkdir(join(root, i % 2 ? 'VEH' : 'DRUG'), { recursive: true });
    await writeFile(join(root, i % 2 ? 'VEH' : 'DRUG', `img_${String(i).padStart(3, '0')}.tif`), tif);
  }
  const t = performance.now();
  let { project } = await createProjectFromFolder(root, { conditions: 'subfolder', now: '2026-01-01T00:00:00Z' });
  const createMs = performance.now() - t;
  const random = seededRandom(1);
  let nodes = 0;
  await mkdir(join(root, 'annotations'), { recursive: true });
  for (const img of project.images) {
    const doc: AnnotationDocument = { neurons: [], nextId: 1, calibration: CAL_HALF };
    for (let k = 0; k < o.perImage; k++) {
      const r = neuron(doc.nextId, ...o.place(k), random);
      doc.neurons.push(r.neuron);
      doc.nextId = r.nextId;
      nodes += r.neuron.branches.reduce((s, b) => s + b.nodes.length, 0);
    }
    const rel = annotationPathFor(img.id);
    await writeFile(join(root, ...rel.split('/')), serializeAnnotation(newAnnotationFile(doc, { appVersion: 'bench' })));
    project = recordAnnotation(project, img.id, rel, o.perImage, '2026-01-01T00:00:00Z');
  }
  await saveProject(root, project);
  return { project, createMs, nodes };
}
