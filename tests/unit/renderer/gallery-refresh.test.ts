import { beforeEach, describe, expect, it } from 'vitest';
import type { GalleryTile, GalleryView, IpcEvents, ProjectView } from '../../../shared/ipc/contract';

/**
 * The renderer's gallery store against a scripted main: which events make it ask again, what it shows meanwhile, and
 * which replies it keeps. (The numbers themselves are main's, checked in tests/unit/gallery.)
 */
type Listener = (payload: never) => void;
const listeners = new Map<string, Listener[]>();
let replies: Array<() => Promise<GalleryView>> = [];
let opened = 0;
(globalThis as { window?: unknown }).window = {
  api: {
    'gallery:open': async () => {
      opened++;
      const next = replies.shift();
      if (!next) throw new Error('no reply scripted');
      return { ok: true, value: await next() };
    },
    on: (event: string, l: Listener) => {
      listeners.set(event, [...(listeners.get(event) ?? []), l]);
      return () => undefined;
    },
  },
};
const { galleryStore, openGallery, refreshGallery, showGallery } = await import('../../../renderer/src/gallery/gallery-store');
const { projectStore } = await import('../../../renderer/src/project/project-store');

const emit = <E extends keyof IpcEvents>(event: E, payload: IpcEvents[E]) => listeners.get(event)?.forEach((l) => l(payload as never));
const tile = (image: string, tips: number, thumb: string | null): GalleryTile => ({ key: `${image}:1`, imageId: image, neuronId: 1, neuronName: 'Neuron 1', imageName: `${image}.tif`, condition: null, status: 'in-progress', values: [tips], flags: [], thumb });
const view = (serial: number, tiles: GalleryTile[], pending = 0): GalleryView => ({ serial, blinded: false, columns: ['tips'], conditions: [], tiles, pending, warnings: [] });
const project = (...images: string[]) => ({ blinded: false, images: images.map((id) => ({ id })) }) as unknown as ProjectView;
const shown = () => galleryStore.get().view?.tiles.map((t) => `${t.imageId} T${t.values[0]} ${t.thumb ?? '…'}`);
const flush = () => new Promise((r) => setTimeout(r, 0));

beforeEach(async () => {
  replies = [];
  opened = 0;
  projectStore.set({ view: project('a', 'b') });
  replies.push(async () => view(1, [tile('a', 14, 'png-a1'), tile('b', 5, 'png-b1')]));
  await openGallery();
});

describe('the gallery store follows saves', () => {
  it('a save while a tile is opened: the kept gallery is asked for again in place, its new thumbnail arrives by event, Back shows it', async () => {
    galleryStore.set({ open: false }); // a tile's click
    replies.push(async () => view(2, [tile('a', 13, null), tile('b', 5, 'png-b1')], 1));
    emit('project:annotationSaved', { imageId: 'a' });
    await flush();
    expect(galleryStore.get().open).toBe(false);
    expect(shown()).toEqual(['a T13 …', 'b T5 png-b1']);
    expect(galleryStore.get().progress).toEqual({ done: 0, total: 1 });
    emit('gallery:thumbs', { serial: 1, tiles: [{ key: 'a:1', url: 'stale' }], done: 1, total: 1, finished: true, error: null });
    emit('gallery:thumbs', { serial: 2, tiles: [{ key: 'a:1', url: 'png-a2' }], done: 1, total: 1, finished: true, error: null });
    expect(shown()).toEqual(['a T13 png-a2', 'b T5 png-b1']);
    expect(galleryStore.get().progress).toBeNull();

    replies.push(async () => view(3, [tile('a', 13, 'png-a2'), tile('b', 5, 'png-b1')]));
    showGallery();
    // Shown at once (no blank while main answers), then confirmed.
    expect(galleryStore.get().open).toBe(true);
    expect(shown()).toEqual(['a T13 png-a2', 'b T5 png-b1']);
    await flush();
    expect(opened).toBe(3);
  });

  it('a change on disk of the open file refreshes too; saves during a refresh are folded into one more', async () => {
    let answer: (v: GalleryView) => void = () => undefined;
    replies.push(() => new Promise((r) => (answer = r)));
    replies.push(async () => view(3, [tile('a', 11, null), tile('b', 5, 'png-b1')], 1));
    emit('annotation:changedOnDisk', { fileName: 'a.ramify.json', kind: 'changed' });
    emit('project:annotationSaved', { imageId: 'a' });
    emit('project:annotationSaved', { imageId: 'a' });
    answer(view(2, [tile('a', 12, null), tile('b', 5, 'png-b1')], 1));
    await refreshGallery();
    expect(opened).toBe(3);
    expect(shown()).toEqual(['a T11 …', 'b T5 png-b1']);
  });

  it('a reply older than the gallery shown is dropped; a closed gallery is not asked for', async () => {
    let answer: (v: GalleryView) => void = () => undefined;
    replies.push(() => new Promise((r) => (answer = r)));
    const refresh = refreshGallery();
    galleryStore.set({ view: view(5, [tile('a', 9, 'png-a5'), tile('b', 5, 'png-b1')]) }); // a newer opening
    answer(view(4, [tile('a', 10, null), tile('b', 5, 'png-b1')]));
    await refresh;
    expect(shown()).toEqual(['a T9 png-a5', 'b T5 png-b1']);

    galleryStore.set({ open: false, view: null }); // Close
    emit('project:annotationSaved', { imageId: 'a' });
    await flush();
    expect(opened).toBe(2);
  });

  it('the kept gallery is dropped when another project (new image tokens) or none is open', () => {
    galleryStore.set({ open: false });
    projectStore.set({ view: project('a', 'b', 'c') });
    expect(galleryStore.get().view).not.toBeNull();
    projectStore.set({ view: project('x', 'y') });
    expect(galleryStore.get().view).toBeNull();
  });
});
