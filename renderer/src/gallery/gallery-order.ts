import type { GalleryTile, GalleryView } from '../../../shared/ipc/contract';
import { REVIEW_STATES, type ReviewState } from '../../../shared/review/status';

/** What the tiles are sorted by: a measurement column, or one of these. */
export type SortKey = 'project' | 'condition' | 'status' | 'outlier' | string;

export interface GalleryFilter {
  /** '' = every condition. */
  condition: string;
  /** '' = every status. */
  status: ReviewState | '';
  flaggedOnly: boolean;
  /** A range on one measurement column; NaN bounds are open. Neurons without the value are hidden by a range. */
  column: string;
  min: number;
  max: number;
}

export const NO_FILTER: GalleryFilter = { condition: '', status: '', flaggedOnly: false, column: '', min: NaN, max: NaN };

const strongest = (t: GalleryTile) => Math.max(0, ...t.flags.map((f) => Math.abs(f.z)));

/**
 * The tiles to show, filtered, then sorted (stable: ties keep the project's order). Neurons without a value of the
 * sort column (excluded, uncalibrated) go last whichever the direction.
 */
export function orderTiles(view: GalleryView, filter: GalleryFilter, sort: SortKey, descending: boolean): GalleryTile[] {
  const col = view.columns.indexOf(filter.column);
  const kept = view.tiles.filter((t) => {
    if (filter.condition && t.condition !== filter.condition) return false;
    if (filter.status && t.status !== filter.status) return false;
    if (filter.flaggedOnly && t.flags.length === 0) return false;
    if (col >= 0 && (!Number.isNaN(filter.min) || !Number.isNaN(filter.max))) {
      const v = t.values[col];
      if (v === null || v < filter.min || v > filter.max) return false;
    }
    return true;
  });
  if (sort === 'project') return descending ? kept.reverse() : kept;
  const sortCol = view.columns.indexOf(sort);
  const key = (t: GalleryTile): number | string | null => {
    if (sort === 'condition') return t.condition;
    if (sort === 'status') return REVIEW_STATES.indexOf(t.status);
    if (sort === 'outlier') return strongest(t);
    return sortCol >= 0 ? t.values[sortCol] : null;
  };
  const sign = descending ? -1 : 1;
  return kept
    .map((t, i) => ({ t, i, k: key(t) }))
    .sort((a, b) => {
      if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
      const c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : String(a.k).localeCompare(String(b.k));
      return c !== 0 ? sign * c : a.i - b.i;
    })
    .map((x) => x.t);
}
