import { z } from 'zod';

/** Folder (inside the project) of the agreement tracers' files; names are random so they say nothing about the image. */
export const AGREEMENT_DIR = 'annotations/agreement';

const tracerName = z.string().trim().min(1).max(100);

export const agreementSchema = z.object({
  /** Share of the project's images asked for (0–1]. */
  share: z.number().positive().max(1),
  /** Seed of the shuffle that picked the images (uint32), so the pick can be reproduced. */
  seed: z.number().int().nonnegative(),
  tracers: z.tuple([tracerName, tracerName]).refine((t) => t[0] !== t[1], { message: 'must be two different people' }),
  /** ISO 8601 time of the assignment. */
  assigned: z.string(),
  /** Picked images in project order. */
  imageIds: z.array(z.string()),
  /** imageId → tracer → annotation file relative to the project folder (present once the tracer has saved). */
  files: z.record(z.string(), z.record(z.string(), z.string().regex(/^annotations\/agreement\/[a-z0-9]+\.ramify\.json$/))),
});

export type AgreementAssignment = z.infer<typeof agreementSchema>;

