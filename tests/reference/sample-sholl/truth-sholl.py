#!/usr/bin/env python3
"""Independent Sholl profiles of the bundled sample's ground truth (build/sample/sample-neurons.truth.json).

Per neuron: centre = the soma point; edges = soma centre -> each soma branch's first node, a branch's parent node ->
its first node, and consecutive nodes. For every edge a->b and radius r (10 um, 11 um, ... in px via the calibration)
the roots t in [0, 1] of |a + t(b - a) - c|^2 = r^2 are solved directly (no breakpoint bookkeeping as in
shared/analysis/sholl.ts) and the distinct intersection points counted; a root at t = 0 of an edge is the end of the
edge before it, so it is only counted for an edge leaving the centre (never happens: the centre is inside the soma).

Run from the repo root:
  python3 tests/reference/sample-sholl/truth-sholl.py > tests/reference/sample-sholl/truth-sholl.json
"""
import json
import math
from pathlib import Path

TRUTH = Path(__file__).resolve().parents[3] / 'build' / 'sample' / 'sample-neurons.truth.json'


def edges(neuron):
    pos = {}
    for b in neuron['branches']:
        for n in b['nodes']:
            pos[n['id']] = (n['x'], n['y'])
    soma = (neuron['soma']['x'], neuron['soma']['y'])
    for b in neuron['branches']:
        prev = soma if b['parent']['kind'] == 'soma' else pos[b['parent']['nodeId']]
        for n in b['nodes']:
            yield prev, (n['x'], n['y'])
            prev = (n['x'], n['y'])


def crossings(segs, c, r):
    count = 0
    for (ax, ay), (bx, by) in segs:
        ux, uy = bx - ax, by - ay
        fx, fy = ax - c[0], ay - c[1]
        A = ux * ux + uy * uy
        B = 2 * (fx * ux + fy * uy)
        C = fx * fx + fy * fy - r * r
        D = B * B - 4 * A * C
        if A == 0 or D < 0:
            continue
        s = math.sqrt(D)
        roots = {(-B - s) / (2 * A), (-B + s) / (2 * A)}
        count += sum(1 for t in roots if 0 < t <= 1)
    return count


def main():
    doc = json.loads(TRUTH.read_text())['document']
    px = doc['calibration']['pixelWidth']
    out = []
    for neuron in doc['neurons']:
        segs = list(edges(neuron))
        c = (neuron['soma']['x'], neuron['soma']['y'])
        far = max(math.hypot(b[0] - c[0], b[1] - c[1]) for _, b in segs) * px
        radii = list(range(10, int(far) + 6))
        profile = [crossings(segs, c, r / px) for r in radii]
        nmax = max(profile)
        out.append({'name': neuron['name'], 'nmax': nmax, 'nmaxRadius': radii[profile.index(nmax)], 'radii': radii, 'crossings': profile})
    print(json.dumps({'source': 'build/sample/sample-neurons.truth.json', 'units': 'um', 'neurons': out}, indent=1))


main()
