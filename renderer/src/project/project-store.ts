import { create } from 'zustand';
import type { ProjectView } from '../../../shared/ipc/contract';

export interface ProjectState {
  view: ProjectView | null;
  /** Image of the project now open in the viewer. */
  currentImageId: string | null;
  dialog: null | 'new' | 'metadata' | 'export';
  export: { done: number; total: number; running: boolean } | null;
  /** "Auto-trace all images" while it runs. */
  autotrace: { done: number; total: number } | null;
}

export const useProject = create<ProjectState>(() => ({ view: null, currentImageId: null, dialog: null, export: null, autotrace: null }));
export const projectStore = { get: useProject.getState, set: useProject.setState };
