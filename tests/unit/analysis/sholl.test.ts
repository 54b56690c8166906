import { describe, expect, it } from 'vitest';
import { measureDocument } from '../../../shared/analysis';
import { bestPolynomialFit, fitPolynomials, polynomialMaximum } from '../../../shared/analysis/polyfit';
import type { AnnotationDocument, Branch, Neuron } from '../../../shared/model/document';
import { buildDoc, rng } from './build';

const profileOf = (doc: AnnotationDocument, sholl: { start?: number; step?: number; end?: number }) => {
  const s = measureDocument(doc, { sholl })[0].sholl!;
  return { s, radii: s.profile.map((p) => p.radius), counts: s.profile.map((p) => p.crossings) };
};

describe('Sholl crossings on hand-worked trees', () => {
  it('straight line: stem counts, a node on a circle counts once, a tip on the last circle counts', () => {
    // soma (0,0) → 10 → 20 → 30 along x: every circle r ∈ (0, 30] meets the line exactly once.
    const doc = buildDoc({ branches: [{ from: 'soma', nodes: [[10, 0], [20, 0], [30, 0]] }] });
    const { s, radii, counts } = profileOf(doc, { start: 5, step: 5 });
    expect(radii).toEqual([5, 10, 15, 20, 25, 30]);
    expect(counts).toEqual([1, 1, 1, 1, 1, 1]);
    expect(s.end).toBe(30);
    expect(s.maxCrossings).toBe(1);
    expect(s.maxCrossingsRadius).toBe(5);
    expect(s.enclosingRadius).toBe(30);
    expect(s.sumCrossings).toBe(6);
    expect(s.meanCrossings).toBe(1);
    expect(s.intersectingRadii).toBe(6);
    expect(s.ramificationIndex).toBe(1);
    expect(s.polynomial).toBeNull(); // constant profile: nothing to fit
    expect(s.is3D).toBe(false);
  });

  it('Y: a branch point on a circle counts once, two tips on the last circle count twice', () => {
    // trunk (10,0)→(20,0); children (20,0)→(20,±15), tips at distance 25.
    const doc = buildDoc({
      branches: [
        { from: 'soma', nodes: [[10, 0], [20, 0], [20, 15]] },
        { from: [0, 1], nodes: [[20, -15]] },
      ],
    });
    const { s, counts } = profileOf(doc, { start: 5, step: 5 });
    expect(counts).toEqual([1, 1, 1, 1, 2]);
    expect(s.maxCrossings).toBe(2);
    expect(s.maxCrossingsRadius).toBe(25);
    expect(s.enclosingRadius).toBe(25);
    expect(profileOf(doc, { start: 22, step: 100 }).counts).toEqual([2]);
    expect(profileOf(doc, { start: 26, step: 1, end: 27 }).counts).toEqual([0, 0]);
  });

  it('comb: crossings follow P + B(<r) − T(<r)', () => {
    // spine (10,0)…(40,0); teeth (20,0)→(20,10) [tip at √500 ≈ 22.36] and (30,0)→(30,10) [tip at √1000 ≈ 31.62].
    const doc = buildDoc({
      branches: [
        { from: 'soma', nodes: [[10, 0], [20, 0], [30, 0], [40, 0]] },
        { from: [0, 1], nodes: [[20, 10]] },
        { from: [0, 2], nodes: [[30, 10]] },
      ],
    });
    const { counts } = profileOf(doc, { start: 15, step: 6 }); // 15, 21, 27, 33, 39
    expect(counts).toEqual([1, 2, 1, 1, 1]);
    expect(profileOf(doc, { start: 31, step: 1, end: 31 }).counts).toEqual([2]);
  });

  it('a segment that dips inside a circle crosses it twice; tangency counts once', () => {
    // stem (0,0)→(−10,5), then (−10,5)→(10,5): closest approach 5 at (0,5); ends at √125 ≈ 11.18.
    const doc = buildDoc({ branches: [{ from: 'soma', nodes: [[-10, 5], [10, 5]] }] });
    const { counts } = profileOf(doc, { start: 5, step: 3 }); // 5, 8, 11
    expect(counts).toEqual([2, 3, 3]); // r=5: stem + tangent point; r=8 and 11: stem + two crossings
    expect(profileOf(doc, { start: 4, step: 1, end: 4 }).counts).toEqual([1]);
  });

  it('a node exactly on a circle is one point, whether it continues, branches or ends', () => {
    // (3,4) is at distance 5: a through-node on one branch, the start of a child branch, and a tip of another.
    const doc = buildDoc({
      branches: [
        { from: 'soma', nodes: [[3, 4], [6, 8]] },
        { from: [0, 0], nodes: [[3, 9]] },
        { from: 'soma', nodes: [[-3, -4]] },
      ],
    });
    expect(profileOf(doc, { start: 5, step: 1, end: 5 }).counts).toEqual([2]);
  });

  it('branches at the soma: each primary crosses; ramification index = Nmax / primaries', () => {
    const doc = buildDoc({
      branches: [
        { from: 'soma', nodes: [[10, 0], [20, 0]] },
        { from: 'soma', nodes: [[-10, 0], [-20, 0]] },
        { from: 'soma', nodes: [[0, 10], [0, 20], [0, 30]] },
        { from: [2, 1], nodes: [[5, 30]] }, // branch point at 20, tip at √925 ≈ 30.41
      ],
    });
    const { s, counts } = profileOf(doc, { start: 5, step: 5 }); // 5 … 30 (end = √925)
    expect(counts).toEqual([3, 3, 3, 3, 2, 2]);
    expect(s.maxCrossings).toBe(3);
    expect(s.ramificationIndex).toBe(1);
    expect(s.end).toBeCloseTo(Math.sqrt(925), 12);
  });

  it('3D: spheres, and normalisation by 4/3 π r³', () => {
    const doc = buildDoc({ branches: [{ from: 'soma', nodes: [[0, 0, 10], [0, 0, 20]] }] });
    const { s, counts } = profileOf(doc, { start: 5, step: 5 });
    expect(counts).toEqual([1, 1, 1, 1]);
    expect(s.is3D).toBe(true);
    // N = 1 everywhere: ln(N/A) = ln(3/(4π)) − 3 ln r, so the log-log slope is exactly −3.
    expect(s.logLog!.slope).toBeCloseTo(-3, 12);
    expect(s.logLog!.decay).toBeCloseTo(3, 12);
    expect(s.logLog!.intercept).toBeCloseTo(Math.log(3 / (4 * Math.PI)), 12);
    expect(s.logLog!.rSquared).toBeCloseTo(1, 12);
  });

  it('semi-log and log-log regressions and the determination ratio (2D, N = 1)', () => {
    const doc = buildDoc({ branches: [{ from: 'soma', nodes: [[10, 0], [20, 0], [30, 0]] }] });
    const { s } = profileOf(doc, { start: 5, step: 5 });
    // y = ln(1/(π r²)) at r = 5…30; least squares of y on r worked out independently here.
    const r = [5, 10, 15, 20, 25, 30];
    const y = r.map((v) => -Math.log(Math.PI * v * v));
    const mx = r.reduce((a, b) => a + b) / 6;
    const my = y.reduce((a, b) => a + b) / 6;
    const sxy = r.reduce((a, v, i) => a + (v - mx) * (y[i] - my), 0);
    const sxx = r.reduce((a, v) => a + (v - mx) ** 2, 0);
    const syy = y.reduce((a, v) => a + (v - my) ** 2, 0);
    const slope = sxy / sxx;
    const r2 = (sxy * sxy) / (sxx * syy);
    expect(s.semiLog!.slope).toBeCloseTo(slope, 12);
    expect(s.semiLog!.decay).toBeCloseTo(-slope, 12);
    expect(s.semiLog!.rSquared).toBeCloseTo(r2, 12);
    expect(s.logLog!.slope).toBeCloseTo(-2, 12);
    expect(s.logLog!.intercept).toBeCloseTo(-Math.log(Math.PI), 12);
    expect(s.determinationRatio).toBeCloseTo(r2, 12);
    // r2 for this data, to 6 decimals (from the closed form above): a worse straight line than log-log.
    expect(r2).toBeLessThan(0.99);
  });

  it('polynomial fit: best degree by adjusted R², critical value and radius of the fitted maximum', () => {
    const x = Array.from({ length: 21 }, (_, i) => i);
    const y = x.map((v) => 20 - (v - 4) ** 2 / 4); // vertex (4, 20)
    const [quad] = fitPolynomials(x, y, 2, 2);
    expect(quad.rSquared).toBeCloseTo(1, 12);
    const top = polynomialMaximum(quad, 0, 20);
    expect(top.x).toBeCloseTo(4, 9);
    expect(top.value).toBeCloseTo(20, 9);
    // A line fits worse than the quadratic; the best fit among 1–8 is at least quadratic and peaks at (4, 20).
    const best = bestPolynomialFit(x, y)!;
    expect(best.degree).toBeGreaterThanOrEqual(2);
    expect(polynomialMaximum(best, 0, 20).value).toBeCloseTo(20, 6);
    const [line] = fitPolynomials(x, y, 1, 1);
    expect(line.adjustedRSquared).toBeLessThan(best.adjustedRSquared);
    // y = 2x + 1 exactly: slope/intercept recovered through the scaled variable; max at the right end.
    const [lin] = fitPolynomials([1, 2, 3, 4], [3, 5, 7, 9], 1, 1);
    expect(polynomialMaximum(lin, 1, 4)).toEqual({ x: 4, value: expect.closeTo(9, 12) });
    expect(fitPolynomials([1, 2, 3], [2, 2, 2], 1, 8)).toEqual([]); // constant
  });

  it('identity N(r) = P + B(<r) − T(<r) on random trees moving away from the soma (seeded)', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const rand = rng(seed);
      const neuron: Neuron = { id: 1, name: 't', color: '#fff', soma: { kind: 'point', x: 0, y: 0, z: 0 }, branches: [] };
      let next = 2;
      const nodeDist: number[] = [];
      const tipDist: number[] = [];
      const bpDist: number[] = [];
      const P = 1 + Math.floor(rand() * 4);
      // Grow each branch outward: every new node keeps p·(q − p) > 0, so distance rises monotonically along edges.
      const grow = (branch: Branch, x: number, y: number, depth: number) => {
        let steps = 1 + Math.floor(rand() * 6);
        for (;;) {
          let qx = 0;
          let qy = 0;
          do {
            const len = 1 + rand() * 8;
            const ang = Math.atan2(y, x) + (rand() - 0.5) * 1.5;
            qx = x + len * Math.cos(ang);
            qy = y + len * Math.sin(ang);
          } while (x * (qx - x) + y * (qy - y) <= 1e-6);
          x = qx;
          y = qy;
          const node = { id: next++, x, y, z: 0 };
          branch.nodes.push(node);
          nodeDist.push(Math.hypot(x, y));
          if (--steps === 0) break;
        }
        const last = branch.nodes[branch.nodes.length - 1];
        if (depth < 4 && rand() < 0.6) {
          bpDist.push(Math.hypot(x, y));
          const child: Branch = { id: next++, label: 'dendrite', parent: { kind: 'node', nodeId: last.id }, nodes: [] };
          neuron.branches.push(child);
          grow(child, x, y, depth + 1);
          grow(branch, x, y, depth + 1); // the parent branch continues: a bifurcation
        } else tipDist.push(Math.hypot(x, y));
      };
      for (let p = 0; p < P; p++) {
        const b: Branch = { id: next++, label: 'dendrite', parent: { kind: 'soma' }, nodes: [] };
        neuron.branches.push(b);
        const a = rand() * 2 * Math.PI;
        const r0 = 0.5 + rand() * 3;
        b.nodes.push({ id: next++, x: r0 * Math.cos(a), y: r0 * Math.sin(a), z: 0 });
        nodeDist.push(r0);
        grow(b, b.nodes[0].x, b.nodes[0].y, 0);
      }
      const doc: AnnotationDocument = { neurons: [neuron], nextId: next, calibration: null };
      const m = measureDocument(doc, { sholl: { start: 0.25, step: 0.37 } })[0];
      expect(m.morphometrics.tips).toBe(m.morphometrics.primaryBranches + m.morphometrics.branchPoints);
      for (const sample of m.sholl!.profile) {
        const r = sample.radius;
        expect(nodeDist.some((d) => d === r)).toBe(false);
        const expected = P + bpDist.filter((d) => d < r).length - tipDist.filter((d) => d < r).length;
        expect(sample.crossings).toBe(expected);
      }
      expect(m.sholl!.profile.length).toBeGreaterThan(5);
    }
  });
});
