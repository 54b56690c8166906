import { describe, expect, it } from 'vitest';
import type { AnnotationDocument, Neuron } from '../../../shared/model/document';
import { appendEntry, entriesForNeuron, historyEntry, MAX_HISTORY_ENTRIES, neuronCounts, recordSave, snapshotDocument, snapshotOf, type HistoryEntry } from '../../../shared/review/history';
import { diffDocuments } from '../../../shared/model/diff';
import { describeChange } from '../../../shared/review/history-describe';
import { historyJson, readHistory } from '../../../shared/formats/annotation/history-schema';
import { br, n, onNode, SOMA } from '../actions/sample-doc';

/**
 * Soma at (0,0); path 2 from the soma: 3 (10,0), 4 (20,0), 5 (30,0); path 6 on node 4: 7 (20,10).
 * By hand: 1 primary dendrite, 1 branch point (node 4), 2 tips, dendritic length 10 + 10 + 10 = 30 px (the stem
 * 0→10 is not dendrite). Sholl shells at r = 21 and 22 px: the main path crosses each once, path 6 (from 20 to
 * √500 ≈ 22.36 px from the soma) crosses each once: Nmax = 2.
 */
function neuron(): Neuron {
  return { id: 1, name: 'Cell 1', color: '#ffd400', soma: { kind: 'point', x: 0, y: 0, z: 0 }, branches: [br(2, SOMA, [n(3, 10, 0), n(4, 20, 0), n(5, 30, 0)]), br(6, onNode(4), [n(7, 20, 10)])] };
}
const doc = (...neurons: Neuron[]): AnnotationDocument => ({ neurons, nextId: 20, calibration: null });
const SHOLL = { start: 21, step: 1, end: 22 };
const TINA = { userName: 'Tina', role: 'tracer' as const };

describe('neuronCounts (hand-counted tree above)', () => {
  it('px without calibration', () => {
    expect(neuronCounts(neuron(), null, SHOLL)).toEqual({ primaryDendrites: 1, branchPoints: 1, tips: 2, totalLength: 30, unit: 'px', nmax: 2 });
  });
  it('µm with 0.5 µm/px: 15 µm, shells at 10.5 and 11 µm are the same 21 and 22 px', () => {
    const cal = { pixelWidth: 0.5, pixelHeight: 0.5, unit: 'µm' as const, source: 'user' as const };
    expect(neuronCounts(neuron(), cal, { start: 10.5, step: 0.5, end: 11 })).toEqual({ primaryDendrites: 1, branchPoints: 1, tips: 2, totalLength: 15, unit: 'µm', nmax: 2 });
  });
});

describe('historyEntry', () => {
  it('a branch added on node 3 and path 6 deleted: counts before → after, nodes and branches by number', () => {
    const after = neuron();
    after.branches = [after.branches[0], br(8, onNode(3), [n(9, 10, -10)])];
    const e = historyEntry(doc(neuron()), doc(after), TINA, '2026-11-30T23:00:00.000Z', SHOLL)!;
    // After: path 8 on node 3 adds a branch point there; path 6 is gone, so node 4 is a plain node. Length 10+10+10.
    expect(e).toEqual({
      at: '2026-11-30T23:00:00.000Z',
      by: 'Tina',
      role: 'tracer',
      neurons: [
        {
          neuronId: 1,
          name: 'Cell 1',
          change: 'changed',
          nodes: { added: 1, removed: 1, moved: 0 },
          branches: { added: 1, removed: 1, changed: 0 },
          before: { primaryDendrites: 1, branchPoints: 1, tips: 2, totalLength: 30, unit: 'px', nmax: 2 },
          // Shells at 21 and 22 px now meet only the main path.
          after: { primaryDendrites: 1, branchPoints: 1, tips: 2, totalLength: 30, unit: 'px', nmax: 1 },
        },
      ],
    });
  });

  it('no entry when nothing changed; a new pixel size lists every neuron with its lengths before and after', () => {
    expect(historyEntry(doc(neuron()), doc(neuron()), TINA, '2026-11-30T23:00:00Z', SHOLL)).toBeNull();
    const cal = { pixelWidth: 2, pixelHeight: 2, unit: 'µm' as const, source: 'user' as const };
    const e = historyEntry(doc(neuron()), { ...doc(neuron()), calibration: cal }, TINA, '2026-11-30T23:00:00Z')!;
    expect(e.calibrationChanged).toBe(true);
    expect(e.neurons.map((c) => [c.before?.totalLength, c.before?.unit, c.after?.totalLength, c.after?.unit])).toEqual([[30, 'px', 60, 'µm']]);
  });
});

