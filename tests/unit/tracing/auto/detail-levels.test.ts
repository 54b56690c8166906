import { describe, expect, it } from 'vitest';
import { levelsAround } from '../../../../shared/tracing/auto/detail-levels';

describe('the slider levels the idle worker re-prunes ahead', () => {
  it('every level from 0 to 30 µm by 0.5 but the one shown, nearest first, the lower of two as near', () => {
    const levels = levelsAround(5);
    expect(levels.slice(0, 7)).toEqual([4.5, 5.5, 4, 6, 3.5, 6.5, 3]);
    expect(levels.length).toBe(60);
    expect(levels.at(-1)).toBe(30);
    expect(new Set(levels).size).toBe(60);
    expect(levels).not.toContain(5);
  });

  it('from a level off the grid (a value typed or read from a file) every grid level is kept', () => {
    const levels = levelsAround(2.2);
    expect(levels.slice(0, 4)).toEqual([2, 2.5, 1.5, 3]);
    expect(levels.length).toBe(61);
  });
});
