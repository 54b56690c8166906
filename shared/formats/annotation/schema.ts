/**
 * The on-disk shape of the current annotation format (version 1), as a zod schema. Every leaf carries the
 * sentence shown to the user ("expected …"); the reader adds the field path and the offending value.
 */
import { z } from 'zod';
import { REVIEW_STATUSES } from './types';

/** Node and soma coordinates are image px; anything beyond ±1e9 px is corruption, and would overflow lengths. */
export const MAX_COORDINATE = 1e9;
/** Longest name, comment or label accepted (characters). */
const MAX_TEXT = 100_000;

const finite = () => z.number({ error: 'expected a finite number' });
const coord = () =>
  finite()
    .min(-MAX_COORDINATE, { error: 'expected a coordinate within ±1e9 px' })
    .max(MAX_COORDINATE, { error: 'expected a coordinate within ±1e9 px' });
const positive = () => finite().positive({ error: 'expected a positive number' }).max(1e12, { error: 'expected a number below 1e12' });
const nonNegative = () => finite().min(0, { error: 'expected a number ≥ 0' }).max(1e12, { error: 'expected a number below 1e12' });
const id = () =>
  z
    .number({ error: 'expected an integer id' })
    .int({ error: 'expected an integer id' })
    .min(1, { error: 'expected an id ≥ 1' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'expected an id below 2^53' });
const text = (max = MAX_TEXT) => z.string({ error: 'expected text' }).max(max, { error: `expected at most ${max} characters` });
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const timestamp = () => z.string({ error: 'expected an ISO 8601 date-time' }).regex(ISO_8601, { error: 'expected an ISO 8601 date-time like 2025-03-01T14:05:00Z' });

const node = z.object({ id: id(), x: coord(), y: coord(), z: coord(), r: nonNegative().optional() });

const soma = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('point'), x: coord(), y: coord(), z: coord(), r: nonNegative().optional() }),
    z.object({
      kind: z.literal('polygon'),
      points: z.array(z.object({ x: coord(), y: coord() }), { error: 'expected an array of {x, y} points' }),
      z: coord(),
    }),
  ],
  { error: `expected a soma {kind: "point" | "polygon", …} or null` },
);

const branchParent = z.discriminatedUnion(
  'kind',
  [z.object({ kind: z.literal('soma') }), z.object({ kind: z.literal('none') }), z.object({ kind: z.literal('node'), nodeId: id() })],
  { error: `expected {kind: "soma" | "node" | "none"}` },
);

const branch = z.object({
  id: id(),
  label: text(1000).regex(/^(dendrite|apical|axon|undefined|custom:.+)$/, { error: 'expected dendrite, apical, axon, undefined or custom:NAME' }),
  parent: branchParent,
  nodes: z.array(node, { error: 'expected an array of nodes' }),
});

const neuron = z.object({
  id: id(),
  name: text(10_000),
  color: z.string({ error: 'expected a colour like #ffd400' }).regex(/^#[0-9a-fA-F]{6}$/, { error: 'expected a colour like #ffd400' }),
  soma: soma.nullable(),
  branches: z.array(branch, { error: 'expected an array of branches' }),
});

export const calibrationSchema = z.object({
  pixelWidth: positive(),
  pixelHeight: positive(),
  voxelDepth: positive().optional(),
  unit: z.literal('µm', { error: 'expected "µm" (other units are converted on import)' }),
  source: z.enum(['imagej', 'ome', 'resolution', 'user'], { error: 'expected one of imagej, ome, resolution, user' }),
}, { error: 'expected an object {pixelWidth, pixelHeight, unit, source} or null' });

/** Version 1 as written to disk: the document without its calibration (that is the envelope's). */
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
      neurons: z.array(neuron, { error: 'expected an array of neurons' }),
      nextId: z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }).min(1, { error: 'expected an integer ≥ 1' }).max(Number.MAX_SAFE_INTEGER, { error: 'expected an integer below 2^53' }),
    },
    { error: 'expected an object {neurons, nextId}' },
  ),
  review: z.object(
    {
      status: z.enum(REVIEW_STATUSES as [string, ...string[]], { error: `expected one of ${REVIEW_STATUSES.join(', ')}` }),
      comments: z.array(z.object({ author: text(1000), text: text(), at: timestamp() }), { error: 'expected an array of comments' }),
      author: text(1000),
      createdAt: timestamp(),
      modifiedAt: timestamp(),
    },
    { error: 'expected an object {status, comments, author, createdAt, modifiedAt}' },
  ),
  shollSettings: z
    .object({ start: nonNegative(), step: positive(), end: nonNegative().nullable() }, { error: 'expected an object {start, step, end}' })
    .optional(),
});

export type AnnotationV1OnDisk = z.infer<typeof annotationV1Schema>;
