import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { exportProject } from '../../electron/services/export-service';
import { createProjectFromFolder, saveProject } from '../../electron/services/project-service';
import { newAnnotationFile, serializeAnnotation } from '../../shared/formats/annotation-file';
import type { AnnotationDocument, Branch, Neuron } from '../../shared/model/document';
import { seededRandom } from '../../shared/project/blinding';
import { annotationPathFor, recordAnnotation } from '../../shared/project/project';
import { CAL_HALF, tinyTiff } from '../fixtures/project/make-project';

/** A soma with 4 primaries of 20 nodes, each sprouting 4 side branches of 10 nodes: 4·20 + 16·10 = 240 nodes. */
function neuron(idStart: number, cx: number, cy: number, random: () => number): { neuron: Neuron; nextId: number } {
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

export async function bench(): Promise<void> {
  const IMAGES = 100;
  const root = await mkdtemp(join(tmpdir(), 'ramify-export-bench-'));
  try {
    const tif = tinyTiff(0.5, 16);
    for (let i = 0; i < IMAGES; i++) {
      await mkdir(join(root, i % 2 ? 'VEH' : 'DRUG'), { recursive: true });
      await writeFile(join(root, i % 2 ? 'VEH' : 'DRUG', `img_${String(i).padStart(3, '0')}.tif`), tif);
    }
    let t = performance.now();
    let { project } = await createProjectFromFolder(root, { conditions: 'subfolder', now: '2026-01-01T00:00:00Z' });
    const createMs = performance.now() - t;
    const random = seededRandom(1);
    let nodes = 0;
    await mkdir(join(root, 'annotations'), { recursive: true });
    for (const img of project.images) {
      const doc: AnnotationDocument = { neurons: [], nextId: 1, calibration: CAL_HALF };
      for (let k = 0; k < 3; k++) {
        const r = neuron(doc.nextId, 200 + k * 300, 300, random);
        doc.neurons.push(r.neuron);
        doc.nextId = r.nextId;
        nodes += r.neuron.branches.reduce((s, b) => s + b.nodes.length, 0);
      }
      const rel = annotationPathFor(img.id);
      await writeFile(join(root, ...rel.split('/')), serializeAnnotation(newAnnotationFile(doc, { appVersion: 'bench' })));
      project = recordAnnotation(project, img.id, rel, 3, '2026-01-01T00:00:00Z');
    }
    await saveProject(root, project);
    project = { ...project, sholl: { start: 10, step: 5, end: null } };

    const runs: number[] = [];
    let last: Awaited<ReturnType<typeof exportProject>> | null = null;
    for (let r = 0; r < 3; r++) {
      t = performance.now();
      last = await exportProject(root, join(root, 'exports', `run${r}`), { project, appVersion: 'bench' });
      runs.push(performance.now() - t);
    }
    const sholl = last!.files.find((f) => f.name === 'sholl.csv')!.rows;
    console.log(`project init (scan + headers of ${IMAGES} TIFFs): ${createMs.toFixed(0)} ms`);
    console.log(`export ${IMAGES} images × 3 neurons (${(nodes / (IMAGES * 3)).toFixed(0)} nodes each, ${sholl} Sholl rows): ${runs.map((x) => x.toFixed(0)).join(' / ')} ms (target ≤ 2000 ms)`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
