import type { Histogram } from './histogram';

/**
 * ImageJ's "Auto" (ContrastEnhancer.stretchHistogram): saturate `saturatedPercent` of the pixels in total, half at
 * each end. ImageJ's default is 0.35 %. Bins are walked from each end until the running count exceeds the threshold.
 */
export function autoContrast(h: Histogram, saturatedPercent = 0.35): { min: number; max: number } {
  if (h.total === 0) return { min: 0, max: 1 };
  // A uniform image: the degenerate range [v, v] shows it mid-grey (see renderComposite), not black.
  if (h.min === h.max) return { min: h.min, max: h.max };
  const threshold = Math.floor((h.total * saturatedPercent) / 200);
  const n = h.counts.length;
  let lo = 0;
  for (let count = 0; lo < n - 1; lo++) {
    count += h.counts[lo];
    if (count > threshold) break;
  }
  let hi = n - 1;
  for (let count = 0; hi > 0; hi--) {
    count += h.counts[hi];
    if (count > threshold) break;
  }
  if (hi < lo) return { min: h.min, max: Math.max(h.max, h.min + 1) };
  const min = h.min + lo * h.binWidth;
  // The upper bound is the top edge of the last kept bin for binned data, the value itself for exact integer bins.
  const max = h.binWidth === 1 ? h.min + hi : h.min + (hi + 1) * h.binWidth;
  return max > min ? { min, max } : { min, max: min + (h.binWidth === 1 ? 1 : h.binWidth) };
}

/**
 * The display range after the plane shown changes from `before` to `after` (histograms): a range still at `before`'s
 * automatic contrast follows a switch to or from the z projection (as ImageJ's Z Project opens with its own), since a
 * projection's range can differ wholly from a slice's (a bright-background stack's darkest-slice projection holds
 * values no single slice reaches); a range the user set, the file's own, and any range while moving through slices
 * are kept, so that slices compare.
 */
export function rangeAfterViewChange(range: { min: number; max: number }, before: Histogram | null, after: Histogram | null, projectionToggled: boolean): { min: number; max: number } {
  const kept = { min: range.min, max: range.max };
  if (!projectionToggled || !before || !after) return kept;
  const auto = autoContrast(before);
  return auto.min === range.min && auto.max === range.max ? autoContrast(after) : kept;
}
