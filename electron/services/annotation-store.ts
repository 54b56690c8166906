/**
 * Loading and saving annotation files on disk, with conflict detection: a save refuses to overwrite a file that
 * another program (or another Ramify window) changed since it was loaded, judged by content hash.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename } from 'node:path';
import { MAX_ANNOTATION_CHARS, parseAnnotation, serializeAnnotation, type AnnotationFile, type ImageIdentity } from '../../shared/formats/annotation-file';
import { RamifyError } from '../../shared/result';
import { errnoOf, writeFileAtomicDurable, type AtomicFs } from './atomic-write';

/** What a load or save leaves on disk; keep it to detect later external changes. */
export interface DiskState {
  /** Modification time (ms since epoch) after the load or save. */
  mtimeMs: number;
  /** Size in bytes. */
  size: number;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
}

export interface LoadedAnnotation extends DiskState {
  file: AnnotationFile;
}

export const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

function readError(path: string, e: unknown): RamifyError {
  if (e instanceof RamifyError) return e;
  const name = basename(path);
  switch (errnoOf(e)) {
    case 'ENOENT':
      return new RamifyError('not-found', `${name} does not exist (any more).`);
    case 'EACCES':
    case 'EPERM':
      return new RamifyError('permission-denied', `Ramify is not allowed to read ${name}.`);
    case 'EISDIR':
      return new RamifyError('wrong-type', `${name} is a folder, not an annotation file.`);
    default:
      return new RamifyError('read-failed', `Could not read ${name}: ${e instanceof Error ? e.message : String(e)}.`);
  }
}

/** Reads and checks an annotation file; refuses files over the size limit before reading them. */
export async function loadAnnotation(path: string): Promise<LoadedAnnotation> {
  try {
    const st = await fsp.stat(path);
    if (st.isDirectory()) throw new RamifyError('wrong-type', `${basename(path)} is a folder, not an annotation file.`);
    if (st.size > MAX_ANNOTATION_CHARS * 4) {
      throw new RamifyError('annotation-too-large', `${basename(path)} is too large for an annotation file (${(st.size / 1048576).toFixed(0)} MB).`);
    }
    const bytes = await fsp.readFile(path);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new RamifyError('annotation-malformed', `${basename(path)} is not a Ramify annotation file (not UTF-8 text).`);
    }
    const file = parseAnnotation(text);
    return { file, mtimeMs: st.mtimeMs, size: bytes.length, sha256: sha256Hex(bytes) };
  } catch (e) {
    throw readError(path, e);
  }
}

/** Hash, size and mtime of the file now on disk; null when it does not exist. */
export async function diskState(path: string): Promise<DiskState | null> {
  try {
    const st = await fsp.stat(path);
    const bytes = await fsp.readFile(path);
    return { mtimeMs: st.mtimeMs, size: bytes.length, sha256: sha256Hex(bytes) };
  } catch (e) {
    if (errnoOf(e) === 'ENOENT') return null;
    throw readError(path, e);
  }
}

export interface SaveOptions {
  /** Hash of the file as loaded or last saved; a different hash on disk means someone else changed it. */
  expectedSha256?: string | null;
  /** mtime as loaded or last saved; only used when no hash is given. */
  expectedMtimeMs?: number | null;
  /** Overwrite even if the file changed on disk (the user chose "overwrite"). */
  force?: boolean;
  /** Keep the previous version as `<name>.bak` (default true). */
  backup?: boolean;
  /** File-system calls for the atomic write (tests). */
  fs?: AtomicFs;
  /** Told the new content's SHA-256 just before it is written (a watcher then knows the change is its own). */
  beforeWrite?: (sha256: string) => void;
}

/**
 * Writes the file atomically (old or new content at every instant). Refuses with RamifyError('changed-on-disk')
 * when the file on disk is not the one expected, unless `force`. A file deleted meanwhile is simply recreated.
 * Returns the new disk state, to pass as the expectation of the next save.
 */
export async function saveAnnotation(path: string, file: AnnotationFile, options: SaveOptions = {}): Promise<DiskState> {
  const expectHash = options.expectedSha256 ?? null;
  const expectMtime = options.expectedMtimeMs ?? null;
  if (!options.force && (expectHash !== null || expectMtime !== null)) {
    const now = await diskState(path);
    const changed = now !== null && (expectHash !== null ? now.sha256 !== expectHash : now.mtimeMs !== expectMtime);
    if (changed) {
      throw new RamifyError(
        'changed-on-disk',
        `${basename(path)} was changed on disk by another program since Ramify opened it. Save under another name, reload it (losing your changes), or overwrite it.`,
      );
    }
  }
  const bytes = new TextEncoder().encode(serializeAnnotation(file));
  const sha256 = sha256Hex(bytes);
  options.beforeWrite?.(sha256);
  await writeFileAtomicDurable(path, bytes, { backup: options.backup ?? true, fs: options.fs });
  const st = await fsp.stat(path);
  return { mtimeMs: st.mtimeMs, size: bytes.length, sha256 };
}

/** SHA-256 (hex) of a file of any size, streamed (an image may be gigabytes). */
export async function imageSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (e) {
    throw readError(path, e);
  }
  return hash.digest('hex');
}

/** The identity an annotation file records for the image at `path` (dimensions come from the decoder). */
export async function imageIdentityOf(path: string, width: number, height: number): Promise<ImageIdentity> {
  const [st, sha256] = await Promise.all([fsp.stat(path).catch((e) => Promise.reject(readError(path, e))), imageSha256(path)]);
  return { fileName: basename(path), byteSize: st.size, sha256, width, height };
}
