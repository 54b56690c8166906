import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMainServices } from '../../../electron/services/main-services';
import { CHANNELS, REQUEST_SCHEMAS, type ProjectOp } from '../../../shared/ipc/contract';
import { parseProject, PROJECT_FILE_NAME } from '../../../shared/project/schema';

const SAMPLE = resolve(import.meta.dirname, '../../../build/sample/sample-neurons.tif');

/** The real main services over a temp settings folder, with scripted dialogs. */
function services(answers: string[]) {
  return createMainServices({
    settingsDir: mkdtempSync(join(tmpdir(), 'ramify-ipc-')),
    samplePath: SAMPLE,
    dialogs: {
      showOpenImage: async () => answers.shift() ?? null,
      showOpenTracing: async () => answers.shift() ?? null,
      showSaveSwc: async () => answers.shift() ?? null,
      showOpenFolder: async () => answers.shift() ?? null,
      showOpenCsv: async () => answers.shift() ?? null,
      showSaveTracing: async () => answers.shift() ?? null,
      showSaveReport: async () => answers.shift() ?? null,
    },
    urlFor: (h) => `test://${h}`,
    send: () => undefined,
    setTitle: () => undefined,
    setDirty: () => undefined,
    closeWindow: () => undefined,
    version: '0.0.0-test',
    platform: process.platform,
  });
}

describe('IPC requests are checked where they enter main', () => {
  it('every channel of the contract has a request schema', () => {
    for (const c of CHANNELS) expect(REQUEST_SCHEMAS[c], c).toBeDefined();
    expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual([...CHANNELS].sort());
  });

  it('project:update with values the project file cannot hold is refused and the file stays as it was', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'ramify-ipc-project-'));
    mkdirSync(join(folder, 'a'));
    copyFileSync(SAMPLE, join(folder, 'a', 'one.tif'));
    const s = services([folder]);
    const chosen = await s.handlers['project:chooseFolder']();
    if (!chosen.ok || !chosen.value) throw new Error('no folder');
    const created = await s.handlers['project:create']({ folderToken: chosen.value.folderToken, conditions: { kind: 'subfolder' } });
    if (!created.ok) throw new Error(created.error.message);
    const imageId = created.value.images[0].id;
    const projectFile = join(folder, PROJECT_FILE_NAME);
    const before = readFileSync(projectFile, 'utf8');

    const bad: unknown[] = [
      { op: 'setSholl', sholl: { start: 10, step: 0, end: null } },
      { op: 'setSholl', sholl: { start: -1, step: 5, end: null } },
      { op: 'setSholl', sholl: { start: 20, step: 5, end: 10 } },
      { op: 'setSholl', sholl: { start: 0, step: null, end: null } },
      { op: 'setDisplay', display: { channels: [{ min: 0, max: 255, color: 'green' }] } },
      { op: 'setDisplay', display: { channels: [{ min: null, max: 255, color: '#00ff00' }] } },
      { op: 'setTracing', tracing: { channel: 1, nucleusChannel: 1, minBranchUm: 5 } },
      { op: 'setTracing', tracing: { channel: -1, nucleusChannel: null, minBranchUm: 5 } },
      { op: 'setTracing', tracing: { channel: 0.5, nucleusChannel: null, minBranchUm: 5 } },
      { op: 'setTracing', tracing: { channel: 0, nucleusChannel: null, minBranchUm: -1 } },
      { op: 'setTracing', tracing: { channel: 0, nucleusChannel: null } },
      { op: 'setStatus', imageId, status: 'finished' },
      { op: 'setMetadata', imageId, column: 'dose', value: 5 },
      { op: 'addColumn', column: '   ' },
      { op: 'setBlinding', enabled: 'yes' },
      { op: 'deleteEverything' },
      null,
    ];
    for (const req of bad) {
      const r = await s.handlers['project:update'](req as ProjectOp);
      expect(r.ok, JSON.stringify(req)).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-request');
      expect(readFileSync(projectFile, 'utf8')).toBe(before);
    }
    // The file still opens, and a valid change still goes through.
    expect(() => parseProject(before)).not.toThrow();
    const good = await s.handlers['project:update']({ op: 'setSholl', sholl: { start: 5, step: 2.5, end: 100 } });
    expect(good.ok).toBe(true);
    expect(parseProject(readFileSync(projectFile, 'utf8')).sholl).toEqual({ start: 5, step: 2.5, end: 100 });
    const channels = await s.handlers['project:update']({ op: 'setTracing', tracing: { channel: 1, nucleusChannel: 0, minBranchUm: 7.5 } });
    expect(channels.ok && channels.value.tracing).toEqual({ channel: 1, nucleusChannel: 0, minBranchUm: 7.5 });
    expect(parseProject(readFileSync(projectFile, 'utf8')).tracing).toEqual({ channel: 1, nucleusChannel: 0, minBranchUm: 7.5 });
  });

  it('a request of the wrong shape gets an error result naming the field, not an exception', async () => {
    const s = services([]);
    const r = await s.handlers['annotation:open']({ handle: 'h', width: -3, height: 2.5 } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('bad-request');
      expect(r.error.message).toContain('width');
    }
    const t = await s.handlers['window:setDirty']({ dirty: 'true' } as never);
    expect(t.ok).toBe(false);
  });
});
