import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageIdentityOf, imageSha256, loadAnnotation, saveAnnotation, sha256Hex } from '../../../electron/services/annotation-store';
import { AutosaveJournal, journalKey } from '../../../electron/services/autosave-journal';
import { watchFile, type ExternalChange } from '../../../electron/services/file-watch';
import { parseAnnotation, serializeAnnotation, type AnnotationFile } from '../../../shared/formats/annotation-file';
import { RamifyError } from '../../../shared/result';
import { tempFolder } from './helpers/tmp';

const fixtureUrl = (p: string) => new URL(`../../fixtures/${p}`, import.meta.url);
const v1 = () => parseAnnotation(readFileSync(fixtureUrl('annotation/v1.json'), 'utf8'));
/** v1 with a different node position, i.e. an edit. */
const edited = (file: AnnotationFile, x: number): AnnotationFile => {
  const copy = structuredClone(file);
  copy.document.neurons[0].branches[0].nodes[0].x = x;
  return copy;
};

let t: ReturnType<typeof tempFolder>;
beforeEach(() => (t = tempFolder('store')));
afterEach(() => t.cleanup());

async function rejection(p: Promise<unknown>): Promise<RamifyError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RamifyError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('annotation store', () => {
  it('loads with the content hash of the bytes on disk', async () => {
    const p = join(t.dir, 'v0.json');
    writeFileSync(p, readFileSync(fixtureUrl('annotation/v0.json')));
    const loaded = await loadAnnotation(p);
    // sha256sum tests/fixtures/annotation/v0.json
    expect(loaded.sha256).toBe('e468844c64a67ee7c50d79b32d5d6d076375fbd326bd6e863ce7bb539cea0f08');
    expect(loaded.size).toBe(readFileSync(p).length);
    expect(loaded.file.document.nextId).toBe(9);
  });

  it('saves, then refuses to overwrite a file changed on disk, unless forced', async () => {
    const p = join(t.dir, 'cells.ramify.json');
    const first = await saveAnnotation(p, v1());
    expect(readFileSync(p, 'utf8')).toBe(readFileSync(fixtureUrl('annotation/v1.json'), 'utf8'));
    const loaded = await loadAnnotation(p);
    expect(loaded.sha256).toBe(first.sha256);

    // The file on disk is the one loaded: the save proceeds and the previous version becomes the .bak.
    const second = await saveAnnotation(p, edited(loaded.file, 61), { expectedSha256: loaded.sha256 });
    expect(parseAnnotation(readFileSync(p, 'utf8')).document.neurons[0].branches[0].nodes[0].x).toBe(61);
    expect(parseAnnotation(readFileSync(`${p}.bak`, 'utf8')).document.neurons[0].branches[0].nodes[0].x).toBe(60);

    // Another program edits the file but keeps the mtime: caught by the hash, not fooled by the mtime.
    const other = serializeAnnotation(edited(loaded.file, 99));
    writeFileSync(p, other);
    utimesSync(p, second.mtimeMs / 1000, second.mtimeMs / 1000);
    const e = await rejection(saveAnnotation(p, edited(loaded.file, 62), { expectedSha256: second.sha256, expectedMtimeMs: second.mtimeMs }));
    expect(e.code).toBe('changed-on-disk');
    expect(e.message).toBe(
      'cells.ramify.json was changed on disk by another program since Ramify opened it. Save under another name, reload it (losing your changes), or overwrite it.',
    );
    expect(readFileSync(p, 'utf8')).toBe(other);

    await saveAnnotation(p, edited(loaded.file, 62), { expectedSha256: second.sha256, force: true });
    expect(parseAnnotation(readFileSync(p, 'utf8')).document.neurons[0].branches[0].nodes[0].x).toBe(62);
  });

  it('mtime alone is used when no hash is known', async () => {
    const p = join(t.dir, 'a.json');
    const s = await saveAnnotation(p, v1());
    utimesSync(p, 1000, 1000);
    expect((await rejection(saveAnnotation(p, v1(), { expectedMtimeMs: s.mtimeMs }))).code).toBe('changed-on-disk');
  });

  it('recreates a file deleted meanwhile', async () => {
    const p = join(t.dir, 'a.json');
    const s = await saveAnnotation(p, v1());
    rmSync(p);
    await saveAnnotation(p, v1(), { expectedSha256: s.sha256 });
    expect(readFileSync(p, 'utf8')).toBe(serializeAnnotation(v1()));
  });

  it('load errors are RamifyErrors with a reason', async () => {
    expect((await rejection(loadAnnotation(join(t.dir, 'missing.json')))).message).toBe('missing.json does not exist (any more).');
    mkdirSync(join(t.dir, 'folder.json'));
    expect((await rejection(loadAnnotation(join(t.dir, 'folder.json')))).code).toBe('wrong-type');
    writeFileSync(join(t.dir, 'bin.json'), new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]));
    expect((await rejection(loadAnnotation(join(t.dir, 'bin.json')))).message).toBe('bin.json is not a Ramify annotation file (not UTF-8 text).');
  });

  it('hashes images by streaming; identity carries name, size and dimensions', async () => {
    const path = new URL(fixtureUrl('fuzz/grey16.tif')).pathname;
    // sha256sum tests/fixtures/fuzz/grey16.tif
    expect(await imageSha256(path)).toBe('acc1d187e46bd40f35ec3efe9d89721f93a3ec2fc7f92aff6e9115c2522dbf38');
    expect(await imageIdentityOf(path, 100, 120)).toEqual({
      fileName: 'grey16.tif',
      byteSize: 24748,
      sha256: 'acc1d187e46bd40f35ec3efe9d89721f93a3ec2fc7f92aff6e9115c2522dbf38',
      width: 100,
      height: 120,
    });
    // More than one 1 MiB chunk: 3 MiB of 0x61 ('a'), hash from `head -c 3145728 /dev/zero | tr '\0' a | sha256sum`.
    const big = join(t.dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(3 * 1048576, 0x61));
    expect(await imageSha256(big)).toBe('6f850bc94ae6f7de14297c01616c36d712d22864497b28a63b81d776b035e656');
  });
});

