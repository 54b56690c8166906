import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { RamifyError } from '../../shared/result';

/**
 * The renderer never names paths: main registers what the user chose (dialog, drop, recent list, the bundled
 * sample) and hands out opaque tokens, checked on every use.
 */
export class FileHandles {
  private readonly byToken = new Map<string, string>();
  private readonly byPath = new Map<string, string>();

  /** Registers a user-chosen path; the same path always gets the same token within a session. */
  register(path: string): string {
    const known = this.byPath.get(path);
    if (known) return known;
    const token = randomUUID();
    this.byToken.set(token, path);
    this.byPath.set(path, token);
    return token;
  }

  /** The path behind a token, or a RamifyError for tokens main never issued. */
  pathOrThrow(token: unknown): string {
    if (typeof token !== 'string' || !this.byToken.has(token)) {
      throw new RamifyError('bad-handle', 'This file is no longer available; open it again.');
    }
    return this.byToken.get(token)!;
  }

  describe(token: string): { name: string; size: number; mtimeMs: number } {
    const path = this.pathOrThrow(token);
    const st = statOrThrow(path);
    return { name: basename(path), size: st.size, mtimeMs: st.mtimeMs };
  }
}

/** stat with messages a person understands. */
export function statOrThrow(path: string) {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new RamifyError('not-found', `${basename(path)} does not exist (it may have been moved or deleted).`);
    if (code === 'EACCES' || code === 'EPERM') throw new RamifyError('no-access', `No permission to read ${basename(path)}.`);
    throw new RamifyError('io', `Cannot read ${basename(path)}: ${(e as Error).message}`);
  }
  if (!st.isFile()) throw new RamifyError('not-a-file', `${basename(path)} is not a file.`);
  return st;
}
