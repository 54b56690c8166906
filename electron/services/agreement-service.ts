import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { newAnnotationFile, parseAnnotation, type AnnotationFile } from '../../shared/formats/annotation-file';
import { emptyDocument, type AnnotationDocument } from '../../shared/model/document';
import { mergeDocuments } from '../../shared/model/merge';
import { agreementFileOf, assignAgreement, nameAgreementFile, type AssignOptions } from '../../shared/project/agreement';
import { AGREEMENT_DIR } from '../../shared/project/agreement-schema';
import { projectAgreement, type AgreementImageInput, type ProjectAgreement } from '../../shared/project/agreement-tables';
import type { Project } from '../../shared/project/schema';
import { RamifyError } from '../../shared/result';
import { saveAnnotation } from './annotation-store';
import { cryptoRandom, ramifyVersion } from './project-files';
import { loadProject, projectDir, resolveProjectImage, saveProject } from './project-service';
import { readTracingFile } from './tracing-import';
import { microscopeCalibration } from '../../shared/image/calibration';

/**
 * Agreement files on disk: each tracer of an assigned image has `annotations/agreement/<random>.ramify.json`, named
 * in the project file before the first write (as annotation files are). Nothing here reads or writes the image's
 * own annotation file.
 */

/** Assigns images for agreement and saves the project (CLI; the app goes through ProjectSession). */
export async function assignAgreementImages(dir: string, options: Omit<AssignOptions, 'imageIds'> & { imageRefs?: readonly string[]; cwd?: string }): Promise<Project> {
  const project = await loadProject(dir);
  const imageIds = options.imageRefs?.map((ref) => resolveProjectImage(dir, project, ref, options.cwd).id);
  const next = assignAgreement(project, { ...options, imageIds });
  await saveProject(dir, next);
  return next;
}

/** Absolute path of a tracer's file of an assigned image, or null before their first save. */
export function agreementFilePath(dir: string, project: Project, imageId: string, tracer: string): string | null {
  const rel = agreementFileOf(project, imageId, tracer);
  return rel ? join(projectDir(dir), ...rel.split('/')) : null;
}

/** Names the tracer's file (saving the project) and returns the project and the file's absolute path. */
export async function ensureAgreementFile(dir: string, project: Project, imageId: string, tracer: string, now = new Date().toISOString()): Promise<{ project: Project; path: string }> {
  let next = project;
  if (!agreementFileOf(project, imageId, tracer)) {
    next = nameAgreementFile(project, imageId, tracer, cryptoRandom, now);
    await saveProject(dir, next);
  }
  await mkdir(join(projectDir(dir), ...AGREEMENT_DIR.split('/')), { recursive: true });
  return { project: next, path: agreementFilePath(dir, next, imageId, tracer)! };
}

/** A tracer's document of an assigned image; null when they have not saved one. */
export async function readAgreementTracing(dir: string, project: Project, imageId: string, tracer: string): Promise<AnnotationFile | null> {
  const path = agreementFilePath(dir, project, imageId, tracer);
  if (!path) return null;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RamifyError('not-found', `Cannot read ${tracer}'s agreement tracing: ${(e as Error).message}.`);
  }
  return parseAnnotation(text);
}

/**
 * Appends the neurons of a tracing file to a tracer's agreement file of an assigned image (as `ramify import` does
 * for the image's own annotations): how a tracing made elsewhere joins the comparison.
 */
export async function importAgreementTracing(dir: string, imageRef: string, tracer: string, tracePath: string, options: { now?: string; cwd?: string } = {}): Promise<{ project: Project; imageId: string; neurons: number; total: number }> {
  const now = options.now ?? new Date().toISOString();
  const loaded = await loadProject(dir);
  const img = resolveProjectImage(dir, loaded, imageRef, options.cwd);
  const { project, path } = await ensureAgreementFile(dir, loaded, img.id, tracer.trim(), now);
  const existing = await readAgreementTracing(dir, project, img.id, tracer.trim());
  const doc: AnnotationDocument = existing ? existing.document : emptyDocument(img.calibration);
  const cal = doc.calibration ?? img.calibration;
  const imported = await readTracingFile(resolve(options.cwd ?? process.cwd(), tracePath), microscopeCalibration(cal));
  const merged: AnnotationDocument = { ...mergeDocuments(doc, imported.document), calibration: cal };
  const file: AnnotationFile = existing
    ? { ...existing, document: merged, review: { ...existing.review, modifiedAt: now } }
    : newAnnotationFile(merged, { appVersion: ramifyVersion(), now: new Date(now), author: tracer.trim(), image: null });
  await saveAnnotation(path, file, { backup: false });
  return { project, imageId: img.id, neurons: merged.neurons.length - doc.neurons.length, total: merged.neurons.length };
}

/** Reads both tracers' files of every assigned image and compares them. Throws RamifyError without an assignment. */
export async function loadProjectAgreement(dir: string, project?: Project): Promise<{ project: Project; agreement: ProjectAgreement }> {
  const p = project ?? (await loadProject(dir));
  const a = p.agreement;
  if (!a) throw new RamifyError('no-agreement', "This project has no images assigned for tracer agreement (assign them with 'ramify agreement assign' or in the app's Agreement view).");
  const inputs: AgreementImageInput[] = [];
  for (const id of a.imageIds) {
    const image = p.images.find((i) => i.id === id);
    if (!image) continue;
    const [fa, fb] = [await readAgreementTracing(dir, p, id, a.tracers[0]), await readAgreementTracing(dir, p, id, a.tracers[1])];
    inputs.push({ image, a: fa?.document ?? null, b: fb?.document ?? null });
  }
  return { project: p, agreement: projectAgreement(p, inputs) };
}
