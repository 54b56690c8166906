/**
 * Notices when an open annotation file is changed by someone else. Watches the folder (not the file: an atomic save
 * replaces the file, and a watch on the old inode would go silent), debounces bursts, and reports only real content
 * changes: the hash is compared with the last content known — loaded, saved by us (noteOwnWrite), or already reported.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { diskState } from './annotation-store';

export interface ExternalChange {
  /** 'changed': new content on disk; 'deleted': the file is gone. */
  kind: 'changed' | 'deleted';
  /** Hash of the new content (null when deleted). */
  sha256: string | null;
  mtimeMs: number | null;
}

export interface FileWatch {
  /** Tells the watcher about content we wrote ourselves, so its events are not reported. */
  noteOwnWrite(sha256: string): void;
  /** Stops watching; no callbacks after it resolves. */
  dispose(): void;
}

export interface WatchOptions {
  /** Quiet time before checking after the last event (default 300 ms; editors write in bursts). */
  debounceMs?: number;
  /** Hash of the content already known (as loaded); default: whatever is on disk when watching starts. */
  knownSha256?: string | null;
}

export function watchFile(path: string, onChange: (change: ExternalChange) => void, options: WatchOptions = {}): FileWatch {
  const name = basename(path);
  const debounceMs = options.debounceMs ?? 300;
  let known: string | null | undefined = options.knownSha256;
  let disposed = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let checking = Promise.resolve();

  const check = async () => {
    if (disposed) return;
    let now: Awaited<ReturnType<typeof diskState>>;
    try {
      now = await diskState(path);
    } catch {
      return; // unreadable for a moment (being written, locked); the next event retries
    }
    if (disposed) return;
    const hash = now?.sha256 ?? null;
    if (known === undefined) {
      known = hash;
      return;
    }
    if (hash === known) return;
    known = hash;
    onChange(now ? { kind: 'changed', sha256: now.sha256, mtimeMs: now.mtimeMs } : { kind: 'deleted', sha256: null, mtimeMs: null });
  };
  const schedule = () => {
    if (disposed) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      checking = checking.then(check);
    }, debounceMs);
  };

  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
      // Some platforms omit the name; then any change in the folder triggers a (cheap, hash-filtered) check.
      if (!file || file.toString() === name) schedule();
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = null; // folder gone or not watchable: external changes will surface as changed-on-disk at save time
  }
  if (known === undefined) checking = checking.then(check);

  return {
    noteOwnWrite(sha256) {
      known = sha256;
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
      watcher?.close();
    },
  };
}
