import { describe, expect, it } from 'vitest';
import { CHANNEL_COLORS } from '../../../shared/display/composite';
import { neuronBounds, neuronCrop, tileSize } from '../../../shared/gallery/crop';
import { resampleCrop } from '../../../shared/display/resample';
import { renderTile } from '../../../shared/gallery/tile-render';
import type { Neuron } from '../../../shared/model/document';

/** Soma at (cx, cy), one branch from (cx+2, cy) to (cx+40, cy), one child from there to (cx+40, cy+20). */
function ell(cx: number, cy: number, id = 1, color = '#ff0000'): Neuron {
  return {
    id,
    name: `n${id}`,
    color,
    soma: { kind: 'point', x: cx, y: cy, z: 0 },
    branches: [
      { id: id * 10 + 1, label: 'dendrite', parent: { kind: 'soma' }, nodes: [{ id: id * 10 + 2, x: cx + 2, y: cy, z: 0 }, { id: id * 10 + 3, x: cx + 40, y: cy, z: 0 }] },
      { id: id * 10 + 4, label: 'dendrite', parent: { kind: 'node', nodeId: id * 10 + 3 }, nodes: [{ id: id * 10 + 5, x: cx + 40, y: cy + 20, z: 0 }] },
    ],
  };
}

describe('crop geometry', () => {
  it('bounds cover the soma, the stem and every node', () => {
    expect(neuronBounds(ell(100, 50))).toEqual({ minX: 100, minY: 50, maxX: 140, maxY: 70 });
    expect(neuronBounds({ ...ell(100, 50), soma: { kind: 'point', x: 100, y: 50, z: 0, r: 6 } })).toEqual({ minX: 94, minY: 44, maxX: 140, maxY: 70 });
    expect(neuronBounds({ id: 1, name: '', color: '#fff', soma: null, branches: [] })).toBeNull();
  });

  it('a square of the larger side plus a margin of max(8 px, 10 %) each side, centred on the box', () => {
    // Box 100…140 × 50…70: extent 40, margin 8 → side 56, centre (120, 60) → x 92…147, y 32…87.
    expect(neuronCrop(ell(100, 50), 512, 512)).toEqual({ x: 92, y: 32, width: 56, height: 56 });
    // A 200 px wide neuron: margin 20 → side 240.
    const wide: Neuron = { ...ell(100, 300), branches: [{ id: 2, label: 'dendrite', parent: { kind: 'soma' }, nodes: [{ id: 3, x: 300, y: 300, z: 0 }] }] };
    expect(neuronCrop(wide, 1024, 1024)).toEqual({ x: 80, y: 180, width: 240, height: 240 });
  });

  it('moves the square inside the image at an edge instead of shrinking it', () => {
    // Near the top-left corner: centre (22, 10) would start at (−6, −18); moved to (0, 0).
    expect(neuronCrop(ell(2, 0), 512, 512)).toEqual({ x: 0, y: 0, width: 56, height: 56 });
    // Near the bottom-right corner of a 140 × 80 image: x 92…147 and y 32…87 stick out; moved to end at 139 and 79.
    expect(neuronCrop(ell(100, 50), 140, 80)).toEqual({ x: 84, y: 24, width: 56, height: 56 });
  });

  it('cuts the square to the image only when the image is smaller', () => {
    expect(neuronCrop(ell(4, 4), 40, 30)).toEqual({ x: 0, y: 0, width: 40, height: 30 });
    expect(neuronCrop({ id: 1, name: '', color: '#fff', soma: null, branches: [] }, 64, 48)).toEqual({ x: 0, y: 0, width: 64, height: 48 });
  });

  it('tile size: the longer side becomes the tile size', () => {
    expect(tileSize({ x: 0, y: 0, width: 56, height: 56 }, 112)).toEqual({ width: 112, height: 112, scale: 2 });
    expect(tileSize({ x: 0, y: 0, width: 40, height: 30 }, 160)).toEqual({ width: 160, height: 120, scale: 4 });
  });
});

