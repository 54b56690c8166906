import { readFileSync, statSync, chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeAtomicFs, staleTempFiles, writeFileAtomicDurable, type AtomicFs } from '../../../electron/services/atomic-write';
import { RamifyError } from '../../../shared/result';
import { errno, tempFolder } from './helpers/tmp';

let t: ReturnType<typeof tempFolder>;
beforeEach(() => (t = tempFolder('atomic')));
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

/** nodeAtomicFs whose file writes fail with `code` after writing `partial` bytes (a disk filling up mid-write). */
const failingWrites = (code: string, partial = 10): AtomicFs => ({
  ...nodeAtomicFs,
  async create(path, mode) {
    const f = await nodeAtomicFs.create(path, mode);
    return {
      ...f,
      write: async (data) => {
        await f.write(data.subarray(0, partial));
        throw errno(code);
      },
    };
  },
});

describe('writeFileAtomicDurable', () => {
  it('creates, replaces, and keeps no temp files', async () => {
    const p = join(t.dir, 'a.ramify.json');
    await writeFileAtomicDurable(p, 'one\n');
    expect(readFileSync(p, 'utf8')).toBe('one\n');
    await writeFileAtomicDurable(p, new TextEncoder().encode('two\n'));
    expect(readFileSync(p, 'utf8')).toBe('two\n');
    expect(t.list()).toEqual(['a.ramify.json']);
  });

  it('keeps the previous version as .bak, replacing older backups', async () => {
    const p = join(t.dir, 'a.ramify.json');
    await writeFileAtomicDurable(p, 'v1', { backup: true });
    expect(t.list()).toEqual(['a.ramify.json']); // nothing to back up yet
    await writeFileAtomicDurable(p, 'v2', { backup: true });
    await writeFileAtomicDurable(p, 'v3', { backup: true });
    expect(readFileSync(p, 'utf8')).toBe('v3');
    expect(readFileSync(`${p}.bak`, 'utf8')).toBe('v2');
    expect(t.list()).toEqual(['a.ramify.json', 'a.ramify.json.bak']);
  });

  it('copies the backup where hard links are refused', async () => {
    const p = join(t.dir, 'a.json');
    writeFileSync(p, 'old');
    const noLinks: AtomicFs = { ...nodeAtomicFs, link: async () => Promise.reject(errno('EPERM', 'link')) };
    await writeFileAtomicDurable(p, 'new', { backup: true, fs: noLinks });
    expect(readFileSync(`${p}.bak`, 'utf8')).toBe('old');
    expect(readFileSync(p, 'utf8')).toBe('new');
    expect(t.list()).toEqual(['a.json', 'a.json.bak']);
  });

  it('keeps the permission bits of the file it replaces', async () => {
    const p = join(t.dir, 'a.json');
    writeFileSync(p, 'old');
    chmodSync(p, 0o600);
    await writeFileAtomicDurable(p, 'new');
    expect(statSync(p).mode & 0o777).toBe(0o600);
  });

  for (const [code, expected, phrase] of [
    ['ENOSPC', 'disk-full', 'the disk is full'],
    ['EDQUOT', 'disk-full', 'the disk is full'],
    ['EIO', 'write-failed', 'EIO: simulated'],
  ] as const) {
    it(`${code} mid-write leaves the old file byte-identical and no temp file`, async () => {
      const p = join(t.dir, 'cells.ramify.json');
      const old = new Uint8Array([0x7b, 0x0a, 0xff, 0x00, 0x7d]);
      writeFileSync(p, old);
      const e = await rejection(writeFileAtomicDurable(p, 'x'.repeat(100_000), { backup: true, fs: failingWrites(code) }));
      expect(e.code).toBe(expected);
      expect(e.message).toContain(phrase);
      expect(e.message).toContain('The previous version on disk is unchanged.');
      expect(new Uint8Array(readFileSync(p))).toEqual(old);
      expect(t.list()).toEqual(['cells.ramify.json']);
    });
  }

  it('a read-only folder (EACCES on create) is reported as a permission problem, old file intact', async () => {
    const p = join(t.dir, 'cells.ramify.json');
    writeFileSync(p, 'old');
    const readOnly: AtomicFs = { ...nodeAtomicFs, create: async () => Promise.reject(errno('EACCES', 'open')) };
    const e = await rejection(writeFileAtomicDurable(p, 'new', { backup: true, fs: readOnly }));
    expect(e.code).toBe('permission-denied');
    expect(e.message).toBe(`Could not save cells.ramify.json: you do not have permission to write in ${t.dir}. The previous version on disk is unchanged. Save to another folder.`);
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(t.list()).toEqual(['cells.ramify.json']);
  });

  it('EROFS at the final rename removes the temp file; old content stays (the backup is a copy of it)', async () => {
    const p = join(t.dir, 'cells.ramify.json');
    writeFileSync(p, 'old');
    const roRename: AtomicFs = {
      ...nodeAtomicFs,
      rename: async (a, b) => (b === p ? Promise.reject(errno('EROFS', 'rename')) : nodeAtomicFs.rename(a, b)),
    };
    const e = await rejection(writeFileAtomicDurable(p, 'new', { backup: true, fs: roRename }));
    expect(e.code).toBe('read-only');
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(readFileSync(`${p}.bak`, 'utf8')).toBe('old');
    expect(t.list()).toEqual(['cells.ramify.json', 'cells.ramify.json.bak']);
  });

  it('EPERM while making the backup aborts before touching the target', async () => {
    const p = join(t.dir, 'a.json');
    writeFileSync(p, 'old');
    const noBackup: AtomicFs = {
      ...nodeAtomicFs,
      link: async () => Promise.reject(errno('EPERM', 'link')),
      copyFile: async () => Promise.reject(errno('EPERM', 'copyfile')),
    };
    const e = await rejection(writeFileAtomicDurable(p, 'new', { backup: true, fs: noBackup }));
    expect(e.code).toBe('permission-denied');
    expect(readFileSync(p, 'utf8')).toBe('old');
    expect(t.list()).toEqual(['a.json']);
  });

  it('a missing folder is named', async () => {
    const e = await rejection(writeFileAtomicDurable(join(t.dir, 'nope', 'a.json'), 'x'));
    expect(e.code).toBe('folder-missing');
    expect(e.message).toBe(`Could not save a.json: the folder ${join(t.dir, 'nope')} does not exist (any more).`);
  });

  it('a file where a folder of the path should be is named (a folder cannot be made under it)', async () => {
    writeFileSync(join(t.dir, 'cells.tif'), 'image');
    const e = await rejection(writeFileAtomicDurable(join(t.dir, 'cells.tif', 'out', 'a.json'), 'x'));
    expect(e.code).toBe('folder-missing');
    expect(e.message).toBe(`Could not save a.json: ${join(t.dir, 'cells.tif')} is a file, not a folder.`);
    expect(readFileSync(join(t.dir, 'cells.tif'), 'utf8')).toBe('image');
  });

  it('lists temp files an interrupted save left behind, and only those', async () => {
    const p = join(t.dir, 'a.json');
    writeFileSync(join(t.dir, '.a.json.1234.0123456789ab.tmp'), '');
    writeFileSync(join(t.dir, '.a.json.99.ffffffffffff.baktmp'), '');
    writeFileSync(join(t.dir, '.b.json.1234.0123456789ab.tmp'), '');
    writeFileSync(join(t.dir, 'a.json.bak'), '');
    expect((await staleTempFiles(p)).sort()).toEqual([join(t.dir, '.a.json.1234.0123456789ab.tmp'), join(t.dir, '.a.json.99.ffffffffffff.baktmp')]);
  });
});
