import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProjectFromFolder, loadProject, readImageAnnotation, renameLegacyAnnotations, saveImageAnnotation, saveProject } from '../../../electron/services/project-service';
import { AnnotationSessions } from '../../../electron/services/annotation-sessions';
import { journalKey } from '../../../electron/services/autosave-journal';
import { ProjectSession } from '../../../electron/services/project-session';
import { blindedOrder, blindSecrets, redactBlinded, setBlinding } from '../../../shared/project/blinding';
import { assignConditions } from '../../../shared/project/conditions';
import { annotationPathFor, createProject, recordAnnotation, type ScannedImage } from '../../../shared/project/project';
import { serializeAnnotation } from '../../../shared/formats/annotation-file';
import { annotationFor, lineDocument, makeProjectFolder, CAL_ONE, yAndLineDocument } from '../../fixtures/project/make-project';

const NOW = '2026-01-01T00:00:00.000Z';

/** 24 images, sorted by path: the 12 of condition A first, then the 12 of B (as a folder scan lists them). */
const PATHS = [...Array.from({ length: 12 }, (_, i) => `A/a_${String(i + 1).padStart(2, '0')}.tif`), ...Array.from({ length: 12 }, (_, i) => `B/b_${String(i + 1).padStart(2, '0')}.tif`)];
const scanned: ScannedImage[] = PATHS.map((path) => ({ path, width: 8, height: 8, calibration: null }));
const base = createProject('P', scanned, assignConditions(PATHS, { kind: 'subfolder' }), NOW);

