/**
 * The on-disk shape of the current annotation format (version 1), as a zod schema. Every leaf carries the
 * sentence shown to the user ("expected …"); the reader adds the field path and the offending value.
 */
import { z } from 'zod';
import { CALIBRATION_SOURCE_NAMES } from '../../image/types';
import { normalizeState, READABLE_STATES, ROLES } from '../../review/status';

/** Node and soma coordinates are image px; anything beyond ±1e9 px is corruption, and would overflow lengths. */
export const MAX_COORDINATE = 1e9;
/** Longest name, comment or label accepted (characters). */
const MAX_TEXT = 100_000;

const finite = () => z.number({ error: 'expected a finite number' });
export const coord = () =>
  finite()
    .min(-MAX_COORDINATE, { error: 'expected a coordinate within ±1e9 px' })
    .max(MAX_COORDINATE, { error: 'expected a coordinate within ±1e9 px' });
const positive = () => finite().positive({ error: 'expected a positive number' }).max(1e12, { error: 'expected a number below 1e12' });
export const nonNegative = () => finite().min(0, { error: 'expected a number ≥ 0' }).max(1e12, { error: 'expected a number below 1e12' });
export const id = () =>
  z
    .number({ error: 'expected an integer id' })
    .int({ error: 'expected an integer id' })
    .min(1, { error: 'expected an id ≥ 1' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'expected an id below 2^53' });
export const text = (max = MAX_TEXT) => z.string({ error: 'expected text' }).max(max, { error: `expected at most ${max} characters` });
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const timestamp = () => z.string({ error: 'expected an ISO 8601 date-time' }).regex(ISO_8601, { error: 'expected an ISO 8601 date-time like 2025-03-01T14:05:00Z' });

/**
 * Big arrays (neurons, branches, nodes, outline points, comments) are declared as arrays of unknown here and their
 * items checked one by one by the reader, stopping at the first problem: zod reports every issue of an array, and a
 * hostile file with millions of bad items would otherwise cost millions of issue objects.
 */
export const items = (what: string) => z.array(z.unknown(), { error: `expected an array of ${what}` });

export const somaSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('point'), x: coord(), y: coord(), z: coord(), r: nonNegative().optional() }),
    z.object({ kind: z.literal('polygon'), points: items('{x, y} points'), z: coord() }),
  ],
  { error: `expected a soma {kind: "point" | "polygon", …} or null` },
);

const branchParent = z.discriminatedUnion(
  'kind',
  [z.object({ kind: z.literal('soma') }), z.object({ kind: z.literal('none') }), z.object({ kind: z.literal('node'), nodeId: id() })],
  { error: `expected {kind: "soma" | "node" | "none"}` },
);

/** A branch without checking its nodes (checkNode does, item by item). */
export const branchHeaderSchema = z.object(
  {
    id: id(),
    label: text(1000).regex(/^(dendrite|apical|axon|undefined|custom:.+)$/, { error: 'expected dendrite, apical, axon, undefined or custom:NAME' }),
    parent: branchParent,
    nodes: items('nodes'),
  },
  { error: 'expected a branch {id, label, parent, nodes}' },
);

/** Provenance of an automatically traced neuron (optional; files without it are as valid as before). */
const autoProvenanceSchema = z.object(
  {
    tracer: text(200),
    parameters: z.record(z.string().max(200), z.union([z.number(), text(1000), z.boolean(), z.null()]), { error: 'expected an object of settings' }),
    branches: z.array(z.object({ branchId: id(), signature: z.string().regex(/^[0-9a-f]{8}$/, { error: 'expected 8 hex digits' }) }), { error: 'expected an array of {branchId, signature}' }).max(5_000_000),
  },
  { error: 'expected {tracer, parameters, branches}' },
);

