/**
 * Crash-safe file replacement: at every instant the target holds either its old or its new content, complete.
 *
 * Steps: write a uniquely named temp file in the same folder (same file system, so rename is atomic), fsync it,
 * optionally keep the previous version as `<name>.bak` (hard link, or copy where links are not allowed — the target
 * itself is never touched), rename the temp over the target, fsync the folder so the rename survives power loss.
 * On failure the temp file is removed and the old file is left byte-identical.
 */
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RamifyError } from '../../shared/result';

/** An open file being written. */
export interface WritableFile {
  /** Writes all bytes (loops over short writes). */
  write(data: Uint8Array): Promise<void>;
  /** Flushes data and metadata to the device. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The file-system calls the atomic write makes; tests inject failures (full disk, permissions) through this. */
export interface AtomicFs {
  /** Creates a new file exclusively (fails if it exists) with the given permission bits. */
  create(path: string, mode: number): Promise<WritableFile>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  link(existing: string, newPath: string): Promise<void>;
  copyFile(from: string, to: string): Promise<void>;
  /** Permission bits of an existing file, or null when it does not exist. */
  modeOf(path: string): Promise<number | null>;
  /** fsync of a folder, so a rename in it is durable. */
  syncDir(path: string): Promise<void>;
}

export const nodeAtomicFs: AtomicFs = {
  async create(path, mode) {
    const h = await fsp.open(path, 'wx', mode);
    return {
      write: async (data) => {
        let off = 0;
        while (off < data.length) off += (await h.write(data, off, data.length - off)).bytesWritten;
      },
      sync: () => h.sync(),
      close: () => h.close(),
    };
  },
  rename: (a, b) => fsp.rename(a, b),
  unlink: (p) => fsp.unlink(p),
  link: (a, b) => fsp.link(a, b),
  copyFile: (a, b) => fsp.copyFile(a, b),
  async modeOf(path) {
    try {
      return (await fsp.stat(path)).mode & 0o7777;
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return null;
      throw e;
    }
  },
  async syncDir(path) {
    // Windows cannot open folders for fsync (and NTFS journals renames); elsewhere a failure here is real.
    if (process.platform === 'win32') return;
    const h = await fsp.open(path, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  },
};

export interface AtomicWriteOptions {
  /** Keep the previous version as `<name>.bak` (default false). */
  backup?: boolean;
  /** File-system calls (default: node:fs). */
  fs?: AtomicFs;
}

export const errnoOf = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : undefined;

/** A user-facing error for a failed save; the old file is untouched in every case. */
export function saveError(path: string, e: unknown): RamifyError {
  if (e instanceof RamifyError) return e;
  const name = basename(path);
  const folder = dirname(path);
  const code = errnoOf(e);
  const kept = 'The previous version on disk is unchanged.';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new RamifyError('disk-full', `Could not save ${name}: the disk is full. ${kept} Free some space and save again, or save elsewhere.`);
    case 'EROFS':
      return new RamifyError('read-only', `Could not save ${name}: ${folder} is on a read-only disk. ${kept} Save to another folder.`);
    case 'EACCES':
    case 'EPERM':
      return new RamifyError('permission-denied', `Could not save ${name}: you do not have permission to write in ${folder}. ${kept} Save to another folder.`);
    case 'ENOENT':
    case 'ENOTDIR': {
      const file = fileInTheWay(folder);
      if (file) return new RamifyError('folder-missing', `Could not save ${name}: ${file} is a file, not a folder.`);
      return new RamifyError('folder-missing', `Could not save ${name}: the folder ${folder} does not exist (any more).`);
    }
    default: {
      const why = e instanceof Error ? e.message : String(e);
      return new RamifyError('write-failed', `Could not save ${name}: ${why}. ${kept}`);
    }
  }
}

/** The deepest existing part of `folder` when it is a file, which no folder can be made or written under; else null. */
function fileInTheWay(folder: string): string | null {
  for (let p = folder; ; p = dirname(p)) {
    try {
      return statSync(p).isDirectory() ? null : p;
    } catch {
      if (dirname(p) === p) return null;
    }
  }
}

const retryable = (e: unknown) => process.platform === 'win32' && ['EPERM', 'EBUSY', 'EACCES'].includes(errnoOf(e) ?? '');

/** Rename, retried briefly on Windows where a virus scanner or indexer may hold the target open for a moment. */
async function renameWithRetry(fs: AtomicFs, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to);
    } catch (e) {
      if (attempt >= 5 || !retryable(e)) throw e;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
    }
  }
}

const tempName = (path: string, tag: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.${tag}`);

/** Temp files left by an interrupted save of `path` (`.<name>.<pid>.<random>.tmp`), for cleanup on open. */
export async function staleTempFiles(path: string): Promise<string[]> {
  const prefix = `.${basename(path)}.`;
  const names = await fsp.readdir(dirname(path)).catch(() => [] as string[]);
  return names.filter((n) => n.startsWith(prefix) && /\.\d+\.[0-9a-f]{12}\.(tmp|baktmp)$/.test(n)).map((n) => join(dirname(path), n));
}

/** Replaces `path` with `data` so that a crash at any moment leaves the old or the new content (see above). */
export async function writeFileAtomicDurable(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeAtomicFs;
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const temp = tempName(path, 'tmp');
  let created = false;
  let bakTemp: string | null = null;
  try {
    const mode = (await fs.modeOf(path)) ?? 0o666;
    const file = await fs.create(temp, mode);
    created = true;
    try {
      await file.write(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    if (options.backup && (await fs.modeOf(path)) !== null) {
      bakTemp = tempName(path, 'baktmp');
      try {
        await fs.link(path, bakTemp);
      } catch {
        await fs.copyFile(path, bakTemp); // file systems without hard links (FAT, some network shares)
      }
      await renameWithRetry(fs, bakTemp, `${path}.bak`);
      bakTemp = null;
    }
    await renameWithRetry(fs, temp, path);
    created = false;
  } catch (e) {
    for (const leftover of [created ? temp : null, bakTemp]) if (leftover) await fs.unlink(leftover).catch(() => undefined);
    throw saveError(path, e);
  }
  // The new content is in place; a folder that cannot be synced only weakens power-loss durability, so the save
  // is not reported as failed (that would claim the old version is still there).
  await fs.syncDir(dirname(path)).catch(() => undefined);
}
