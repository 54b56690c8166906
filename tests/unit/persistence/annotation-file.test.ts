import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ANNOTATION_VERSION,
  identityMismatch,
  newAnnotationFile,
  parseAnnotation,
  serializeAnnotation,
  type AnnotationFile,
  type ImageIdentity,
} from '../../../shared/formats/annotation-file';
import { RamifyError } from '../../../shared/result';
import { sampleDoc } from '../actions/sample-doc';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/annotation/${name}`, import.meta.url), 'utf8');

/** The error a parse throws (fails the test when it does not throw a RamifyError). */
function parseError(text: string, limits?: Parameters<typeof parseAnnotation>[1]): RamifyError {
  try {
    parseAnnotation(text, limits);
  } catch (e) {
    if (e instanceof RamifyError) return e;
    throw e;
  }
  throw new Error('expected parseAnnotation to throw');
}

/** v1.json with one edit applied to its JSON (loosely typed on purpose: the edits break the schema). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;
const mutated = (edit: (j: Loose) => void): string => {
  const j = JSON.parse(fixture('v1.json'));
  edit(j);
  return JSON.stringify(j);
};

describe('annotation file: round trip', () => {
  it('parses v1.json and serializes it back to the identical bytes', () => {
    const text = fixture('v1.json');
    const file = parseAnnotation(text);
    expect(serializeAnnotation(file)).toBe(text);
    expect(parseAnnotation(serializeAnnotation(file))).toEqual(file);
  });

  it('v1.json holds the values written into it', () => {
    const file = parseAnnotation(fixture('v1.json'));
    expect(file.version).toBe(1);
    expect(file.document.calibration).toEqual({ pixelWidth: 0.3125, pixelHeight: 0.3125, voxelDepth: 1, unit: 'µm', source: 'imagej' });
    expect(file.document.nextId).toBe(23);
    expect(file.document.neurons.map((n) => n.name)).toEqual(['Cell A', 'Cell B']);
    expect(file.document.neurons[0].branches[0].nodes[3]).toEqual({ id: 6, x: 90, y: 50, z: 0, r: 2.5 });
    expect(file.document.neurons[0].branches[1].parent).toEqual({ kind: 'node', nodeId: 4 });
    expect(file.review.status).toBe('changes-requested');
    expect(file.review.comments).toHaveLength(1);
    expect(file.image?.width).toBe(2048);
    expect(file.shollSettings).toEqual({ start: 10, step: 5, end: null });
  });

  it('a new file from the model round-trips deep-equal, calibration stored once (top level, not in document)', () => {
    const doc = { ...sampleDoc(), calibration: { pixelWidth: 0.5, pixelHeight: 0.6, unit: 'µm' as const, source: 'user' as const } };
    const file = newAnnotationFile(doc, { appVersion: '9.9.9', now: new Date('2025-01-02T03:04:05.000Z'), author: 'JM' });
    const text = serializeAnnotation(file);
    expect(parseAnnotation(text)).toEqual(file);
    const json = JSON.parse(text);
    expect(Object.keys(json)).toEqual(['format', 'version', 'app', 'image', 'calibration', 'document', 'review']);
    expect(json.calibration).toEqual({ pixelWidth: 0.5, pixelHeight: 0.6, unit: 'µm', source: 'user' });
    expect('calibration' in json.document).toBe(false);
    expect(text.endsWith('}\n')).toBe(true);
    // One node per line: the first node of branch 2 is printed on a single line.
    expect(text).toContain('\n              {"id":3,"x":60,"y":50,"z":0},\n');
    expect(json.review).toEqual({ status: 'in-progress', comments: [], author: 'JM', createdAt: '2025-01-02T03:04:05.000Z', modifiedAt: '2025-01-02T03:04:05.000Z' });
  });

  it("a Zeiss LSM's pixel size keeps its source through a save and a load", () => {
    const doc = { ...sampleDoc(), calibration: { pixelWidth: 0.2075, pixelHeight: 0.2075, voxelDepth: 0.5, unit: 'µm' as const, source: 'lsm' as const } };
    const file = newAnnotationFile(doc, { appVersion: '9.9.9', now: new Date('2025-01-02T03:04:05.000Z') });
    expect(parseAnnotation(serializeAnnotation(file)).document.calibration).toEqual(doc.calibration);
    expect(() => parseAnnotation(serializeAnnotation(file).replace('"lsm"', '"zeiss"'))).toThrow(/expected one of imagej, ome, lsm, metamorph, resolution, user/);
  });

  it('serialization does not depend on the key order of the objects in memory', () => {
    const file = parseAnnotation(fixture('v1.json'));
    const n = file.document.neurons[0].branches[0].nodes[0];
    file.document.neurons[0].branches[0].nodes[0] = { z: n.z, y: n.y, x: n.x, id: n.id };
    expect(serializeAnnotation(file)).toBe(fixture('v1.json'));
  });
});

describe('annotation file: versions', () => {
  it('loads the version-0 fixture, migrated to the current version', () => {
    const file = parseAnnotation(fixture('v0.json'));
    expect(file.version).toBe(ANNOTATION_VERSION);
    expect(file.app).toEqual({ name: 'Ramify', version: '0 (pre-release)' });
    expect(file.image).toBeNull();
    expect(file.document.calibration).toEqual({ pixelWidth: 0.25, pixelHeight: 0.25, unit: 'µm', source: 'user' });
    expect(file.document.nextId).toBe(9);
    const [neuron] = file.document.neurons;
    expect(neuron.soma).toEqual({ kind: 'point', x: 100, y: 100, z: 0 });
    expect(neuron.branches[0].nodes).toEqual([
      { id: 3, x: 110, y: 100, z: 0 },
      { id: 4, x: 130, y: 100, z: 0 },
      { id: 5, x: 150, y: 100, z: 0 },
    ]);
    expect(neuron.branches[1]).toEqual({ id: 6, label: 'dendrite', parent: { kind: 'node', nodeId: 4 }, nodes: [{ id: 7, x: 130, y: 120, z: 0 }, { id: 8, x: 130, y: 140, z: 0, r: 1.5 }] });
    expect(file.review).toEqual({ status: 'in-progress', comments: [], author: '', createdAt: '2024-11-05T16:20:00Z', modifiedAt: '2024-11-05T16:20:00Z' });
    // Saving writes version 1, which reads back identically.
    expect(parseAnnotation(serializeAnnotation(file))).toEqual(file);
    expect(JSON.parse(serializeAnnotation(file)).version).toBe(1);
  });

  it('a version-0 file with a bad field says so, and that it was upgraded', () => {
    const j = JSON.parse(fixture('v0.json'));
    j.neurons[0].branches[0].nodes[1].x = 'abc';
    expect(parseError(JSON.stringify(j)).message).toBe(
      'document.neurons[0].branches[0].nodes[1].x: expected a finite number, got "abc" (after upgrading from format version 0).',
    );
  });

  it('refuses files from a newer Ramify', () => {
    const e = parseError(mutated((j) => (j.version = 2)));
    expect(e.code).toBe('annotation-newer');
    expect(e.message).toContain('made by a newer Ramify (format version 2); update Ramify');
  });

  it('refuses nonsense versions', () => {
    expect(parseError(mutated((j) => (j.version = '1'))).message).toBe('version: expected a format version number (0, 1, …), got "1".');
    expect(parseError(mutated((j) => (j.version = -1))).code).toBe('annotation-version');
    expect(parseError(mutated((j) => (j.version = 0.5))).code).toBe('annotation-version');
  });
});

describe('annotation file: invalid input names the field and the value', () => {
  const cases: Array<[string, (j: Loose) => void, string]> = [
    ['non-numeric x', (j) => (j.document.neurons[0].branches[1].nodes[1].x = 'abc'), 'document.neurons[0].branches[1].nodes[1].x: expected a finite number, got "abc".'],
    ['huge y', (j) => (j.document.neurons[1].branches[0].nodes[0].y = 1e308), 'document.neurons[1].branches[0].nodes[0].y: expected a coordinate within ±1e9 px, got 1e+308.'],
    ['missing z', (j) => delete j.document.neurons[0].branches[0].nodes[2].z, 'document.neurons[0].branches[0].nodes[2].z: expected a finite number, got nothing (the field is missing).'],
    ['fractional id', (j) => (j.document.neurons[0].branches[0].nodes[0].id = 3.5), 'document.neurons[0].branches[0].nodes[0].id: expected an integer id, got 3.5.'],
    ['negative radius', (j) => (j.document.neurons[0].branches[0].nodes[3].r = -2), 'document.neurons[0].branches[0].nodes[3].r: expected a number ≥ 0, got -2.'],
    ['nodes not an array', (j) => (j.document.neurons[0].branches[2].nodes = { 0: 1 }), 'document.neurons[0].branches[2].nodes: expected an array of nodes, got an object.'],
    ['unknown label', (j) => (j.document.neurons[0].branches[0].label = 'spine'), 'document.neurons[0].branches[0].label: expected dendrite, apical, axon, undefined or custom:NAME, got "spine".'],
    ['bad parent kind', (j) => (j.document.neurons[0].branches[1].parent.kind = 'branch'), 'document.neurons[0].branches[1].parent.kind: expected {kind: "soma" | "node" | "none"}, got "branch".'],
    ['bad colour', (j) => (j.document.neurons[1].color = 'red'), 'document.neurons[1].color: expected a colour like #ffd400, got "red".'],
    ['zero pixel width', (j) => (j.calibration.pixelWidth = 0), 'calibration.pixelWidth: expected a positive number, got 0.'],
    ['nm unit', (j) => (j.calibration.unit = 'nm'), 'calibration.unit: expected "µm" (other units are converted on import), got "nm".'],
    ['review status', (j) => (j.review.status = 'ok'), 'review.status: expected one of to-do, in-progress, ready-for-review, changes-requested, approved, excluded, not-started, done, needs-review, rejected, got "ok".'],
    ['comment date', (j) => (j.review.comments[0].at = 'yesterday'), 'review.comments[0].at: expected an ISO 8601 date-time like 2025-03-01T14:05:00Z, got "yesterday".'],
    ['short hash', (j) => (j.image.sha256 = 'abc'), 'image.sha256: expected 64 lowercase hex digits, got "abc".'],
    ['sholl step 0', (j) => (j.shollSettings.step = 0), 'shollSettings.step: expected a positive number, got 0.'],
    ['long string value', (j) => (j.document.neurons[0].branches[0].nodes[0].x = 'x'.repeat(1000)), `document.neurons[0].branches[0].nodes[0].x: expected a finite number, got "${'x'.repeat(60)}"… (1000 characters).`],
  ];
  for (const [name, edit, message] of cases) {
    it(name, () => {
      const e = parseError(mutated(edit));
      expect(e.code).toBe('annotation-invalid');
      expect(e.message).toBe(message);
    });
  }

  it('structural problems come from the model validator', () => {
    expect(parseError(mutated((j) => (j.document.neurons[0].branches[1].nodes[0].id = 3))).message).toBe(
      'document: Id 3 is used more than once (Node #3).',
    );
    expect(parseError(mutated((j) => (j.document.neurons[0].branches[1].parent.nodeId = 21))).message).toBe(
      'document: Branch #7 starts at node #21, which is not in neuron #1.',
    );
    // B7 hangs on node 4 of B2; hanging B2 on node 8 of B7 closes a cycle (B10 below B7 is then cyclic too).
    expect(parseError(mutated((j) => (j.document.neurons[0].branches[0].parent = { kind: 'node', nodeId: 8 }))).message).toBe(
      'document: Branch #2 is part of a cycle of branches (and 2 more problems).',
    );
    // Ids 5…22 (18 of them) are not below nextId 5; the first in document order is node 5.
    expect(parseError(mutated((j) => (j.document.nextId = 5))).message).toBe('document: Node #5 has id 5, not below nextId 5 (and 17 more problems).');
  });

  it('refuses what is not an annotation file at all', () => {
    expect(parseError('').code).toBe('annotation-malformed');
    expect(parseError('{"format": "ramify-annotation", "version": 1,').message).toMatch(/^Not a Ramify annotation file: the text is not valid JSON \(.+\)\.$/);
    expect(parseError('[1,2]').message).toBe('Not a Ramify annotation file: expected a JSON object, got an array of 2 items.');
    expect(parseError('{"format":"ndf"}').message).toBe('Not a Ramify annotation file: format: expected "ramify-annotation", got "ndf".');
    expect(parseError(mutated((j) => (j.document = null))).message).toBe('document: expected an object {neurons, nextId}, got null.');
  });

  it('refuses oversized text and node counts before the deep check', () => {
    const text = fixture('v1.json');
    expect(parseError(text, { maxChars: 1000 }).code).toBe('annotation-too-large');
    const e = parseError(text, { maxNodes: 13 });
    expect(e.code).toBe('annotation-too-large');
    // The fixture has 14 nodes, counted by hand: 3–6, 8, 9, 11, 13–15, 17, 18 in neuron 1; 21, 22 in neuron 19.
    expect(e.message).toBe('The annotation file holds 14 nodes; at most 13 are read.');
    expect(() => parseAnnotation(text, { maxNodes: 14 })).not.toThrow();
  });

  it('accepts a byte-order mark and ignores unknown extra fields', () => {
    const file = parseAnnotation('\uFEFF' + mutated((j) => (j.futureField = { a: 1 })));
    expect(serializeAnnotation(file)).toBe(fixture('v1.json'));
  });
});

describe('image identity', () => {
  const made: ImageIdentity = { fileName: 'cells_02.tif', byteSize: 8391168, sha256: '1a2b3c4d'.padEnd(64, '0'), width: 2048, height: 2048 };
  it('warns when the content hash differs, naming both images', () => {
    const open: ImageIdentity = { fileName: 'cells_03.tif', byteSize: 8391168, sha256: 'ffee0011'.padEnd(64, '0'), width: 2048, height: 1536 };
    expect(identityMismatch(made, open)).toBe(
      'These annotations were made on cells_02.tif (2048×2048, sha256 1a2b3c4d…), not on this image, cells_03.tif (2048×1536, sha256 ffee0011…).',
    );
  });
  it('is silent for the same content under another name, and for files without identity', () => {
    expect(identityMismatch(made, { ...made, fileName: 'renamed copy.tif' })).toBeNull();
    expect(identityMismatch(null, made)).toBeNull();
  });
  it('an identity survives the file round trip', () => {
    const file: AnnotationFile = newAnnotationFile(sampleDoc(), { appVersion: '1', image: made, now: new Date(0) });
    expect(parseAnnotation(serializeAnnotation(file)).image).toEqual(made);
  });
});

describe('annotation file: hostile structure stays linear', () => {
  /** One neuron whose branches (one node each) hang each on the previous one: branch depth = branch count. */
  const chain = (branches: number, cyclic: boolean): string => {
    let id = 2;
    const list = [];
    let prevNode = 0;
    for (let b = 0; b < branches; b++) {
      const bid = id++;
      const nid = id++;
      list.push({ id: bid, label: 'dendrite', parent: b === 0 ? { kind: 'soma' } : { kind: 'node', nodeId: prevNode }, nodes: [{ id: nid, x: b, y: 0, z: 0 }] });
      prevNode = nid;
    }
    if (cyclic) list[0].parent = { kind: 'node', nodeId: prevNode };
    const doc = { neurons: [{ id: 1, name: 'chain', color: '#ffd400', soma: null, branches: list }], nextId: id, calibration: null };
    return serializeAnnotation(newAnnotationFile(doc as never, { appVersion: 't', now: new Date(0) }));
  };

  it('a 50,000-branch chain parses and a 50,000-branch cycle is refused, each in seconds (a per-branch walk up the chain would take minutes)', () => {
    let t0 = performance.now();
    expect(parseAnnotation(chain(50_000, false)).document.neurons[0].branches).toHaveLength(50_000);
    expect(performance.now() - t0).toBeLessThan(10_000);
    t0 = performance.now();
    expect(parseError(chain(50_000, true)).message).toBe('document: Branch #2 is part of a cycle of branches.');
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('small cycles still get the full report of the model validator', () => {
    expect(parseError(chain(3, true)).message).toBe('document: Branch #2 is part of a cycle of branches (and 2 more problems).');
  });
});
