import { describe, expect, it } from 'vitest';
import type { GalleryTile, GalleryView } from '../../../shared/ipc/contract';
import { NO_FILTER, orderTiles } from '../../../renderer/src/gallery/gallery-order';

const tile = (key: string, condition: string | null, status: GalleryTile['status'], tips: number | null, length: number | null, z: number[] = []): GalleryTile => ({
  key,
  imageId: 'img',
  neuronId: 1,
  neuronName: key,
  imageName: 'x',
  condition,
  status,
  values: [tips, length],
  flags: z.map((v) => ({ measure: 'tips', label: 'tips', value: 0, median: 0, z: v })),
  thumb: null,
});

const view: GalleryView = {
  serial: 1,
  blinded: false,
  columns: ['tips', 'total_length_um'],
  conditions: ['A', 'B'],
  pending: 0,
  warnings: [],
  tiles: [tile('a', 'A', 'approved', 5, 200), tile('b', 'B', 'in-progress', 9, null, [4.2]), tile('c', 'A', 'in-progress', 5, 120), tile('d', 'B', 'excluded', null, null), tile('e', 'A', 'ready-for-review', 2, 300, [-3.5, 8])],
};
const keys = (ts: GalleryTile[]) => ts.map((t) => t.key).join('');

describe('gallery sort and filter', () => {
  it('sorts by a column, ties in project order, missing values last in both directions', () => {
    expect(keys(orderTiles(view, NO_FILTER, 'tips', false))).toBe('eacbd');
    expect(keys(orderTiles(view, NO_FILTER, 'tips', true))).toBe('baced');
    expect(keys(orderTiles(view, NO_FILTER, 'total_length_um', true))).toBe('eacbd');
  });

  it('sorts by condition, status (workflow order) and outlier strength (largest |z|)', () => {
    expect(keys(orderTiles(view, NO_FILTER, 'condition', false))).toBe('acebd');
    expect(keys(orderTiles(view, NO_FILTER, 'status', false))).toBe('bcead');
    expect(keys(orderTiles(view, NO_FILTER, 'outlier', true))).toBe('ebacd');
    expect(keys(orderTiles(view, NO_FILTER, 'project', true))).toBe('edcba');
  });

  it('filters by condition, status, flags and a range on a column (open bounds; no value = out)', () => {
    expect(keys(orderTiles(view, { ...NO_FILTER, condition: 'A' }, 'project', false))).toBe('ace');
    expect(keys(orderTiles(view, { ...NO_FILTER, status: 'in-progress' }, 'project', false))).toBe('bc');
    expect(keys(orderTiles(view, { ...NO_FILTER, flaggedOnly: true }, 'project', false))).toBe('be');
    expect(keys(orderTiles(view, { ...NO_FILTER, column: 'tips', min: 5, max: NaN }, 'project', false))).toBe('abc');
    expect(keys(orderTiles(view, { ...NO_FILTER, column: 'total_length_um', min: 150, max: 250 }, 'project', false))).toBe('a');
  });
});
