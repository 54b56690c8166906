import { create } from 'zustand';
import type { ResultsView } from '../../../shared/ipc/contract';
import { MEASURES } from '../../../shared/report/measures';
import { api } from '../api';
import { reportError } from '../image/image-session';
import { viewer } from '../stores/viewer-store';
import { projectViewLoader } from '../project/blinding-sync';

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

const loader = projectViewLoader(resultsStore, () => {
  const { control, unit } = resultsStore.get();
  return api()['project:results']({ control, unit });
});

/** Asks main for the statistics with the current control and unit (a newer request wins). */
export const refreshResults = loader.refresh;
export const openResults = loader.open;

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
