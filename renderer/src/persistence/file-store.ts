import { create } from 'zustand';
import type { ImageIdentity, Review } from '../../../shared/formats/annotation-file';

/** The annotation file behind the open image: session state about saving, never part of the document. */
export interface FileState {
  /** Annotation file name (saved or to be saved); null before an image is open. */
  fileName: string | null;
  identity: ImageIdentity | null;
  /** Review fields kept from the loaded file and edited in the review panel. */
  review: Review | null;
  /** True when review fields changed since the last save (they are not undoable edits). */
  reviewDirty: boolean;
  lastSavedAt: string | null;
  lastJournaledAt: string | null;
  /** The annotation file exists on disk (loaded or saved once); until then autosaves are only a recovery copy. */
  savedOnDisk: boolean;
  /** Another program changed the saved file while it was open. */
  externalChange: { kind: 'changed' | 'deleted' } | null;
  /** The saved file exists but could not be read. */
  loadError: string | null;
  /** Last autosave failure, shown once until autosave works again. */
  autosaveError: string | null;
}

export const initialFileState: FileState = {
  fileName: null,
  identity: null,
  review: null,
  reviewDirty: false,
  lastSavedAt: null,
  lastJournaledAt: null,
  savedOnDisk: false,
  externalChange: null,
  loadError: null,
  autosaveError: null,
};

export const useFile = create<FileState>(() => initialFileState);
export const fileStore = { get: useFile.getState, set: useFile.setState };
