import type { Result } from '../../../shared/result';
import { projectStore, useProject } from './project-store';

/**
 * Views that main computes for the open project (results, gallery, agreement) carry the blinding they were computed
 * with. One asked for while blind mode was being switched can come back computed the old way; these helpers keep
 * such a view from staying on screen with names in blind mode (or codes after it).
 */

/** True when `view` was computed with another blinding than the project's current one. */
export function blindingDiffers(view: { blinded: boolean } | null | undefined): boolean {
  const project = projectStore.get().view;
  return Boolean(view && project && view.blinded !== project.blinded);
}

/** Calls `refetch` whenever the project's blinding changes while `shown()` returns a view computed the other way. */
export function refetchOnBlindingSwitch(shown: () => { blinded: boolean } | null, refetch: () => void): void {
  useProject.subscribe(() => {
    if (blindingDiffers(shown())) refetch();
  });
}

interface ProjectViewState<V> {
  open: boolean;
  view: V | null;
  loading: boolean;
  error: string | null;
}

/**
 * Loading of a view main computes for the open project (a newer request wins), kept in step with the blinding:
 * `open` shows it empty until its figures arrive, a reply computed with the old blinding is asked for again, and a
 * blinding switch while it is shown asks again.
 */
export function projectViewLoader<V extends { blinded: boolean }, S extends ProjectViewState<V>>(
  store: { get: () => S; set: (patch: Partial<ProjectViewState<V>>) => void },
  fetch: () => Promise<Result<V | null>>,
): { refresh: () => Promise<void>; open: () => void } {
  let request = 0;
  const refresh = async (retries = 3): Promise<void> => {
    const mine = ++request;
    store.set({ loading: true, error: null });
    const r = await fetch();
    if (mine !== request) return;
    if (r.ok && retries > 0 && blindingDiffers(r.value)) return refresh(retries - 1);
    if (r.ok) store.set({ view: r.value, loading: false });
    else store.set({ loading: false, error: r.error.message });
  };
  refetchOnBlindingSwitch(
    () => (store.get().open && !store.get().loading ? store.get().view : null),
    () => void refresh(),
  );
  return {
    refresh: () => refresh(),
    open: () => {
      store.set({ open: true, view: null });
      void refresh();
    },
  };
}
