import { create } from 'zustand';
import type { GalleryView, IpcEvents } from '../../../shared/ipc/contract';
import { api } from '../api';
import { blindingDiffers, refetchOnBlindingSwitch } from '../project/blinding-sync';
import { useProject } from '../project/project-store';
import { NO_FILTER, type GalleryFilter, type SortKey } from './gallery-order';

/** Longer side of a thumbnail in px (tiles show it at this size). */
export const THUMB_PX = 160;

export interface GalleryState {
  open: boolean;
  view: GalleryView | null;
  loading: boolean;
  error: string | null;
  /** Thumbnails rendered of those missing when the gallery opened; null when none are being made. */
  progress: { done: number; total: number } | null;
  sort: SortKey;
  descending: boolean;
  filter: GalleryFilter;
}

export const useGallery = create<GalleryState>(() => ({ open: false, view: null, loading: false, error: null, progress: null, sort: 'project', descending: false, filter: NO_FILTER }));
export const galleryStore = { get: useGallery.getState, set: useGallery.setState };

/** Where the grid is scrolled (not state: nothing re-renders on it); going back to the gallery shows the same rows. */
export const gridScroll = { top: 0 };

let listening = false;
/** Batches of a run whose gallery:open reply has not arrived yet. */
let early: Array<IpcEvents['gallery:thumbs']> = [];

/** Thumbnails arrive a batch per image; each fills in its tiles (a stale run's batches are dropped). */
function onThumbs(e: IpcEvents['gallery:thumbs']): void {
  const { view } = galleryStore.get();
  if (!view || e.serial > view.serial) early.push(e);
  if (!view || e.serial !== view.serial) return;
  const urls = new Map(e.tiles.map((t) => [t.key, t.url]));
  const tiles = urls.size ? view.tiles.map((t) => (urls.has(t.key) ? { ...t, thumb: urls.get(t.key)! } : t)) : view.tiles;
  galleryStore.set({ view: { ...view, tiles }, progress: e.finished ? null : { done: e.done, total: e.total }, ...(e.error ? { error: `Some thumbnails could not be made: ${e.error}` } : {}) });
}

function listen(): void {
  if (listening) return;
  listening = true;
  const a = api();
  a.on('gallery:thumbs', onThumbs);
  // A saved tracing (here, or by another program in the open file) changes its tiles' crops and counts, and its
  // condition's outlier flags: the gallery on screen, or kept to go back to, follows without being reopened.
  a.on('project:annotationSaved', () => void refreshGallery());
  a.on('annotation:changedOnDisk', () => void refreshGallery());
}

/** Shows a view main computed, with the thumbnail batches of its run that came before it. */
function adopt(view: GalleryView): void {
  galleryStore.set({ view, loading: false, progress: view.pending ? { done: 0, total: view.pending } : null });
  const replay = early.filter((e) => e.serial === view.serial);
  early = early.filter((e) => e.serial > view.serial);
  replay.forEach(onThumbs);
}

/** Shows the gallery and asks main for the project's neurons now (counts and statuses change as people work). */
export async function openGallery(retries = 3): Promise<void> {
  listen();
  // Never show the previous tiles while the new ones load: blinding may have changed in between.
  galleryStore.set({ open: true, loading: true, error: null, view: null });
  gridScroll.top = 0;
  const r = await api()['gallery:open']({ size: THUMB_PX });
  if (!r.ok) return galleryStore.set({ loading: false, error: r.error.message });
  if (retries > 0 && blindingDiffers(r.value)) return openGallery(retries - 1);
  if (r.value.blinded) galleryStore.set({ filter: { ...galleryStore.get().filter, condition: '' } });
  adopt(r.value);
}

let refreshing: Promise<void> | null = null;
let refreshAgain = false;

/**
 * Asks main for the gallery again and swaps it in place (sort, filter and tiles stay on screen): main measures and
 * draws only the images whose annotations changed (their cache keys changed), the rest comes from its cache.
 * Calls while one runs are folded into one more run after it.
 */
export function refreshGallery(): Promise<void> {
  if (!galleryStore.get().view) return Promise.resolve();
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      refreshAgain = false;
      const r = await api()['gallery:open']({ size: THUMB_PX });
      const { view, open } = galleryStore.get();
      // Dropped, reopened (a newer opening is loading or shown) or replaced meanwhile: that one stands.
      if (!view || (r.ok && r.value.serial < view.serial)) continue;
      if (!r.ok) galleryStore.set({ error: r.error.message });
      else if (!blindingDiffers(r.value)) adopt(r.value);
      else if (open) void openGallery();
      else galleryStore.set({ view: null });
    } while (refreshAgain);
  })().finally(() => (refreshing = null));
  return refreshing;
}

/**
 * Back to the gallery a tile was opened from: the same tiles, sort and filter at once (kept up to date by the
 * refreshes above), checked against main once more in place.
 */
export function showGallery(): void {
  if (!galleryStore.get().view || blindingDiffers(galleryStore.get().view)) return void openGallery();
  galleryStore.set({ open: true, error: null });
  void refreshGallery();
}

/** Closes the gallery for good (a tile's click only hides it, to go back to). */
export function closeGallery(): void {
  galleryStore.set({ open: false, view: null, progress: null });
}

export async function cancelThumbnails(): Promise<void> {
  await api()['gallery:cancel']();
  galleryStore.set({ progress: null });
}

refetchOnBlindingSwitch(
  () => (galleryStore.get().open && !galleryStore.get().loading ? galleryStore.get().view : null),
  () => void openGallery(),
);

// A gallery kept to go back to belongs to one opening of one project: image tokens are new for each, so a tile whose
// image the project no longer lists means another project (or none) is open now.
useProject.subscribe((p) => {
  const { view } = galleryStore.get();
  if (!view) return;
  const images = new Set(p.view?.images.map((i) => i.id));
  if (!p.view || view.tiles.some((t) => !images.has(t.imageId))) galleryStore.set({ open: false, view: null, progress: null });
});