/** A neuron without checking its branches. */
export const neuronHeaderSchema = z.object(
  {
    id: id(),
    name: text(10_000),
    color: z.string({ error: 'expected a colour like #ffd400' }).regex(/^#[0-9a-fA-F]{6}$/, { error: 'expected a colour like #ffd400' }),
    soma: somaSchema.nullable(),
    branches: items('branches'),
    auto: autoProvenanceSchema.optional(),
  },
  { error: 'expected a neuron {id, name, color, soma, branches}' },
);

const replyFields = { author: text(1000), role: z.enum(ROLES, { error: `expected one of ${ROLES.join(', ')}` }).optional(), text: text(), at: timestamp() };

export const commentSchema = z.object(
  {
    ...replyFields,
    id: text(200).optional(),
    anchor: z.object({ x: coord(), y: coord(), nodeId: id().optional() }, { error: 'expected an anchor {x, y} in image px' }).optional(),
    replies: z.array(z.object(replyFields, { error: 'expected a reply {author, text, at}' }), { error: 'expected an array of replies' }).max(10_000).optional(),
    resolved: z.boolean({ error: 'expected true or false' }).optional(),
    resolvedBy: text(1000).optional(),
    resolvedAt: timestamp().optional(),
  },
  { error: 'expected a comment {author, text, at}' },
);

const state = () =>
  z.enum(READABLE_STATES as [string, ...string[]], { error: `expected one of ${READABLE_STATES.join(', ')}` }).transform(normalizeState);

export const calibrationSchema = z.object({
  pixelWidth: positive(),
  pixelHeight: positive(),
  voxelDepth: positive().optional(),
  unit: z.literal('µm', { error: 'expected "µm" (other units are converted on import)' }),
  source: z.enum(CALIBRATION_SOURCE_NAMES, { error: `expected one of ${CALIBRATION_SOURCE_NAMES.join(', ')}` }),
}, { error: 'expected an object {pixelWidth, pixelHeight, unit, source} or null' });

/** Version 1 as written to disk, down to the neuron and comment lists (checked item by item by the reader). */
export const annotationV1Schema = z.object({
  format: z.literal('ramify-annotation', { error: 'expected "ramify-annotation"' }),
  version: z.literal(1, { error: 'expected 1' }),
  app: z.object({ name: text(200), version: text(200) }, { error: 'expected an object {name, version}' }),
  image: z
    .object(
      {
        fileName: text(4096),
        byteSize: z.number({ error: 'expected a byte count' }).int({ error: 'expected a byte count' }).min(0, { error: 'expected a byte count' }).max(Number.MAX_SAFE_INTEGER, { error: 'expected a byte count' }),
        sha256: z.string({ error: 'expected 64 hex digits' }).regex(/^[0-9a-f]{64}$/, { error: 'expected 64 lowercase hex digits' }),
        width: z.number({ error: 'expected a width in px' }).int({ error: 'expected a width in px' }).min(1, { error: 'expected a width ≥ 1 px' }).max(2 ** 32, { error: 'expected a width below 2^32 px' }),
        height: z.number({ error: 'expected a height in px' }).int({ error: 'expected a height in px' }).min(1, { error: 'expected a height ≥ 1 px' }).max(2 ** 32, { error: 'expected a height below 2^32 px' }),
      },
      { error: 'expected an object {fileName, byteSize, sha256, width, height} or null' },
    )
    .nullable(),
  calibration: calibrationSchema.nullable(),
  document: z.object(
    {
      neurons: items('neurons'),
      nextId: z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }).min(1, { error: 'expected an integer ≥ 1' }).max(Number.MAX_SAFE_INTEGER, { error: 'expected an integer below 2^53' }),
    },
    { error: 'expected an object {neurons, nextId}' },
  ),
  review: z.object(
    {
      status: state(),
      reason: text(1000).optional(),
      reviewer: text(1000).optional(),
      reviewedAt: timestamp().optional(),
      neurons: z.array(z.object({ neuronId: id(), status: state(), reason: text(1000) }, { error: 'expected {neuronId, status, reason}' })).max(100_000).optional(),
      comments: items('comments'),
      author: text(1000),
      createdAt: timestamp(),
      modifiedAt: timestamp(),
    },
    { error: 'expected an object {status, comments, author, createdAt, modifiedAt}' },
  ),
  shollSettings: z
    .object({ start: nonNegative(), step: positive(), end: nonNegative().nullable() }, { error: 'expected an object {start, step, end}' })
    .optional(),
  /** Save summaries and the geometry as last reviewed (optional; checked by readHistory in history-schema.ts). */
  history: z.unknown().optional(),
});

/** A problem found by the hand-written item checks: the field (relative to the item) and the sentence. */
export interface ItemProblem {
  field: string | null;
  message: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkCoord(v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'expected a finite number';
  if (v < -MAX_COORDINATE || v > MAX_COORDINATE) return 'expected a coordinate within ±1e9 px';
  return null;
}

function checkId(v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isInteger(v)) return 'expected an integer id';
  if (v < 1) return 'expected an id ≥ 1';
  if (v > Number.MAX_SAFE_INTEGER) return 'expected an id below 2^53';
  return null;
}

function checkRadius(v: unknown): string | null {
  if (typeof v !== 'number' || !Number.isFinite(v)) return 'expected a finite number';
  if (v < 0) return 'expected a number ≥ 0';
  if (v > 1e12) return 'expected a number below 1e12';
  return null;
}

/**
 * Checks one trace node by hand (same rules and sentences as the schemas; nodes are most of a file, and this is
 * several times faster than zod). Returns the problem, or the node with only its known fields.
 */
export function checkNode(v: unknown): ItemProblem | { id: number; x: number; y: number; z: number; r?: number } {
  if (!isPlainObject(v)) return { field: null, message: 'expected a node {id, x, y, z}' };
  let m = checkId(v.id);
  if (m) return { field: 'id', message: m };
  for (const k of ['x', 'y', 'z'] as const) if ((m = checkCoord(v[k]))) return { field: k, message: m };
  if (v.r !== undefined && (m = checkRadius(v.r))) return { field: 'r', message: m };
  const node = { id: v.id as number, x: v.x as number, y: v.y as number, z: v.z as number };
  return v.r === undefined ? node : { ...node, r: v.r as number };
}

/** Checks one soma outline vertex; see checkNode. */
export function checkPoint(v: unknown): ItemProblem | { x: number; y: number } {
  if (!isPlainObject(v)) return { field: null, message: 'expected a point {x, y}' };
  let m: string | null;
  for (const k of ['x', 'y'] as const) if ((m = checkCoord(v[k]))) return { field: k, message: m };
  return { x: v.x as number, y: v.y as number };
}
