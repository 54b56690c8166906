import { create } from 'zustand';
import type { ResultsView } from '../../../shared/ipc/contract';
import { MEASURES } from '../../../shared/report/measures';
import { api } from '../api';
import { reportError } from '../image/image-session';
import { viewer } from '../stores/viewer-store';
import { blindingDiffers, refetchOnBlindingSwitch } from '../project/blinding-sync';

export interface ResultsState {
  open: boolean;
  view: ResultsView | null;
  loading: boolean;
  error: string | null;
  /** Reference group for Dunnett; null = the first condition. */
  control: string | null;
  /** 'neuron' or a metadata column whose per-value means are the data points. */
  unit: string;
  measure: string;
  perNeuron: boolean;
}

export const useResults = create<ResultsState>(() => ({ open: false, view: null, loading: false, error: null, control: null, unit: 'neuron', measure: MEASURES[0].column, perNeuron: false }));
export const resultsStore = { get: useResults.getState, set: useResults.setState };

let request = 0;

/** Asks main for the statistics with the current control and unit (a newer request wins). */
export async function refreshResults(retries = 3): Promise<void> {
  const { control, unit } = resultsStore.get();
  const mine = ++request;
  resultsStore.set({ loading: true, error: null });
  const r = await api()['project:results']({ control, unit });
  if (mine !== request) return;
  if (r.ok && retries > 0 && blindingDiffers(r.value)) return refreshResults(retries - 1);
  if (r.ok) resultsStore.set({ view: r.value, loading: false });
  else resultsStore.set({ loading: false, error: r.error.message });
}

export function openResults(): void {
  // Never show the previous figures while the new ones load: blinding may have changed in between.
  resultsStore.set({ open: true, view: null });
  void refreshResults();
}

refetchOnBlindingSwitch(
  () => (resultsStore.get().open && !resultsStore.get().loading ? resultsStore.get().view : null),
  () => void refreshResults(),
);

export function setResultsOptions(patch: Partial<Pick<ResultsState, 'control' | 'unit'>>): void {
  resultsStore.set(patch);
  void refreshResults();
}

export async function exportReport(): Promise<void> {
  const { control, unit } = resultsStore.get();
  const r = await api()['project:report']({ control, unit });
  if (!r.ok) reportError(`Report failed: ${r.error.message}`);
  else if (r.value) viewer.set({ notice: `Report written: ${r.value.fileName}.` });
}
