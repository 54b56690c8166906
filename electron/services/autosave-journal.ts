/**
 * The recovery journal: while a document has unsaved changes the app writes it (atomically, debounced to every
 * 1–2 s) to `<dir>/<key>.json`, e.g. dir = <userData>/recovery. After a crash or kill, the next start lists the
 * journals newer than their saved files and offers to restore them; restoring yields exactly the last journaled
 * state. A successful save or an explicit "discard" deletes the journal.
 */
import { createHash } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { annotationFromJson, annotationToJson, parseAnnotation, sameWork, type AnnotationFile } from '../../shared/formats/annotation-file';
import { RamifyError } from '../../shared/result';
import { errnoOf, writeFileAtomicDurable, type AtomicFs } from './atomic-write';

const JOURNAL_FORMAT = 'ramify-recovery';
const KEY = /^[a-z0-9-]{1,100}$/;

/** One journaled state. */
export interface JournalEntry {
  /** Journal key (file name without .json). */
  key: string;
  /** Where the document is saved; null for a document never saved. */
  annotationPath: string | null;
  /** The image it was traced on, to reopen it on restore; null when unknown. */
  imagePath: string | null;
  /** When this state was journaled, ISO 8601. */
  journaledAt: string;
  /** The document state. */
  file: AnnotationFile;
}

/** A journal worth offering to restore (without its document, which readJournal loads). */
export interface RecoverableJournal {
  key: string;
  annotationPath: string | null;
  imagePath: string | null;
  journaledAt: string;
  /** mtime of the saved annotation file, null when there is none. */
  savedMtimeMs: number | null;
  /** Nodes in the journaled document, to show the user what would come back. */
  nodes: number;
}

/**
 * Journal key of a document: from its saved path when it has one, else from the image's content hash, else from
 * a per-session id the caller makes up (e.g. "untitled-<random>").
 */
export function journalKey(source: { annotationPath?: string | null; imageSha256?: string | null; sessionId?: string }): string {
  if (source.annotationPath) return `file-${createHash('sha256').update(resolve(source.annotationPath)).digest('hex').slice(0, 32)}`;
  if (source.imageSha256) return `image-${source.imageSha256.slice(0, 32)}`;
  if (source.sessionId && KEY.test(source.sessionId)) return source.sessionId;
  throw new RamifyError('bad-request', 'A recovery journal needs an annotation path, an image hash or a session id.');
}

/** True when the saved file's text holds the journaled work (a file that cannot be read holds none). */
function savedWorkIn(savedText: string, journaled: AnnotationFile): boolean {
  try {
    return sameWork(parseAnnotation(savedText), journaled);
  } catch {
    return false;
  }
}

export class AutosaveJournal {
  constructor(
    /** Folder holding the journals (created on first write). */
    readonly dir: string,
    private readonly fs?: AtomicFs,
  ) {}

  pathOf(key: string): string {
    if (!KEY.test(key)) throw new RamifyError('bad-request', `Invalid recovery journal key ${JSON.stringify(key)}.`);
    return join(this.dir, `${key}.json`);
  }

  /** Journals the state atomically (a kill mid-write leaves the previous journal intact). */
  async writeJournal(key: string, file: AnnotationFile, meta: { annotationPath?: string | null; imagePath?: string | null; now?: Date } = {}): Promise<void> {
    const path = this.pathOf(key);
    await fsp.mkdir(this.dir, { recursive: true });
    const entry = {
      format: JOURNAL_FORMAT,
      version: 1,
      key,
      annotationPath: meta.annotationPath ?? null,
      imagePath: meta.imagePath ?? null,
      journaledAt: (meta.now ?? new Date()).toISOString(),
      annotation: annotationToJson(file),
    };
    await writeFileAtomicDurable(path, JSON.stringify(entry) + '\n', { fs: this.fs });
  }

  /** The journaled state, checked like an annotation file. */
  async readJournal(key: string): Promise<JournalEntry> {
    const path = this.pathOf(key);
    let text: string;
    try {
      text = await fsp.readFile(path, 'utf8');
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') throw new RamifyError('not-found', 'That recovery journal no longer exists.');
      throw new RamifyError('read-failed', `Could not read the recovery journal: ${e instanceof Error ? e.message : String(e)}.`);
    }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new RamifyError('journal-damaged', 'The recovery journal is damaged (not JSON) and cannot be restored.');
    }
    if (!data || typeof data !== 'object' || data.format !== JOURNAL_FORMAT) throw new RamifyError('journal-damaged', 'The recovery journal is damaged and cannot be restored.');
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    return {
      key,
      annotationPath: str(data.annotationPath),
      imagePath: str(data.imagePath),
      journaledAt: str(data.journaledAt) ?? new Date(0).toISOString(),
      file: annotationFromJson(data.annotation),
    };
  }

  /**
   * Journals newer than their saved file and different from it (or whose document was never saved), newest
   * first. Damaged journals are skipped (left in place for inspection).
   */
  async listRecoverable(): Promise<RecoverableJournal[]> {
    const names = await fsp.readdir(this.dir).catch(() => [] as string[]);
    const out: RecoverableJournal[] = [];
    for (const name of names) {
      const key = name.endsWith('.json') ? name.slice(0, -5) : '';
      if (!KEY.test(key)) continue;
      let entry: JournalEntry;
      try {
        entry = await this.readJournal(key);
      } catch {
        continue;
      }
      let savedMtimeMs: number | null = null;
      if (entry.annotationPath) {
        try {
          const st = await fsp.stat(entry.annotationPath);
          savedMtimeMs = st.mtimeMs;
          const newer = Date.parse(entry.journaledAt) > st.mtimeMs;
          if (!newer) continue;
          if (savedWorkIn(await fsp.readFile(entry.annotationPath, 'utf8'), entry.file)) continue;
        } catch {
          savedMtimeMs = null; // saved file gone: the journal is all there is
        }
      }
      let nodes = 0;
      for (const n of entry.file.document.neurons) for (const b of n.branches) nodes += b.nodes.length;
      out.push({ key, annotationPath: entry.annotationPath, imagePath: entry.imagePath, journaledAt: entry.journaledAt, savedMtimeMs, nodes });
    }
    return out.sort((a, b) => Date.parse(b.journaledAt) - Date.parse(a.journaledAt));
  }

  /** Deletes a journal (after a save, or when the user declines restoring); missing journals are fine. */
  async discardJournal(key: string): Promise<void> {
    await fsp.unlink(this.pathOf(key)).catch((e) => {
      if (errnoOf(e) !== 'ENOENT') throw e;
    });
  }
}
