import { describe, expect, it } from 'vitest';
import { measureDocument } from '../../../shared/analysis';
import { shollGeometry } from '../../../renderer/src/analysis/sholl-geometry';
import { buildDoc } from './build';

describe('Sholl geometry drawn on the canvas', () => {
  // Soma at (100, 100) px, 0.5 µm per px; one branch 100 px (50 µm) to the right, one 60 px (30 µm) up.
  const doc = buildDoc({
    soma: [100, 100],
    calibration: { pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm', source: 'user' },
    branches: [
      { from: 'soma', nodes: [[110, 100], [200, 100]] },
      { from: 'soma', nodes: [[100, 90], [100, 40]] },
    ],
  });
  const results = measureDocument(doc, { sholl: { start: 10, step: 10, end: 40 } });
  const id = doc.neurons[0].id;

  it('puts shells and crossings where a hand computation does (µm radii, px positions)', () => {
    const g = shollGeometry(doc, results, id, null)!;
    expect(g.radii).toEqual([10, 20, 30, 40]);
    expect(g.rx).toEqual([20, 40, 60, 80]);
    expect(g.ry).toEqual([20, 40, 60, 80]);
    expect([g.cx, g.cy]).toEqual([100, 100]);
    const pts = g.points.map((p) => [Math.round(p.x * 1e6) / 1e6, Math.round(p.y * 1e6) / 1e6, p.radius]).sort((a, b) => a[2] - b[2] || a[0] - b[0] || a[1] - b[1]);
    expect(pts).toEqual([
      [100, 80, 10],
      [120, 100, 10],
      [100, 60, 20],
      [140, 100, 20],
      [100, 40, 30],
      [160, 100, 30],
      [180, 100, 40],
    ]);
  });

  it('uses the radii of the measurement it is given (the one the panel shows)', () => {
    const other = measureDocument(doc, { sholl: { start: 5, step: 20 } });
    expect(shollGeometry(doc, other, id, null)!.radii).toEqual(other[0].sholl!.profile.map((p) => p.radius));
    expect(shollGeometry(doc, results, 999, null)).toBeNull();
  });
});