/** Spearman's rank correlation of two permutations of 0..n-1 (no ties): 1 − 6Σd² / (n(n²−1)). */
function spearman(a: readonly number[], b: readonly number[]): number {
  const n = a.length;
  let d2 = 0;
  for (let i = 0; i < n; i++) d2 += (a[i] - b[i]) ** 2;
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe('what a blinded user sees does not follow path or condition order', () => {
  const SEEDS = 2000;
  const n = PATHS.length;
  // For each seed: the list the user sees (blindedOrder) as path indices.
  const lists = Array.from({ length: SEEDS }, (_, s) => blindedOrder(setBlinding(base, true, s + 1)).map((id) => base.images.findIndex((i) => i.id === id)));

  it('is the same list for the same seed, and another list for another seed', () => {
    expect(blindedOrder(setBlinding(base, true, 7))).toEqual(blindedOrder(setBlinding(base, true, 7)));
    expect(setBlinding(base, true, 7).blinding.key).toEqual(setBlinding(base, true, 7).blinding.key);
    expect(blindedOrder(setBlinding(base, true, 7))).not.toEqual(blindedOrder(setBlinding(base, true, 8)));
    // Codes number the list: the k-th image shown is "Image 00k".
    const p = setBlinding(base, true, 7);
    expect(blindedOrder(p).map((id) => p.blinding.key[id])).toEqual(Array.from({ length: n }, (_, k) => `Image ${String(k + 1).padStart(3, '0')}`));
  });

  it('list position and path position are uncorrelated over 2000 seeds (Spearman ρ mean ≈ 0)', () => {
    const rho = lists.map((list) => {
      const position = new Array<number>(n);
      list.forEach((pathIndex, k) => (position[pathIndex] = k));
      return spearman(position, [...Array(n).keys()]);
    });
    const mean = rho.reduce((s, r) => s + r, 0) / SEEDS;
    // Under independence ρ has mean 0 and variance 1/(n−1): the mean of 2000 has SE √(1/23/2000) = 0.00466.
    expect(Math.abs(mean)).toBeLessThan(4 * Math.sqrt(1 / (n - 1) / SEEDS));
    const variance = rho.reduce((s, r) => s + (r - mean) ** 2, 0) / (SEEDS - 1);
    expect(variance).toBeGreaterThan(0.8 / (n - 1));
    expect(variance).toBeLessThan(1.2 / (n - 1));
  });

  it('each list position shows condition A half the time (χ² over the 24 positions)', () => {
    const aAt = new Array<number>(n).fill(0);
    for (const list of lists) list.forEach((pathIndex, k) => (aAt[k] += pathIndex < 12 ? 1 : 0));
    // Each count is Binomial(2000, ½): mean 1000, variance 500. χ²(24) at p = 0.001 is 51.18.
    const chi2 = aAt.reduce((s, c) => s + (c - SEEDS / 2) ** 2 / (SEEDS / 4), 0);
    expect(chi2).toBeLessThan(51.18);
    // The first half of the list holds 6 A images on average (hypergeometric mean 12·12/24).
    const firstHalf = lists.map((l) => l.slice(0, 12).filter((i) => i < 12).length);
    const mean = firstHalf.reduce((s, v) => s + v, 0) / SEEDS;
    // Hypergeometric variance 12·½·½·12/23 = 1.565; SE of the mean over 2000 seeds = 0.028.
    expect(Math.abs(mean - 6)).toBeLessThan(4 * Math.sqrt(1.565 / SEEDS));
  });

  it('new annotation file names are random: nothing in them follows the images’ order', async () => {
    const root = await makeProjectFolder();
    let p = (await createProjectFromFolder(root, { conditions: 'subfolder', now: NOW })).project;
    for (const img of p.images) p = await saveImageAnnotation(root, p, img.id, annotationFor(lineDocument(CAL_ONE)), NOW);
    const names = p.images.map((i) => i.annotation!);
    for (const [k, name] of names.entries()) {
      expect(name).toMatch(/^annotations\/[a-z2-9]{10}\.ramify\.json$/);
      expect(name).not.toContain(p.images[k].id);
    }
    expect(new Set(names).size).toBe(names.length);
    expect((await readdir(join(root, 'annotations'))).filter((f) => f.endsWith('.ramify.json')).sort()).toEqual(names.map((n) => n.slice('annotations/'.length)).sort());
  });
});

describe('projects of earlier builds (annotation files named after path-ordered ids)', () => {
  async function legacyProject() {
    const root = await makeProjectFolder();
    let p = (await createProjectFromFolder(root, { conditions: 'subfolder', now: NOW })).project;
    await mkdir(join(root, 'annotations'), { recursive: true });
    const texts: Record<string, string> = {};
    for (const [k, img] of p.images.slice(0, 3).entries()) {
      const text = serializeAnnotation({ ...annotationFor(lineDocument(CAL_ONE)), app: { name: 'Ramify', version: `0.${k}` } });
      texts[img.id] = text;
      await writeFile(join(root, annotationPathFor(img.id)), text);
      // The third never made it into the project file (a crash between the two writes in an earlier build).
      if (k < 2) p = recordAnnotation(p, img.id, annotationPathFor(img.id), 1, NOW);
    }
    await writeFile(join(root, `${annotationPathFor(p.images[0].id)}.bak`), 'previous version');
    await saveProject(root, p);
    return { root, project: p, texts };
  }

  it('get random names, with every tracing (and backup) byte for byte where the project file says', async () => {
    const { root, project, texts } = await legacyProject();
    const renamed: Array<[string, string]> = [];
    const r = await renameLegacyAnnotations(root, project, { now: NOW, onRenamed: async (from, to) => void renamed.push([from, to]) });
    expect(r.renamed).toBe(3);
    expect(renamed).toHaveLength(3);
    const reloaded = await loadProject(root);
    for (const img of reloaded.images.slice(0, 3)) {
      expect(img.annotation).toMatch(/^annotations\/[a-z2-9]{10}\.ramify\.json$/);
      expect(await readFile(join(root, ...img.annotation!.split('/')), 'utf8')).toBe(texts[img.id]);
      expect(existsSync(join(root, annotationPathFor(img.id)))).toBe(false);
      expect((await readImageAnnotation(root, reloaded, img.id))?.document.neurons).toHaveLength(1);
    }
    expect(await readFile(join(root, `${reloaded.images[0].annotation}.bak`), 'utf8')).toBe('previous version');
    expect((await readdir(join(root, 'annotations'))).filter((f) => f.startsWith('img-'))).toEqual([]);
    // Idempotent.
    expect((await renameLegacyAnnotations(root, reloaded)).renamed).toBe(0);
  });

  it('an interrupted rename leaves every tracing reachable from the project file', async () => {
    const { root, project, texts } = await legacyProject();
    await expect(
      renameLegacyAnnotations(root, project, {
        now: NOW,
        onRenamed: async () => {
          throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    const reloaded = await loadProject(root);
    for (const img of reloaded.images.slice(0, 3)) expect(await readFile(join(root, ...img.annotation!.split('/')), 'utf8')).toBe(texts[img.id]);
  });

  it('are renamed when the app opens them; the renderer then sees random tokens, never ids', async () => {
    const { root } = await legacyProject();
    const moved: string[] = [];
    const session = new ProjectSession({ onAnnotationRenamed: async (from) => void moved.push(from) });
    const view = await session.open(root);
    expect(moved).toHaveLength(3);
    const project = await loadProject(root);
    for (const img of view.images) {
      expect(img.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(project.images.some((i) => i.id === img.id)).toBe(false);
    }
    // Changes name images by token; main finds the image behind it.
    const drug2 = view.images.find((i) => i.displayName === 'drug_02.tif')!;
    await session.update({ op: 'setMetadata', imageId: drug2.id, column: 'DIV', value: '7' });
    expect((await loadProject(root)).images.find((i) => i.path === 'DRUG/drug_02.tif')?.metadata.DIV).toBe('7');
    await expect(session.update({ op: 'setMetadata', imageId: 'img-0002', column: 'DIV', value: '8' })).rejects.toMatchObject({ code: 'not-found' });
    // Blinded: the list is in code order and no text in the view names a file, folder, id or condition.
    const blinded = await session.update({ op: 'setBlinding', enabled: true });
    expect(blinded.images.map((i) => i.id)).toEqual(expect.arrayContaining(view.images.map((i) => i.id)));
    expect(blinded.images.map((i) => i.displayName)).toEqual([...blinded.images.map((i) => i.displayName)].sort());
    const text = JSON.stringify(blinded);
    const after = await loadProject(root);
    for (const [secret] of blindSecrets(after, 'ignored')) if (secret !== 'ignored') expect(text).not.toContain(secret);
    expect(session.redact(`Cannot read ${join(root, after.images[0].path)} (${after.images[0].annotation}) of ${after.images[0].metadata.condition}`)).toBe(
      `Cannot read [project folder]/${after.blinding.key[after.images[0].id]} (annotations/${after.blinding.key[after.images[0].id]} tracing) of [hidden]`,
    );
  });
});

describe('unsaved work journaled under a legacy annotation name', () => {
  it('is still offered after the rename', async () => {
    const root = await makeProjectFolder();
    let p = (await createProjectFromFolder(root, { conditions: 'subfolder', now: NOW })).project;
    const img = p.images[0];
    await mkdir(join(root, 'annotations'), { recursive: true });
    const saved = annotationFor(lineDocument(CAL_ONE));
    await writeFile(join(root, annotationPathFor(img.id)), serializeAnnotation(saved));
    p = recordAnnotation(p, img.id, annotationPathFor(img.id), 1, NOW);
    await saveProject(root, p);
    const sessions = new AnnotationSessions({ journalDir: join(root, '..', `${basename(root)}-recovery`), send: () => undefined });
    const unsaved = { ...saved, document: yAndLineDocument(CAL_ONE) };
    const legacyAbs = join(root, annotationPathFor(img.id));
    await sessions.journal.writeJournal(journalKey({ annotationPath: legacyAbs }), unsaved, { annotationPath: legacyAbs, imagePath: join(root, img.path), now: new Date('2099-01-01T00:00:00Z') });

    const session = new ProjectSession({ onAnnotationRenamed: (from, to) => sessions.moved(from, to) });
    const view = await session.open(root);
    const all = new AnnotationSessions({
      journalDir: sessions.journal.dir,
      send: () => undefined,
      annotationPathFor: (path) => session.annotationPathFor(path),
    });
    const opened = await all.open(session.imagePath(view.images.find((i) => i.displayName === 'drug_01.tif')!.id), 8, 8);
    expect(opened.file?.document.neurons).toHaveLength(1);
    expect(opened.recovery).toMatchObject({ journaledAt: '2099-01-01T00:00:00.000Z' });
    expect((await all.restore(join(root, img.path))).document.neurons).toHaveLength(yAndLineDocument(CAL_ONE).neurons.length);
  });
});

describe('redactBlinded', () => {
  it('replaces whole words only', () => {
    const p = setBlinding(createProject('Study', [{ path: 'A/x.tif', width: 1, height: 1, calibration: null }], assignConditions(['A/x.tif'], { kind: 'subfolder' }), NOW), true, 3);
    expect(redactBlinded('A/x.tif: Annotations of A and x.tif in A', blindSecrets(p))).toBe('Image 001: Annotations of [hidden] and Image 001 in [hidden]');
  });
});