describe('names and colours in the history', () => {
  const COUNTS = { primaryDendrites: 1, branchPoints: 1, tips: 2, totalLength: 30, unit: 'px' as const, nmax: 2 };
  const untouched = { nodes: { added: 0, removed: 0, moved: 0 }, branches: { added: 0, removed: 0, changed: 0 }, before: COUNTS, after: COUNTS };

  it('a rename alone is an entry: the old and new name, counts unchanged', () => {
    const before = { ...neuron(), name: 'Neuron 1' };
    const after = { ...neuron(), name: 'CA1 pyramidal' };
    expect(historyEntry(doc(before), doc(after), TINA, '2026-11-30T23:00:00.000Z', SHOLL)).toEqual({
      at: '2026-11-30T23:00:00.000Z',
      by: 'Tina',
      role: 'tracer',
      neurons: [{ neuronId: 1, name: 'CA1 pyramidal', change: 'changed', ...untouched, renamed: { from: 'Neuron 1', to: 'CA1 pyramidal' } }],
    });
  });

  it('a new colour alone is an entry; a colour in other letter case is not', () => {
    const after = { ...neuron(), color: '#0072b2' };
    expect(historyEntry(doc(neuron()), doc(after), TINA, '2026-11-30T23:00:00.000Z', SHOLL)!.neurons).toEqual([
      { neuronId: 1, name: 'Cell 1', change: 'changed', ...untouched, recoloured: { from: '#ffd400', to: '#0072b2' } },
    ]);
    expect(historyEntry(doc(neuron()), doc({ ...neuron(), color: '#FFD400' }), TINA, '2026-11-30T23:00:00.000Z', SHOLL)).toBeNull();
  });

  it('renamed, recoloured and a path deleted in one save: one change with all three; only the renamed neuron of two is listed', () => {
    const other: Neuron = { ...neuron(), id: 10, name: 'Cell 2', branches: [br(11, SOMA, [n(12, 5, 5)])] };
    const after = { ...neuron(), name: 'CA1 pyramidal', color: '#0072b2' };
    after.branches = [after.branches[0]];
    const e = historyEntry(doc(neuron(), other), doc(after, other), TINA, '2026-11-30T23:00:00.000Z', SHOLL)!;
    expect(e.neurons).toEqual([
      {
        neuronId: 1,
        name: 'CA1 pyramidal',
        change: 'changed',
        nodes: { added: 0, removed: 1, moved: 0 },
        branches: { added: 0, removed: 1, changed: 0 },
        renamed: { from: 'Cell 1', to: 'CA1 pyramidal' },
        recoloured: { from: '#ffd400', to: '#0072b2' },
        before: COUNTS,
        // One path from the soma: no branch point, one tip, 10 + 10 px beyond the stem; shells at 21, 22 px meet it once.
        after: { primaryDendrites: 1, branchPoints: 0, tips: 1, totalLength: 20, unit: 'px', nmax: 1 },
      },
    ]);
    expect(describeChange(e.neurons[0], e)).toBe("−1 path, −1 node, renamed 'Cell 1' → 'CA1 pyramidal', colour changed");
  });

  it("the panel's sentence of a rename and of a new colour", () => {
    const change = { neuronId: 1, name: 'CA1 pyramidal', change: 'changed' as const, ...untouched };
    expect(describeChange({ ...change, renamed: { from: 'Neuron 1', to: 'CA1 pyramidal' } }, {})).toBe("renamed 'Neuron 1' → 'CA1 pyramidal'");
    expect(describeChange({ ...change, recoloured: { from: '#ffd400', to: '#0072b2' } }, {})).toBe('colour changed');
  });

  it('written to the file and read back with the rename and the colours', () => {
    const e = historyEntry(doc(neuron()), doc({ ...neuron(), name: 'CA1 pyramidal', color: '#0072b2' }), TINA, '2026-11-30T23:00:00.000Z', SHOLL)!;
    const json = JSON.parse(JSON.stringify(historyJson({ entries: [e] })));
    expect(json.entries[0].neurons[0]).toMatchObject({ renamed: { from: 'Cell 1', to: 'CA1 pyramidal' }, recoloured: { from: '#ffd400', to: '#0072b2' } });
    const fail = (path: PropertyKey[], message: string): never => {
      throw new Error(`${path.join('.')}: ${message}`);
    };
    expect(readHistory(json, ['history'], fail)).toEqual({ entries: [e] });
    json.entries[0].neurons[0].renamed = { from: 'Cell 1' };
    expect(() => readHistory(json, ['history'], fail)).toThrow(/^history\.entries\.0\.neurons\.0\.renamed\.to: /);
  });

  it('the reviewed snapshot (no names kept) is still compared by geometry only', () => {
    const d = doc({ ...neuron(), name: 'CA1 pyramidal' });
    expect(diffDocuments(snapshotDocument(snapshotOf(d, '2026-11-30T23:02:00Z', 'Pia')), d)).toEqual({ neurons: [], calibrationChanged: false });
  });
});

