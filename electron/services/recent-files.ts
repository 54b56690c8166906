import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RecentEntry } from '../../shared/ipc/contract';
import { JsonStore } from './json-store';

interface StoredEntry {
  path: string;
  openedAt: string;
}

const MAX_RECENT = 12;

/** Recently opened files, newest first, kept in the settings folder. Ids are hashes of paths, never the paths. */
export class RecentFiles {
  private readonly store: JsonStore<StoredEntry[]>;

  constructor(settingsDir: string) {
    this.store = new JsonStore<StoredEntry[]>(join(settingsDir, 'recent-files.json'), [], (v) =>
      Array.isArray(v) ? v.filter((e): e is StoredEntry => typeof e?.path === 'string' && typeof e?.openedAt === 'string') : undefined,
    );
  }

  add(path: string, now = new Date()): void {
    const rest = this.store.read().filter((e) => e.path !== path);
    this.store.write([{ path, openedAt: now.toISOString() }, ...rest].slice(0, MAX_RECENT));
  }

  /** Entries whose files still exist. */
  list(): RecentEntry[] {
    return this.store
      .read()
      .filter((e) => existsSync(e.path))
      .map((e) => ({ id: idOf(e.path), name: basename(e.path), folder: dirname(e.path), openedAt: e.openedAt }));
  }

  pathOf(id: string): string | undefined {
    return this.store.read().find((e) => idOf(e.path) === id)?.path;
  }

  clear(): void {
    this.store.write([]);
  }
}

const idOf = (path: string) => createHash('sha256').update(path).digest('hex').slice(0, 16);
