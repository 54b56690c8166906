/**
 * The detail slider's levels: the shortest branch kept from 0 to DETAIL_MAX_UM µm in DETAIL_STEP_UM steps (the Auto
 * panel shows px at the assumed pixel size on an uncalibrated image, the same levels).
 */
export const DETAIL_MAX_UM = 30;
export const DETAIL_STEP_UM = 0.5;

/**
 * Every level of the slider but `fromUm`, nearest it first (the lower of two as near): the order in which the idle
 * tracing worker re-prunes ahead, so that a drag of the slider finds each level worked out already. A level seen
 * once is a lookup (pruneTrace keeps what each level made); a first visit of a large arbor is not (SNT's ddaC, 450
 * branches: a median 50–65 ms).
 */
export function levelsAround(fromUm: number): number[] {
  const count = Math.round(DETAIL_MAX_UM / DETAIL_STEP_UM);
  const levels = Array.from({ length: count + 1 }, (_, k) => k * DETAIL_STEP_UM);
  return levels
    .filter((um) => Math.abs(um - fromUm) > 1e-9)
    .sort((a, b) => Math.abs(a - fromUm) - Math.abs(b - fromUm) || a - b);
}
