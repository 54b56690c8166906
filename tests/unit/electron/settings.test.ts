import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testServices } from '../test-services';

const services = testServices;

describe('user settings (name and role) through the IPC handlers', () => {
  it('start as an unnamed tracer, keep what was set across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ramify-settings-'));
    expect(await services(dir).handlers['settings:get']()).toEqual({ ok: true, value: { userName: '', role: 'tracer' } });
    expect(await services(dir).handlers['settings:set']({ userName: '  Dr. Pia  ', role: 'reviewer' })).toEqual({ ok: true, value: { userName: 'Dr. Pia', role: 'reviewer' } });
    expect(await services(dir).handlers['settings:get']()).toEqual({ ok: true, value: { userName: 'Dr. Pia', role: 'reviewer' } });
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ userName: 'Dr. Pia', role: 'reviewer' });
  });

  it('refuse what the contract does not allow, and leave the saved settings alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ramify-settings-'));
    const s = services(dir);
    await s.handlers['settings:set']({ userName: 'Tina', role: 'tracer' });
    for (const bad of [{ userName: 'X', role: 'admin' }, { userName: 42, role: 'tracer' }, { userName: 'X', role: 'tracer', extra: 1 }, null]) {
      const r = await s.handlers['settings:set'](bad as never);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('bad-request');
    }
    expect(await s.handlers['settings:get']()).toEqual({ ok: true, value: { userName: 'Tina', role: 'tracer' } });
  });

  it('a damaged settings file reads as the defaults (the app still starts)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ramify-settings-'));
    writeFileSync(join(dir, 'settings.json'), '{"userName": 3');
    expect(await services(dir).handlers['settings:get']()).toEqual({ ok: true, value: { userName: '', role: 'tracer' } });
  });
});
