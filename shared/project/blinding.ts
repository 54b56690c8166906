import type { Project } from './schema';
import { seededRandom } from '../random';

export { seededRandom };

/**
 * Blinding hides which image is which while tracing: every image gets a code ("Image 017") numbered along a seeded
 * shuffle of the images, so code order says nothing about folder, file name or condition. The UI shows codes in
 * titles, lists and recent files; exports always carry the true file and condition (plus the code).
 */


/** Fisher–Yates shuffle of a copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const a = [...items];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const CODE = /^Image (\d+)$/;

/** Zero-padded code: at least 3 digits, more when the project has ≥ 1000 images. */
export function blindCode(n: number, total: number): string {
  return `Image ${String(n).padStart(Math.max(3, String(total).length), '0')}`;
}

/**
 * A fresh key for every image: codes 1..n assigned along a shuffle of the project's image order seeded by `seed`.
 * Deterministic: same images + same seed → same key.
 */
export function generateBlindKey(imageIds: readonly string[], seed: number): Record<string, string> {
  const order = shuffled(imageIds, seededRandom(seed));
  const key: Record<string, string> = {};
  order.forEach((id, i) => (key[id] = blindCode(i + 1, imageIds.length)));
  return key;
}

/**
 * Extends a key to images that have no code yet (added after blinding): they take the next numbers, shuffled among
 * themselves with a seed derived from the project seed and the key size, so existing codes never change.
 */
export function extendBlindKey(key: Readonly<Record<string, string>>, imageIds: readonly string[], seed: number): Record<string, string> {
  const missing = imageIds.filter((id) => !(id in key));
  if (missing.length === 0) return { ...key };
  let max = 0;
  for (const code of Object.values(key)) {
    const m = CODE.exec(code);
    if (m) max = Math.max(max, Number(m[1]));
  }
  const total = max + missing.length;
  const out = { ...key };
  shuffled(missing, seededRandom((seed ^ Math.imul(max + 1, 0x9e3779b1)) >>> 0)).forEach((id, i) => (out[id] = blindCode(max + i + 1, total)));
  return out;
}

/**
 * Turns blinding on or off. Enabling with a new seed (or without a key) generates a fresh key; enabling again with
 * the same seed keeps the existing codes (extended to new images). Disabling keeps the key, so the codes reappear
 * unchanged when blinding is turned back on. `seed` is a uint32; callers draw it from a random source.
 */
export function setBlinding(project: Project, enabled: boolean, seed: number = project.blinding.seed): Project {
  const ids = project.images.map((i) => i.id);
  let key = project.blinding.key;
  if (enabled) {
    const fresh = seed !== project.blinding.seed || Object.keys(key).length === 0;
    key = fresh ? generateBlindKey(ids, seed >>> 0) : extendBlindKey(key, ids, seed >>> 0);
  }
  return { ...project, blinding: { enabled, seed: seed >>> 0, key } };
}

/** The image's name as the UI must show it: its code when blinded, else its file name (without folders). */
export function displayName(project: Project, imageId: string): string {
  const img = project.images.find((i) => i.id === imageId);
  if (project.blinding.enabled) return project.blinding.key[imageId] ?? 'Image ???';
  if (!img) return imageId;
  return img.path.slice(img.path.lastIndexOf('/') + 1);
}

/** Image ids in the order the UI lists them: by code when blinded (uncoded last), else project order. */
export function blindedOrder(project: Project): string[] {
  const ids = project.images.map((i) => i.id);
  if (!project.blinding.enabled) return ids;
  const num = (id: string) => {
    const m = CODE.exec(project.blinding.key[id] ?? '');
    return m ? Number(m[1]) : Number.MAX_SAFE_INTEGER;
  };
  return ids.map((id, i) => ({ id, i, n: num(id) })).sort((a, b) => a.n - b.n || a.i - b.i).map((e) => e.id);
}

/** True when the UI must hide conditions and other metadata that could unblind the tracer. */
export const isBlinded = (project: Project): boolean => project.blinding.enabled;

/**
 * What a blinded user must not read, each with what to show instead: every image's path, file name (with and without
 * extension), folders, id and annotation file name become its code; conditions and the project's name become
 * "[hidden]". Longest first, so a path is replaced before the file name inside it.
 */
export function blindSecrets(project: Project, folderName = ''): Array<[secret: string, shown: string]> {
  const pairs = new Map<string, string>();
  const put = (secret: string, shown: string, minLength = 3) => {
    if (secret.length >= minLength && !pairs.has(secret)) pairs.set(secret, shown);
  };
  for (const img of project.images) {
    const code = project.blinding.key[img.id] ?? 'Image ???';
    put(img.path, code, 1);
    const file = img.path.slice(img.path.lastIndexOf('/') + 1);
    put(file, code, 1);
    put(file.replace(/\.[^.]+$/, ''), code);
    put(img.id, code, 1);
    if (img.annotation) put(img.annotation.slice(img.annotation.lastIndexOf('/') + 1), `${code} tracing`, 1);
    put(`${img.id}.ramify.json`, `${code} tracing`, 1);
  }
  for (const img of project.images) for (const folder of img.path.split('/').slice(0, -1)) put(folder, '[hidden]', 2);
  for (const c of [...project.conditions, ...project.images.map((i) => i.metadata.condition ?? '')]) put(c, '[hidden]', 1);
  put(project.name, '[hidden]', 2);
  put(folderName, '[hidden]', 2);
  return [...pairs].sort((a, b) => b[0].length - a[0].length);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Text for a blinded user: every secret of blindSecrets replaced where it stands as a whole word (so a condition
 * "A" hides in "A/a1.tif" but not in "Annotations"); for messages built deep down, e.g. errors.
 */
export function redactBlinded(text: string, secrets: ReadonlyArray<readonly [string, string]>): string {
  let out = text;
  for (const [secret, shown] of secrets) {
    if (!out.includes(secret)) continue;
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(secret)}(?![\\p{L}\\p{N}])`, 'gu'), () => shown);
  }
  return out;
}
