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