describe('recordSave and the bounded history', () => {
  const version = (d: AnnotationDocument, reviewedAt?: string) => ({ document: d, review: reviewedAt ? { reviewer: 'Pia', reviewedAt } : {}, shollSettings: { ...SHOLL } });

  it('first save: the neuron added from nothing; an unchanged re-save adds nothing; an approval keeps a snapshot', () => {
    const first = recordSave(null, version(doc(neuron())), TINA, '2026-11-30T23:00:00Z')!;
    expect(first.entries).toHaveLength(1);
    expect(first.entries[0].neurons[0]).toMatchObject({ change: 'added', nodes: { added: 4, removed: 0, moved: 0 }, branches: { added: 2 }, soma: 'added', before: null, after: { tips: 2 } });
    const saved = { ...version(doc(neuron())), history: first };
    expect(recordSave(saved, version(doc(neuron())), TINA, '2026-11-30T23:01:00Z')).toBe(first);

    const approved = recordSave(saved, version(doc(neuron()), '2026-11-30T23:02:00Z'), { userName: 'Pia', role: 'reviewer' }, '2026-11-30T23:02:00Z')!;
    expect(approved.entries).toEqual(first.entries);
    expect(approved.reviewed).toEqual({
      at: '2026-11-30T23:02:00Z',
      by: 'Pia',
      neurons: [{ id: 1, soma: [0, 0, 0], branches: [
        { id: 2, label: 'dendrite', parent: { kind: 'soma' }, nodes: [3, 10, 0, 0, 4, 20, 0, 0, 5, 30, 0, 0] },
        { id: 6, label: 'dendrite', parent: { kind: 'node', nodeId: 4 }, nodes: [7, 20, 10, 0] },
      ] }],
    });
    // The same approval saved again (e.g. with a comment) does not replace the snapshot.
    const later = neuron();
    later.branches[0].nodes[2].x = 35;
    const again = recordSave({ ...version(doc(later), '2026-11-30T23:02:00Z'), history: approved }, version(doc(later), '2026-11-30T23:02:00Z'), TINA, '2026-11-30T23:03:00Z')!;
    expect(again.reviewed).toBe(approved.reviewed);
  });

  it('a snapshot read back is the document as reviewed (no change between them)', () => {
    const d = doc(neuron());
    const back = snapshotDocument(snapshotOf(d, '2026-11-30T23:02:00Z', 'Pia'));
    expect(diffDocuments(d, back)).toEqual({ neurons: [], calibrationChanged: false });
    expect(back.nextId).toBe(8);
  });

  it(`keeps the last ${MAX_HISTORY_ENTRIES} entries and counts the dropped ones`, () => {
    const entry = (i: number): HistoryEntry => ({ at: `2026-11-30T23:00:00.${String(i).padStart(3, '0')}Z`, by: 'x', neurons: [] });
    let h = undefined as ReturnType<typeof appendEntry> | undefined;
    for (let i = 0; i < MAX_HISTORY_ENTRIES + 3; i++) h = appendEntry(h, entry(i));
    expect(h!.entries).toHaveLength(MAX_HISTORY_ENTRIES);
    expect(h!.dropped).toBe(3);
    expect(h!.entries[0].at).toBe(entry(3).at);
  });

  it('entriesForNeuron lists only the entries that changed that neuron, newest first', () => {
    const two: Neuron = { ...neuron(), id: 10, name: 'Cell 2', branches: [br(11, SOMA, [n(12, 5, 5)])] };
    const h1 = recordSave(null, version(doc(neuron())), TINA, '2026-11-30T23:00:00Z')!;
    const h2 = recordSave({ ...version(doc(neuron())), history: h1 }, version(doc(neuron(), two)), TINA, '2026-11-30T23:05:00Z')!;
    expect(entriesForNeuron(h2, 10).map((e) => e.entry.at)).toEqual(['2026-11-30T23:05:00Z']);
    expect(entriesForNeuron(h2, 1).map((e) => e.entry.at)).toEqual(['2026-11-30T23:00:00Z']);
  });
});
