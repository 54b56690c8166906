import { seededRandom } from '../random';
import { RamifyError } from '../result';
import { shuffled } from './blinding';
import { randomFileName } from './project';
import { AGREEMENT_DIR } from './agreement-schema';
import type { Project } from './schema';

/**
 * Inter-tracer agreement in a project: a seeded share of the images is traced by two named tracers, each in an
 * annotation file of their own, blind to the other's work. The project's own annotation of such an image is left as
 * it is (results and exports keep using it); the two tracers' files are compared for agreement.csv.
 */

export { AGREEMENT_DIR, type AgreementAssignment } from './agreement-schema';

export interface AssignOptions {
  /** Share of images (0–1]; at least one image is picked. */
  share: number;
  tracers: [string, string];
  /** uint32 seed; the same seed and images give the same pick. */
  seed: number;
  now: string;
  /** Pick exactly these images (ids) instead of a seeded share. */
  imageIds?: readonly string[];
}

/**
 * Assigns images to be traced twice. Excluded images are never picked; the count is round(share × eligible), at
 * least 1. Refuses to replace an assignment whose tracers have saved work (it would orphan their files).
 */
export function assignAgreement(project: Project, options: AssignOptions): Project {
  const tracers = options.tracers.map((t) => t.trim()) as [string, string];
  if (!tracers[0] || !tracers[1] || tracers[0] === tracers[1]) throw new RamifyError('usage', 'Name two different tracers.');
  if (!(options.share > 0 && options.share <= 1)) throw new RamifyError('usage', `The share must be between 0 and 100 % (got ${options.share * 100} %).`);
  const existing = project.agreement;
  if (existing && Object.values(existing.files).some((f) => Object.keys(f).length > 0))
    throw new RamifyError('agreement-exists', `This project already has an agreement assignment (${existing.tracers.join(' and ')}) with saved tracings; it is kept.`);
  const eligible = project.images.filter((i) => i.status !== 'excluded').map((i) => i.id);
  let picked: string[];
  if (options.imageIds) {
    const unknown = options.imageIds.find((id) => !project.images.some((i) => i.id === id));
    if (unknown) throw new RamifyError('not-found', `No image '${unknown}' in the project.`);
    picked = [...new Set(options.imageIds)];
  } else {
    if (eligible.length === 0) throw new RamifyError('usage', 'The project has no image to assign.');
    const count = Math.min(eligible.length, Math.max(1, Math.round(options.share * eligible.length)));
    picked = shuffled(eligible, seededRandom(options.seed)).slice(0, count);
  }
  const order = new Map(project.images.map((i, k) => [i.id, k]));
  picked.sort((a, b) => order.get(a)! - order.get(b)!);
  const share = options.imageIds ? picked.length / Math.max(1, project.images.length) : options.share;
  return { ...project, modified: options.now, agreement: { share, seed: options.seed >>> 0, tracers, assigned: options.now, imageIds: picked, files: {} } };
}

/** True when `user` is one of the two tracers of an assigned image: they trace it in their own file. */
export function isAgreementTracer(project: Project, imageId: string, user: string): boolean {
  const a = project.agreement;
  return !!a && a.imageIds.includes(imageId) && a.tracers.includes(user.trim());
}

/** The tracer's file of an assigned image (relative path), or null before their first save. */
export function agreementFileOf(project: Project, imageId: string, tracer: string): string | null {
  return project.agreement?.files[imageId]?.[tracer.trim()] ?? null;
}

/** Gives the tracer's file of an assigned image a random, unused name (a no-op when it has one). */
export function nameAgreementFile(project: Project, imageId: string, tracer: string, random: () => number, now: string): Project {
  const a = project.agreement;
  const who = tracer.trim();
  if (!a || !a.imageIds.includes(imageId) || !a.tracers.includes(who)) throw new RamifyError('not-found', `${who} is not assigned to trace this image for agreement.`);
  if (agreementFileOf(project, imageId, who)) return project;
  const taken = new Set(Object.values(a.files).flatMap((f) => Object.values(f)));
  let path: string;
  do path = `${AGREEMENT_DIR}/${randomFileName(random)}.ramify.json`;
  while (taken.has(path));
  return { ...project, modified: now, agreement: { ...a, files: { ...a.files, [imageId]: { ...a.files[imageId], [who]: path } } } };
}

/** Parses "10%", "10 %", "0.1" or "10" (percent when > 1) into a share. */
export function parseShare(raw: string): number {
  const m = /^\s*([0-9]*\.?[0-9]+)\s*(%?)\s*$/.exec(raw);
  if (!m) throw new RamifyError('usage', `--share must be a percentage such as 10% (got '${raw}').`);
  const v = Number(m[1]);
  return m[2] || v > 1 ? v / 100 : v;
}