describe('autosave journal', () => {
  it('restores exactly the last journaled state', async () => {
    const j = new AutosaveJournal(join(t.dir, 'recovery'));
    const key = journalKey({ sessionId: 'untitled-1' });
    for (const x of [61, 62, 63]) await j.writeJournal(key, edited(v1(), x), { imagePath: '/data/cells_02.tif', now: new Date(Date.now() + x) });
    const entry = await j.readJournal(key);
    expect(entry.file).toEqual(edited(v1(), 63));
    expect(entry.imagePath).toBe('/data/cells_02.tif');
    expect(entry.annotationPath).toBeNull();
    const list = await j.listRecoverable();
    expect(list.map((r) => [r.key, r.nodes, r.savedMtimeMs])).toEqual([['untitled-1', 14, null]]);
    await j.discardJournal(key);
    expect(await j.listRecoverable()).toEqual([]);
    await j.discardJournal(key); // twice is fine
  });

  it('offers a journal only when it is newer than, and different from, the saved file', async () => {
    const j = new AutosaveJournal(join(t.dir, 'recovery'));
    const p = join(t.dir, 'cells.ramify.json');
    await saveAnnotation(p, v1());
    const key = journalKey({ annotationPath: p });
    expect(key).toMatch(/^file-[0-9a-f]{32}$/);

    await j.writeJournal(key, v1(), { annotationPath: p, now: new Date(Date.now() + 10_000) });
    expect(await j.listRecoverable()).toEqual([]); // same content as saved

    // The saved work, stamped later (every autosave stamps its own modified time): nothing to restore either.
    const restamped = { ...v1(), review: { ...v1().review, modifiedAt: '2026-12-02T09:00:00.000Z' } };
    await j.writeJournal(key, restamped, { annotationPath: p, now: new Date(Date.now() + 10_000) });
    expect(await j.listRecoverable()).toEqual([]);

    await j.writeJournal(key, edited(v1(), 70), { annotationPath: p, now: new Date(Date.now() + 10_000) });
    const [r] = await j.listRecoverable();
    expect(r.key).toBe(key);
    expect(r.annotationPath).toBe(p);

    await j.writeJournal(key, edited(v1(), 70), { annotationPath: p, now: new Date(Date.now() - 60_000) });
    expect(await j.listRecoverable()).toEqual([]); // saved after the journal
  });

  it('skips damaged journals and rejects unsafe keys', async () => {
    const dir = join(t.dir, 'recovery');
    mkdirSync(dir);
    writeFileSync(join(dir, 'broken.json'), '{"format":"ramify-recovery", "annotation": {');
    const j = new AutosaveJournal(dir);
    expect(await j.listRecoverable()).toEqual([]);
    expect((await rejection(j.readJournal('broken'))).code).toBe('journal-damaged');
    expect(() => j.pathOf('../../etc/passwd')).toThrow(RamifyError);
  });
});

describe('file watch', () => {
  const waitFor = async (cond: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  };

  it('reports external changes and deletion, not our own saves', async () => {
    const p = join(t.dir, 'cells.ramify.json');
    const loaded = await saveAnnotation(p, v1());
    const seen: ExternalChange[] = [];
    const w = watchFile(p, (c) => seen.push(c), { debounceMs: 50, knownSha256: loaded.sha256 });
    try {
      // Our own save: the hash is announced before writing.
      const next = edited(v1(), 80);
      w.noteOwnWrite(sha256Hex(serializeAnnotation(next)));
      await saveAnnotation(p, next);
      await new Promise((r) => setTimeout(r, 400));
      expect(seen).toEqual([]);

      writeFileSync(p, serializeAnnotation(edited(v1(), 90)));
      await waitFor(() => seen.length > 0);
      expect(seen.map((c) => c.kind)).toEqual(['changed']);
      expect(seen[0].sha256).toBe(sha256Hex(serializeAnnotation(edited(v1(), 90))));

      rmSync(p);
      await waitFor(() => seen.length > 1);
      expect(seen.map((c) => c.kind)).toEqual(['changed', 'deleted']);
    } finally {
      w.dispose();
    }
  });
});