describe('tile pixels', () => {
  it('area-averages when shrinking and takes the nearest pixel when enlarging', () => {
    // 4 × 4 source 0…15 row by row; the 2 × 2 crop at (1, 1) shrunk to 1 × 1 is the mean of 5, 6, 9, 10.
    const src = Float32Array.from({ length: 16 }, (_, i) => i);
    expect([...resampleCrop(src, 4, { x: 1, y: 1, width: 2, height: 2 }, 1, 1)]).toEqual([7.5]);
    expect([...resampleCrop(src, 4, { x: 0, y: 0, width: 4, height: 4 }, 2, 2)]).toEqual([2.5, 4.5, 10.5, 12.5]);
    // Enlarged ×2: each source pixel becomes a 2 × 2 block.
    expect([...resampleCrop(src, 4, { x: 2, y: 0, width: 2, height: 1 }, 4, 2)]).toEqual([2, 2, 3, 3, 2, 2, 3, 3]);
  });

  it('shows the crop at the display range and draws the neuron over it in its colour', () => {
    // A 64 × 64 grey image of value 50 with a bright square 20…29 × 20…29; display 0…100 → 50 is grey 127.
    const plane = new Uint16Array(64 * 64).fill(50);
    for (let y = 20; y < 30; y++) for (let x = 20; x < 30; x++) plane[y * 64 + x] = 100;
    const neuron: Neuron = { id: 7, name: 'a', color: '#ff0000', soma: null, branches: [{ id: 1, label: 'dendrite', parent: { kind: 'none' }, nodes: [{ id: 2, x: 10, y: 40, z: 0 }, { id: 3, x: 40, y: 40, z: 0 }] }] };
    const crop = neuronCrop(neuron, 64, 64);
    // Box 10…40 × 40: extent 30, margin 8 → side 46, centre (25, 40) → x 2, y 17 (40 − 23).
    expect(crop).toEqual({ x: 2, y: 17, width: 46, height: 46 });
    const t = renderTile([plane], 64, [{ visible: true, min: 0, max: 100, rgb: CHANNEL_COLORS.grey }], crop, 92, [neuron], 7);
    expect([t.width, t.height]).toEqual([92, 92]);
    const px = (x: number, y: number) => [...t.rgba.subarray((y * t.width + x) * 4, (y * t.width + x) * 4 + 4)];
    // Image (5, 20) → tile (6, 6): background grey. Image (25, 25) → tile (46, 16): the bright square, white.
    expect(px(6, 6)).toEqual([128, 128, 128, 255]);
    expect(px(46, 16)).toEqual([255, 255, 255, 255]);
    // The line y = 40 → tile row (40 − 17) × 2 = 46; pixel centres 45.5 and 46.5 lie 0.5 px from it: fully red.
    expect(px(40, 46)).toEqual([255, 0, 0, 255]);
    expect(px(40, 45)).toEqual([255, 0, 0, 255]);
    // Three rows away: untouched.
    expect(px(40, 42)).toEqual([128, 128, 128, 255]);
  });

  it("draws the tile's neuron in full and its neighbours faint", () => {
    const plane = new Uint8Array(100 * 100);
    const a = ell(20, 20, 1, '#ff0000');
    const b = ell(30, 30, 2, '#00ff00');
    const crop = { x: 0, y: 0, width: 100, height: 100 };
    const t = renderTile([plane], 100, [{ visible: true, min: 0, max: 255, rgb: CHANNEL_COLORS.grey }], crop, 100, [a, b], 1);
    const px = (x: number, y: number) => [...t.rgba.subarray((y * 100 + x) * 4, (y * 100 + x) * 4 + 3)];
    // Neuron 1's branch at y = 20 (x 22…60): red. Neuron 2's at y = 30 is 0.6 px half-wide at 45 %: the pixel centre
    // 0.5 px from it is covered 0.6 + 0.5 − 0.5 = 0.6, so green 255 × 0.45 × 0.6 = 68.85 over black.
    expect(px(50, 20)).toEqual([255, 0, 0]);
    expect(px(50, 30)).toEqual([0, 69, 0]);
  });
});
