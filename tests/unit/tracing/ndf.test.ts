import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ndfToNeuron, parseNdf } from '../../../shared/formats/ndf';
import { RamifyError } from '../../../shared/result';

const text = readFileSync(new URL('../../fixtures/neuronj/neurites.ndf', import.meta.url), 'utf8');

function errorOf(f: () => unknown): RamifyError {
  try {
    f();
  } catch (e) {
    if (e instanceof RamifyError) return e;
    throw e;
  }
  throw new Error('expected a RamifyError');
}

describe('parseNdf on NeuronJ neurites.ndf', () => {
  const ndf = parseNdf(text);

  it('reads version and the 11 type names', () => {
    expect(ndf.version).toBe('1.0');
    expect(ndf.types).toEqual(['Default', 'Axon', 'Dendrite', 'Primary', 'Secondary', 'Tertiary', 'Type 06', 'Type 07', 'Type 08', 'Type 09', 'Type 10']);
  });

  it('reads the four tracings with their ids, types, point counts and end points', () => {
    // Counts by awk over the x/y lines of each segment; ends read off the file.
    expect(ndf.tracings.map((t) => [t.id, t.type, t.typeName, t.cluster, t.label, t.points.length])).toEqual([
      [1, 1, 'Axon', 0, 'Default', 71],
      [2, 4, 'Secondary', 0, 'Default', 34],
      [3, 5, 'Tertiary', 0, 'Default', 56],
      [4, 4, 'Secondary', 0, 'Default', 46],
    ]);
    expect(ndf.tracings.map((t) => [t.points[0], t.points[t.points.length - 1]])).toEqual([
      [{ x: 138, y: 328 }, { x: 450, y: 81 }],
      [{ x: 450, y: 81 }, { x: 612, y: 68 }],
      [{ x: 559, y: 65 }, { x: 687, y: 336 }],
      [{ x: 357, y: 179 }, { x: 548, y: 355 }],
    ]);
    expect(ndf.tracings[0].points[1]).toEqual({ x: 143, y: 325 });
  });

  it('joins segments without repeating the shared joint', () => {
    const two = text.replace('// Segment 0 of Tracing 1\n450\n81\n455\n82\n', '// Segment 0 of Tracing 1\n450\n81\n455\n82\n// Segment 1 of Tracing 1\n455\n82\n');
    const t = parseNdf(two).tracings[1];
    expect(t.points.length).toBe(34);
    expect(t.points.slice(0, 3)).toEqual([{ x: 450, y: 81 }, { x: 455, y: 82 }, { x: 460, y: 82 }]);
  });

  it('accepts CRLF line ends', () => {
    expect(parseNdf(text.replace(/\n/g, '\r\n')).tracings.length).toBe(4);
  });

  it('imports as detached branches at pixel centres with consecutive ids', () => {
    const { neuron, nextId } = ndfToNeuron(ndf, 10);
    expect(neuron.id).toBe(10);
    expect(neuron.soma).toBeNull();
    expect(neuron.branches.map((b) => [b.id, b.label, b.parent.kind, b.nodes.length])).toEqual([
      [11, 'axon', 'none', 71],
      [83, 'custom:Secondary', 'none', 34],
      [118, 'custom:Tertiary', 'none', 56],
      [175, 'custom:Secondary', 'none', 46],
    ]);
    expect(neuron.branches[0].nodes[0]).toEqual({ id: 12, x: 138.5, y: 328.5, z: 0 });
    expect(nextId).toBe(10 + 1 + 4 + 71 + 34 + 56 + 46);
  });
});

describe('parseNdf on malformed input', () => {
  const lines = text.split('\n');
  const lineOf = (s: string) => lines.indexOf(s) + 1;

  it('rejects a file that is not NDF on line 1', () => {
    const e = errorOf(() => parseNdf('hello\n'));
    expect(e.code).toBe('bad-ndf');
    expect(e.message).toMatch(/line 1:/);
  });

  it('names the line of a non-numeric coordinate', () => {
    const bad = lines.slice();
    const at = lineOf('// Segment 0 of Tracing 2') + 3; // third coordinate line of tracing 2 (1-based)
    bad[at - 1] = 'abc';
    const e = errorOf(() => parseNdf(bad.join('\n')));
    expect(e.message).toBe(`NeuronJ file line ${at}: expected an x coordinate (an integer), found 'abc'.`);
  });

  it('names the line of a coordinate pair cut short by the next section', () => {
    const bad = lines.slice();
    const seg = lineOf('// Segment 0 of Tracing 3');
    bad.splice(seg + 46 * 2 - 1, 1); // drop the last y of tracing 3
    const e = errorOf(() => parseNdf(bad.join('\n')));
    expect(e.message).toBe(`NeuronJ file line ${seg + 46 * 2}: expected a y coordinate (an integer), found '// End of NeuronJ Data File'.`);
  });

  it('reports a truncated file', () => {
    const cut = lineOf('// Segment 0 of Tracing 1') + 10; // five whole x/y pairs kept
    const e = errorOf(() => parseNdf(lines.slice(0, cut).join('\n')));
    expect(e.message).toMatch(new RegExp(`line ${cut + 1}: missing the closing`));
    const mid = errorOf(() => parseNdf(lines.slice(0, cut - 1).join('\n')));
    expect(mid.message).toBe(`NeuronJ file line ${cut}: expected a y coordinate, found the end of the file.`);
  });

  it('reports a tracing without segments', () => {
    const bad = text.replace('// Segment 0 of Tracing 3\n', '');
    const e = errorOf(() => parseNdf(bad));
    expect(e.message).toMatch(/tracing 4 has no '\/\/ Segment' block/);
  });
});
