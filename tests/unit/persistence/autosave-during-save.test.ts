import { copyFileSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testServices } from '../test-services';
import { AnnotationSessions } from '../../../electron/services/annotation-sessions';
import { annotationToJson } from '../../../shared/formats/annotation-file';
import { fileWith } from './helpers/crash-docs';

const FIXTURES = join(import.meta.dirname, '../../fixtures');

/** An image opened through the real main-side handlers, and a second app start over the same settings. */
async function openedImage() {
  const settingsDir = mkdtempSync(join(tmpdir(), 'ramify-settings-'));
  const folder = mkdtempSync(join(tmpdir(), 'ramify-race-'));
  const image = join(folder, 'cells.tif');
  copyFileSync(join(FIXTURES, 'images/gradient-2ch.tif'), image);
  const s = testServices(settingsDir);
  const { handle } = s.openPath(image, false);
  const opened = await s.handlers['annotation:open']({ handle, width: 16, height: 16 });
  if (!opened.ok) throw new Error(opened.error.message);
  const reopen = async () => {
    const again = testServices(settingsDir);
    const r = await again.handlers['annotation:open']({ handle: again.openPath(image, false).handle, width: 16, height: 16 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const journals = () => (existsSync(join(settingsDir, 'recovery')) ? readdirSync(join(settingsDir, 'recovery')).filter((f) => f.endsWith('.json')) : []);
  return { s, handle, reopen, journals };
}

describe('autosave and save of one file never leave saved work looking unsaved (real main-side services)', () => {
  it('an autosave sent just before a save: the save wins, no journal is left, reopening offers nothing', async () => {
    const { s, handle, reopen, journals } = await openedImage();
    // The renderer's autosave timer fired, then the user saved: both requests are in flight together.
    const autosaved = s.handlers['annotation:autosave']({ handle, file: annotationToJson(fileWith(3, '2026-12-02T09:00:01.000Z')) });
    const saved = s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(3, '2026-12-02T09:00:01.500Z')) });
    expect((await autosaved).ok).toBe(true);
    expect((await saved).ok).toBe(true);
    expect(journals()).toEqual([]);
    expect((await reopen()).recovery).toBeNull();
  });

  it('an autosave of the work just saved (sent before the renderer heard the save landed) journals nothing', async () => {
    const { s, handle, reopen, journals } = await openedImage();
    expect((await s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(3, '2026-12-02T09:00:01.000Z')) })).ok).toBe(true);
    // Same tracing, stamped a moment later (every autosave stamps its own modified time).
    expect((await s.handlers['annotation:autosave']({ handle, file: annotationToJson(fileWith(3, '2026-12-02T09:00:02.000Z')) })).ok).toBe(true);
    expect(journals()).toEqual([]);
    expect((await reopen()).recovery).toBeNull();
  });

  it('an edit journaled while a save is on its way is kept and offered: 5 nodes journaled over the 3 saved', async () => {
    const { s, handle, reopen, journals } = await openedImage();
    const saved = s.handlers['annotation:save']({ handle, file: annotationToJson(fileWith(3, '2026-12-02T09:00:01.000Z')) });
    const autosaved = s.handlers['annotation:autosave']({ handle, file: annotationToJson(fileWith(5, '2026-12-02T09:00:02.000Z')) });
    expect((await saved).ok).toBe(true);
    expect((await autosaved).ok).toBe(true);
    expect(journals()).toHaveLength(1);
    const opened = await reopen();
    expect(opened.file?.document.neurons[0].branches[0].nodes).toHaveLength(3);
    expect(opened.recovery?.nodes).toBe(5);
  });

  it('Save As while an autosave is on its way: the journal under the old name does not outlive the move', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ramify-race-'));
    const journalDir = join(folder, 'recovery');
    const image = join(folder, 'cells.tif');
    copyFileSync(join(FIXTURES, 'images/gradient-2ch.tif'), image);
    const sessions = new AnnotationSessions({ journalDir, send: () => undefined });
    await sessions.open(image, 16, 16);
    const autosaved = sessions.autosave(image, annotationToJson(fileWith(3, '2026-12-02T09:00:01.000Z')));
    await sessions.relocate(image, join(folder, 'chosen.ramify.json'));
    await autosaved;
    // The unsaved work under the old name would be offered at the next start, with no file behind it.
    expect(await sessions.journal.listRecoverable()).toEqual([]);
    await sessions.save(image, annotationToJson(fileWith(3, '2026-12-02T09:00:02.000Z')), false);
    expect(readdirSync(folder).filter((f) => f.endsWith('.json'))).toEqual(['chosen.ramify.json']);
    sessions.close(image);
  });
});
