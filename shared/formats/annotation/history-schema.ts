/**
 * The optional "history" of an annotation file (version 1; files without it read as before): save summaries and the
 * geometry as last reviewed (shared/review/history.ts). Checked like the rest of the file: the first problem is
 * reported with its field path; the snapshot's flat node arrays are checked by hand, item by item.
 */
import { z } from 'zod';
import type { FileHistory, ReviewedSnapshot, SnapshotNeuron } from '../../review/history';
import { ROLES } from '../../review/status';
import { branchHeaderSchema, checkNode, coord, id, items, nonNegative, text, timestamp } from './schema';

const count = () => z.number({ error: 'expected a count' }).int({ error: 'expected a count' }).min(0, { error: 'expected a count ≥ 0' }).max(Number.MAX_SAFE_INTEGER, { error: 'expected a count below 2^53' });

const countsSchema = z.object(
  { primaryDendrites: count(), branchPoints: count(), tips: count(), totalLength: nonNegative(), unit: z.enum(['µm', 'px'], { error: 'expected µm or px' }), nmax: count().nullable() },
  { error: 'expected counts {primaryDendrites, branchPoints, tips, totalLength, unit, nmax} or null' },
);

const added = () => ({ added: count(), removed: count() });

const fromTo = (what: string, max: number) => z.object({ from: text(max), to: text(max) }, { error: `expected the ${what} before and after {from, to}` }).optional();

const neuronChangeSchema = z.object(
  {
    neuronId: id(),
    name: text(10_000),
    change: z.enum(['added', 'removed', 'changed'], { error: 'expected added, removed or changed' }),
    nodes: z.object({ ...added(), moved: count() }, { error: 'expected {added, removed, moved}' }),
    branches: z.object({ ...added(), changed: count() }, { error: 'expected {added, removed, changed}' }),
    soma: z.enum(['added', 'removed', 'moved'], { error: 'expected added, removed or moved' }).optional(),
    renamed: fromTo('name', 10_000),
    recoloured: fromTo('colour', 100),
    before: countsSchema.nullable(),
    after: countsSchema.nullable(),
  },
  { error: 'expected a neuron change {neuronId, name, change, nodes, branches, before, after}' },
);

const entrySchema = z.object(
  {
    at: timestamp(),
    by: text(1000),
    role: z.enum(ROLES, { error: `expected one of ${ROLES.join(', ')}` }).optional(),
    calibrationChanged: z.boolean({ error: 'expected true or false' }).optional(),
    neurons: z.array(neuronChangeSchema, { error: 'expected an array of neuron changes' }).max(100_000),
  },
  { error: 'expected a history entry {at, by, neurons}' },
);

const historySchema = z.object(
  {
    entries: z.array(entrySchema, { error: 'expected an array of history entries' }).max(100_000),
    dropped: count().optional(),
    reviewed: z.object({ at: timestamp(), by: text(1000), neurons: items('neurons as reviewed') }, { error: 'expected {at, by, neurons}' }).optional(),
  },
  { error: 'expected a history {entries}' },
);

const snapshotNeuronSchema = z.object(
  {
    id: id(),
    soma: z.tuple([coord(), coord(), coord()], { error: 'expected a soma centre [x, y, z] or null' }).nullable(),
    branches: items('branches'),
  },
  { error: 'expected a neuron {id, soma, branches}' },
);

type Fail = (path: PropertyKey[], message: string) => never;

function first<T>(schema: z.ZodType<T>, value: unknown, at: PropertyKey[], fail: Fail): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  return fail([...at, ...issue.path], issue.message);
}

const FIELDS = ['id', 'x', 'y', 'z'] as const;

/** Checks a file's "history" (at path `at`); `fail` throws with the field path and the sentence. */
export function readHistory(value: unknown, at: PropertyKey[], fail: Fail): FileHistory {
  const h = first(historySchema, value, at, fail);
  const out: FileHistory = { entries: h.entries.map((e) => ({ ...e, neurons: e.neurons.map((c) => ({ ...c })) })) };
  if (h.dropped) out.dropped = h.dropped;
  if (h.reviewed) {
    const neurons: SnapshotNeuron[] = h.reviewed.neurons.map((raw, i) => {
      const nat = [...at, 'reviewed', 'neurons', i];
      const n = first(snapshotNeuronSchema, raw, nat, fail);
      const branches = n.branches.map((rawBranch, j) => {
        const bat = [...nat, 'branches', j];
        const b = first(branchHeaderSchema, rawBranch, bat, fail);
        if (b.nodes.length % 4 !== 0) fail([...bat, 'nodes'], 'expected [id, x, y, z] repeated');
        for (let k = 0; k < b.nodes.length; k += 4) {
          const node = checkNode({ id: b.nodes[k], x: b.nodes[k + 1], y: b.nodes[k + 2], z: b.nodes[k + 3] });
          if ('message' in node) fail([...bat, 'nodes', k + Math.max(0, FIELDS.indexOf(node.field as (typeof FIELDS)[number]))], node.message);
        }
        return { id: b.id, label: b.label as SnapshotNeuron['branches'][number]['label'], parent: b.parent, nodes: b.nodes as number[] };
      });
      return { id: n.id, soma: n.soma, branches };
    });
    out.reviewed = { at: h.reviewed.at, by: h.reviewed.by, neurons } satisfies ReviewedSnapshot;
  }
  return out;
}

const countsJson = (c: NonNullable<FileHistory['entries'][number]['neurons'][number]['before']>) => ({
  primaryDendrites: c.primaryDendrites,
  branchPoints: c.branchPoints,
  tips: c.tips,
  totalLength: c.totalLength,
  unit: c.unit,
  nmax: c.nmax,
});

/** The on-disk JSON of a history, keys in canonical order. */
export function historyJson(h: FileHistory): Record<string, unknown> {
  return {
    entries: h.entries.map((e) => ({
      at: e.at,
      by: e.by,
      ...(e.role ? { role: e.role } : {}),
      ...(e.calibrationChanged ? { calibrationChanged: true } : {}),
      neurons: e.neurons.map((c) => ({
        neuronId: c.neuronId,
        name: c.name,
        change: c.change,
        nodes: { added: c.nodes.added, removed: c.nodes.removed, moved: c.nodes.moved },
        branches: { added: c.branches.added, removed: c.branches.removed, changed: c.branches.changed },
        ...(c.soma ? { soma: c.soma } : {}),
        ...(c.renamed ? { renamed: { from: c.renamed.from, to: c.renamed.to } } : {}),
        ...(c.recoloured ? { recoloured: { from: c.recoloured.from, to: c.recoloured.to } } : {}),
        before: c.before && countsJson(c.before),
        after: c.after && countsJson(c.after),
      })),
    })),
    ...(h.dropped ? { dropped: h.dropped } : {}),
    ...(h.reviewed
      ? {
          reviewed: {
            at: h.reviewed.at,
            by: h.reviewed.by,
            neurons: h.reviewed.neurons.map((n) => ({
              id: n.id,
              soma: n.soma && [n.soma[0], n.soma[1], n.soma[2]],
              branches: n.branches.map((b) => ({ id: b.id, label: b.label, parent: b.parent.kind === 'node' ? { kind: 'node', nodeId: b.parent.nodeId } : { kind: b.parent.kind }, nodes: b.nodes.slice() })),
            })),
          },
        }
      : {}),
  };
}
