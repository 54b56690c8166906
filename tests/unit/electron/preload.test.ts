import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PAGE_CHANNELS, wireName } from '../../../shared/ipc/contract';

// Loads electron/preload.ts against a stand-in `electron` module and checks exactly what it exposes to the page.
const rec = vi.hoisted(() => ({ exposed: new Map<string, Record<string, unknown>>(), invoked: [] as Array<[string, unknown]>, listeners: new Map<string, unknown>() }));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => rec.exposed.set(key, api) },
  ipcRenderer: {
    invoke: async (channel: string, req: unknown) => {
      rec.invoked.push([channel, req]);
      return { ok: true, value: null };
    },
    on: (channel: string, fn: unknown) => rec.listeners.set(channel, fn),
    removeListener: (channel: string) => rec.listeners.delete(channel),
  },
  webUtils: { getPathForFile: (f: { name: string }) => `/dropped/${f.name}` },
}));

beforeAll(async () => {
  await import('../../../electron/preload');
});

describe('preload', () => {
  it('exposes one function per page channel, events and the drop helper, and nothing else', () => {
    const api = rec.exposed.get('api')!;
    expect([...rec.exposed.keys()]).toEqual(['api']);
    expect(Object.keys(api).sort()).toEqual([...PAGE_CHANNELS, 'on', 'openDroppedFile'].sort());
    // The page cannot pass a path of its choosing: the raw drop channel is not exposed.
    expect(api['image:openDropped']).toBeUndefined();
  });

  it('forwards calls on the contract wire names', async () => {
    const api = rec.exposed.get('api')! as Record<string, (r?: unknown) => Promise<unknown>>;
    await api['recent:list']();
    await (api.openDroppedFile as (f: { name: string }) => Promise<unknown>)({ name: 'cells.tif' });
    expect(rec.invoked).toEqual([
      [wireName('recent:list'), undefined],
      [wireName('image:openDropped'), { droppedPath: '/dropped/cells.tif' }],
    ]);
  });

  it('subscribes only to contract events', () => {
    const on = rec.exposed.get('api')!.on as (e: string, f: () => void) => () => void;
    const off = on('file:opened', () => undefined);
    expect(rec.listeners.has(wireName('file:opened'))).toBe(true);
    off();
    expect(rec.listeners.has(wireName('file:opened'))).toBe(false);
    expect(() => on('anything:else', () => undefined)).toThrow('Unknown event');
  });
});
