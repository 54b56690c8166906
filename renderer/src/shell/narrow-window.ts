import { useSyncExternalStore } from 'react';

/**
 * Below this window width a project's canvas column (the window less the project's 250 px and the image's 290 px of
 * panels) is under 640 px: the Gallery showed one tile a row, the Results view squeezed its plots. There the project
 * views take the image's panels' room too; in a wider window those panels stay beside them (a neuron renamed in the
 * Neurons panel with the Gallery shown is seen in its tile at once).
 */
const NARROW_WINDOW_PX = 1180;

let narrow: MediaQueryList | null = null;
const query = () => (narrow ??= window.matchMedia(`(width < ${NARROW_WINDOW_PX}px)`));

function subscribe(changed: () => void): () => void {
  query().addEventListener('change', changed);
  return () => query().removeEventListener('change', changed);
}

/** True while the window is narrower than NARROW_WINDOW_PX. */
export function useNarrowWindow(): boolean {
  return useSyncExternalStore(subscribe, () => query().matches);
}
