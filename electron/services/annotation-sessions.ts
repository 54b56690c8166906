import { existsSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import { annotationFromJson, identityMismatch, sameWork, type AnnotationFile, type ImageIdentity } from '../../shared/formats/annotation-file';
import { writeSwc } from '../../shared/formats/swc';
import type { AnnotationDocument } from '../../shared/model/document';
import { recordSave, type Saver } from '../../shared/review/history';
import { startedIfTraced } from '../../shared/review/review';
import { reconcileStates, type ReviewState } from '../../shared/review/status';
import { RamifyError } from '../../shared/result';
import type { IpcEvents, OpenedAnnotation, SavedAnnotation } from '../../shared/ipc/contract';
import { diskState, imageIdentityOf, loadAnnotation, saveAnnotation, type DiskState } from './annotation-store';
import { writeFileAtomicDurable, staleTempFiles } from './atomic-write';
import { AutosaveJournal, journalKey } from './autosave-journal';
import { watchFile, type FileWatch } from './file-watch';

/** Where an image's annotations are saved: beside it (cells.tif → cells.ramify.json) unless a project says otherwise. */
export function siblingAnnotationPath(imagePath: string): string {
  return join(dirname(imagePath), `${basename(imagePath, extname(imagePath))}.ramify.json`);
}

interface Session {
  imagePath: string;
  annotationPath: string;
  /** The project owns the folder (annotations/ is created on first save); beside an image it must exist. */
  inProject: boolean;
  identity: ImageIdentity;
  /** What was on disk when last loaded or saved; null when nothing is saved yet. */
  disk: DiskState | null;
  /** The file as last loaded or saved here: the base of the next save's history entry (null: none yet). */
  saved: AnnotationFile | null;
  /** True when the saved file could not be read: saving over it needs an explicit force. */
  unreadable: boolean;
  journal: string;
  watch: FileWatch | null;
  /** The last of the file's queued writes (saves, journal writes, a move): they run one after another. */
  writes: Promise<unknown>;
}

/**
 * Runs `write` after the session's earlier writes: a save, a journal write and a move of one file never interleave (a
 * journal written while a save drops it would outlive the save).
 */
function queued<T>(s: Session, write: () => Promise<T>): Promise<T> {
  const done = s.writes.then(write);
  s.writes = done.catch(() => undefined);
  return done;
}

export interface AnnotationSessionsOptions {
  journalDir: string;
  send<E extends keyof IpcEvents>(event: E, payload: IpcEvents[E]): void;
  /** Where annotations of a given image live (projects store them inside the project). */
  annotationPathFor?(imagePath: string): Promise<string | undefined> | string | undefined;
  /**
   * The code a blinded project shows for this image, or null: then nothing sent to the renderer names the image or
   * its annotation file (identity and file names are withheld, names replaced by the code).
   */
  blindNameFor?(imagePath: string): string | null;
  /** Makes a message fit for the renderer (blinded projects replace every name); identity when absent. */
  redact?(text: string): string;
  /** A project's status of the image, which a file of an earlier build may contradict (see reconcileStates). */
  statusFor?(imagePath: string): { status: ReviewState; reason?: string } | undefined;
  /** Who is saving (the app's settings), credited in the file's history; an anonymous tracer when absent. */
  saver?(): Saver;
  /** Called after a successful save (projects update their image list); the save answers once it is done. */
  onSaved?(imagePath: string, file: AnnotationFile): Promise<unknown> | void;
}

/**
 * Per-image annotation state in main: where the file is, what was last on disk (to refuse overwriting someone
 * else's change), the recovery journal, and a watch for external edits. Keyed by the path behind an image handle.
 */
export class AnnotationSessions {
  private readonly sessions = new Map<string, Session>();
  readonly journal: AutosaveJournal;

  constructor(private readonly o: AnnotationSessionsOptions) {
    this.journal = new AutosaveJournal(o.journalDir);
  }

  /** The annotation file's name as the renderer may see it. */
  private shownName(s: Pick<Session, 'imagePath' | 'annotationPath'>): string {
    const code = this.o.blindNameFor?.(s.imagePath);
    return code ? `${code} tracing` : basename(s.annotationPath);
  }

  /** A file as the renderer may see it: under blinding without the image identity (it names the file). */
  private shownFile(imagePath: string, file: AnnotationFile): AnnotationFile {
    return this.o.blindNameFor?.(imagePath) ? { ...file, image: null } : file;
  }

  async open(imagePath: string, width: number, height: number): Promise<OpenedAnnotation> {
    this.close(imagePath);
    const inProject = await this.o.annotationPathFor?.(imagePath);
    const annotationPath = inProject ?? siblingAnnotationPath(imagePath);
    const identity = await imageIdentityOf(imagePath, width, height);
    const session: Session = { imagePath, annotationPath, inProject: inProject !== undefined, identity, disk: null, saved: null, unreadable: false, journal: journalKey({ annotationPath }), watch: null, writes: Promise.resolve() };
    this.sessions.set(imagePath, session);
    // Temp files of a save killed half-way are leftovers, never data: the target was never replaced by them.
    for (const stale of await staleTempFiles(annotationPath).catch(() => [])) await rm(stale, { force: true });

    let file: AnnotationFile | null = null;
    let loadError: string | null = null;
    let identityWarning: string | null = null;
    if (existsSync(annotationPath)) {
      try {
        const loaded = await loadAnnotation(annotationPath);
        file = loaded.file;
        session.saved = loaded.file;
        session.disk = { mtimeMs: loaded.mtimeMs, size: loaded.size, sha256: loaded.sha256 };
        identityWarning = identityMismatch(file.image, identity);
      } catch (e) {
        loadError = (e as Error).message;
        session.unreadable = true;
        session.disk = await diskState(annotationPath);
      }
    }
    let recovery: OpenedAnnotation['recovery'] = null;
    try {
      const j = await this.journal.readJournal(session.journal);
      const differs = !file || !sameWork(j.file, file);
      const newer = !session.disk || Date.parse(j.journaledAt) >= session.disk.mtimeMs - 1000;
      if (differs && newer) recovery = { journaledAt: j.journaledAt, nodes: j.file.document.neurons.reduce((s, n) => s + n.branches.reduce((t, b) => t + b.nodes.length, 0), 0) };
    } catch {
      // No journal, or a damaged one: nothing to offer.
    }
    this.watch(session);
    const blind = this.o.blindNameFor?.(imagePath) ?? null;
    const known = this.o.statusFor?.(imagePath);
    let status: OpenedAnnotation['status'];
    if (known && file) {
      const one = reconcileStates(known.status, file.review.status);
      if (one !== file.review.status) file = { ...file, review: { ...file.review, status: one, ...(one === 'excluded' && known.reason ? { reason: known.reason } : {}) } };
    } else if (known && known.status !== 'to-do') status = known;
    return {
      file: file && this.shownFile(imagePath, file),
      fileName: this.shownName(session),
      identityWarning: identityWarning && blind ? 'These annotations were made on a different image.' : identityWarning,
      recovery,
      loadError: loadError && (this.o.redact?.(loadError) ?? loadError),
      identity: blind ? null : identity,
      ...(status ? { status } : {}),
    };
  }

  private watch(s: Session): void {
    s.watch?.dispose();
    s.watch = watchFile(s.annotationPath, (change) => this.o.send('annotation:changedOnDisk', { fileName: this.shownName(s), kind: change.kind }), {
      knownSha256: s.disk?.sha256,
    });
  }

  /**
   * A project renamed an annotation file (legacy names): sessions and recovery journals follow it, so unsaved work
   * journaled under the old name is still offered.
   */
  async moved(from: string, to: string): Promise<void> {
    const oldKey = journalKey({ annotationPath: from });
    const newKey = journalKey({ annotationPath: to });
    try {
      const j = await this.journal.readJournal(oldKey);
      await this.journal.writeJournal(newKey, j.file, { annotationPath: to, imagePath: j.imagePath, now: new Date(j.journaledAt) });
      await this.journal.discardJournal(oldKey);
    } catch {
      // No journal under the old name.
    }
    for (const s of this.sessions.values()) {
      if (s.annotationPath !== from) continue;
      s.annotationPath = to;
      s.journal = newKey;
      this.watch(s);
    }
  }

  private sessionOrThrow(imagePath: string): Session {
    const s = this.sessions.get(imagePath);
    if (!s) throw new RamifyError('no-session', 'Open the image again before saving its annotations.');
    return s;
  }

  /**
   * Saves atomically with a backup. Refuses when the file changed on disk since it was loaded or saved here (or
   * could not be read), unless `force`: the user is asked first.
   */
  save(imagePath: string, raw: unknown, force: boolean): Promise<SavedAnnotation> {
    const s = this.sessionOrThrow(imagePath);
    // One save at a time per file: each checks the disk against what the previous one wrote (review actions save
    // themselves, so two can follow each other within milliseconds).
    return queued(s, () => this.saveNow(s, imagePath, raw, force));
  }

  private async saveNow(s: Session, imagePath: string, raw: unknown, force: boolean): Promise<SavedAnnotation> {
    const { history: sent, ...file } = annotationFromJson(raw);
    const started: AnnotationFile = { ...file, image: s.identity, review: startedIfTraced(file.review, file.document.neurons.length) };
    // The history is main's to write: the previous saved version's, plus what this save changed.
    const history = recordSave(s.saved, { ...started, history: sent }, this.o.saver?.() ?? { userName: '', role: 'tracer' }, new Date().toISOString());
    const stamped: AnnotationFile = history ? { ...started, history } : started;
    if (s.unreadable && !force) throw new RamifyError('changed-on-disk', `${this.shownName(s)} exists but could not be read; saving would replace it.`);
    if (s.inProject) await mkdir(dirname(s.annotationPath), { recursive: true });
    const disk = await saveAnnotation(s.annotationPath, stamped, { expectedSha256: s.disk?.sha256 ?? null, force, beforeWrite: (sha256) => s.watch?.noteOwnWrite(sha256) });
    s.disk = disk;
    s.saved = stamped;
    s.unreadable = false;
    await this.journal.discardJournal(s.journal).catch(() => undefined);
    await this.o.onSaved?.(imagePath, stamped);
    return { fileName: this.shownName(s), savedAt: new Date(disk.mtimeMs).toISOString(), ...(history ? { history } : {}) };
  }

  /**
   * Points an open session at a file the user chose (Save As): later saves, reloads and journals use it. The
   * journal kept under the old name is dropped, or it would later pass for unsaved work.
   */
  relocate(imagePath: string, annotationPath: string): Promise<void> {
    const s = this.sessionOrThrow(imagePath);
    // Queued: an autosave still on its way would write the old name's journal again after it was dropped.
    return queued(s, async () => {
      await this.journal.discardJournal(s.journal).catch(() => undefined);
      s.watch?.dispose();
      s.annotationPath = annotationPath;
      s.journal = journalKey({ annotationPath });
      // The system dialog already asked before replacing an existing file.
      s.disk = await diskState(annotationPath);
      s.unreadable = false;
      s.watch = watchFile(annotationPath, (change) => this.o.send('annotation:changedOnDisk', { fileName: basename(annotationPath), kind: change.kind }), { knownSha256: s.disk?.sha256 });
    });
  }

  /**
   * Journals unsaved work. Queued with the saves: a journal written while a save discards it would outlive the save
   * and be offered as unsaved work the next time the image opens. A state the last save already wrote (sent while
   * that save was on its way) leaves no journal.
   */
  autosave(imagePath: string, raw: unknown): Promise<{ journaledAt: string }> {
    const s = this.sessionOrThrow(imagePath);
    const file: AnnotationFile = { ...annotationFromJson(raw), image: s.identity };
    return queued(s, async () => {
      const now = new Date();
      if (s.saved && sameWork(file, s.saved)) await this.journal.discardJournal(s.journal);
      else await this.journal.writeJournal(s.journal, file, { annotationPath: s.annotationPath, imagePath, now });
      return { journaledAt: now.toISOString() };
    });
  }

  async restore(imagePath: string): Promise<AnnotationFile> {
    const s = this.sessionOrThrow(imagePath);
    return this.shownFile(imagePath, (await this.journal.readJournal(s.journal)).file);
  }

  discardRecovery(imagePath: string): Promise<void> {
    const s = this.sessionOrThrow(imagePath);
    return queued(s, () => this.journal.discardJournal(s.journal));
  }

  /** Reads the file again (after the user chose to take an external change). */
  async reload(imagePath: string): Promise<AnnotationFile> {
    const s = this.sessionOrThrow(imagePath);
    const loaded = await loadAnnotation(s.annotationPath);
    s.disk = { mtimeMs: loaded.mtimeMs, size: loaded.size, sha256: loaded.sha256 };
    s.saved = loaded.file;
    s.unreadable = false;
    return this.shownFile(imagePath, loaded.file);
  }

  /** Writes the document as SWC (µm) to a path the user chose. */
  async exportSwc(path: string, doc: AnnotationDocument): Promise<void> {
    await writeFileAtomicDurable(path, writeSwc(doc));
  }

  close(imagePath: string): void {
    const s = this.sessions.get(imagePath);
    s?.watch?.dispose();
    this.sessions.delete(imagePath);
  }

  closeAll(): void {
    for (const p of [...this.sessions.keys()]) this.close(p);
  }
}
