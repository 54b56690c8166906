import { create } from 'zustand';
import type { BranchLabel } from '../../../shared/model/document';
import { loadViewSetting, saveViewSetting } from '../stores/view-settings';

/** Sholl sampling and the label filter; the same settings drive the panel, the canvas circles and exports. */
export interface AnalysisSettings {
  /** First radius in µm (px when uncalibrated). */
  start: number;
  /** Radius step, > 0. */
  step: number;
  /** Last radius; null = the enclosing radius (farthest node). */
  end: number | null;
  /** Branch labels measured; null = every branch. */
  labels: BranchLabel[] | null;
  /**
   * Draw Sholl circles and crossing points for the active neuron. Off by default: at 1 µm steps they cover the
   * tracing being checked. Remembered between sessions (view setting 'showSholl').
   */
  showCircles: boolean;
  /** Draw the best-fit polynomial on the plot. */
  showFit: boolean;
}

export const useAnalysis = create<AnalysisSettings>(() => ({ start: 10, step: 1, end: null, labels: null, showCircles: loadViewSetting('showSholl', false), showFit: false }));
useAnalysis.subscribe((s, prev) => {
  if (s.showCircles !== prev.showCircles) saveViewSetting('showSholl', s.showCircles);
});
export const analysisStore = { get: useAnalysis.getState, set: useAnalysis.setState, subscribe: useAnalysis.subscribe };
