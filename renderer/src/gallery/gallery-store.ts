import { create } from 'zustand';
import type { GalleryView, IpcEvents } from '../../../shared/ipc/contract';
import { api } from '../api';
import { blindingDiffers, refetchOnBlindingSwitch } from '../project/blinding-sync';
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

/** Shows the gallery and asks main for the project's neurons now (counts and statuses change as people work). */
export async function openGallery(retries = 3): Promise<void> {
  if (!listening) {
    api().on('gallery:thumbs', onThumbs);
    listening = true;
  }
  // Never show the previous tiles while the new ones load: blinding may have changed in between.
  galleryStore.set({ open: true, loading: true, error: null, view: null });
  const r = await api()['gallery:open']({ size: THUMB_PX });
  if (!r.ok) return galleryStore.set({ loading: false, error: r.error.message });
  if (retries > 0 && blindingDiffers(r.value)) return openGallery(retries - 1);
  if (r.value.blinded) galleryStore.set({ filter: { ...galleryStore.get().filter, condition: '' } });
  galleryStore.set({ view: r.value, loading: false, progress: r.value.pending ? { done: 0, total: r.value.pending } : null });
  const replay = early.filter((e) => e.serial === r.value.serial);
  early = [];
  replay.forEach(onThumbs);
}

export function closeGallery(): void {
  galleryStore.set({ open: false });
}

export async function cancelThumbnails(): Promise<void> {
  await api()['gallery:cancel']();
  galleryStore.set({ progress: null });
}

refetchOnBlindingSwitch(
  () => (galleryStore.get().open && !galleryStore.get().loading ? galleryStore.get().view : null),
  () => void openGallery(),
);
