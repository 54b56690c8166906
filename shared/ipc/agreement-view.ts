import { z } from 'zod';
import type { AgreementMeasure } from '../analysis/agreement';

/**
 * What the Agreement view of a project shows. Images are named as the project view names them (their code while
 * blinded) and carry the renderer's image token, never a path; conditions are left out while blinded.
 */
export interface AgreementView {
  blinded: boolean;
  tracers: [string, string];
  /** Share asked for (0–1) and the seed of the pick. */
  share: number;
  seed: number;
  /** The current user's part: 'a' or 'b' when they are one of the tracers, else null. */
  you: 'a' | 'b' | null;
  images: Array<{ imageId: string; displayName: string; condition: string; tracedA: boolean; tracedB: boolean; pairs: number }>;
  measures: Array<{
    measure: AgreementMeasure;
    unit: string;
    n: number;
    icc: number | null;
    ciLow: number | null;
    ciHigh: number | null;
    p: number | null;
    bias: number | null;
    lower: number | null;
    upper: number | null;
    points: Array<{ mean: number; diff: number }>;
  }>;
  rows: Array<{
    imageId: string;
    displayName: string;
    match: 'both' | 'only_a' | 'only_b';
    neuronA: string;
    neuronB: string;
    unit: string;
    sd: number | null;
    ssd: number | null;
    pctSsd: number | null;
    /** B − A per measure; null for unpaired neurons. */
    diff: Record<AgreementMeasure, number> | null;
  }>;
  distances: Array<{ unit: string; pairs: number; meanSd: number; meanSsd: number; meanPctSsd: number }>;
  warnings: string[];
}

/** `project:assignAgreement`: share in percent and the two tracers' names (as they set them in Settings). */
export interface AssignAgreementRequest {
  sharePercent: number;
  tracers: [string, string];
}

const tracer = z.string().trim().min(1, 'name both tracers').max(100);
export const assignAgreementSchema = z.object({ sharePercent: z.number().finite().gt(0).max(100), tracers: z.tuple([tracer, tracer]) });
