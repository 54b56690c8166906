import { z } from 'zod';
import { CALIBRATION_SOURCE_NAMES } from '../image/types';
import { RamifyError } from '../result';
import { agreementSchema, type AgreementAssignment } from './agreement-schema';
import { normalizeState, READABLE_STATES, type ReviewState } from '../review/status';

/**
 * The project file `ramify-project.json`: a folder of images, their experimental metadata, tracing status and the
 * settings every image of the project shares. Paths are relative to the project folder with '/' separators, so a
 * project survives being moved, copied or opened on another OS.
 */
export const PROJECT_FILE_NAME = 'ramify-project.json';
export const PROJECT_FORMAT = 'ramify-project';
export const PROJECT_VERSION = 1;
/** Folder (inside the project) holding one annotation file per image. */
export const ANNOTATIONS_DIR = 'annotations';
/** Folders the image scan never enters: the project's own data and typical export folders. */
export const PROJECT_OWN_DIRS = [ANNOTATIONS_DIR, 'exports', 'export'] as const;

/** An image's status is the one tracing-and-review state (shared/review/status.ts); older names are read as these. */
export type ImageStatus = ReviewState;

const calibrationSchema = z.object({
  pixelWidth: z.number().positive(),
  pixelHeight: z.number().positive(),
  voxelDepth: z.number().positive().optional(),
  unit: z.literal('µm'),
  source: z.enum(CALIBRATION_SOURCE_NAMES),
});

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:/.test(p) && !p.includes('\\') && !p.split('/').includes('..'), {
    message: "must be a relative path inside the project with '/' separators",
  });

const channelIndex = z.number().int().min(0).max(1023);

const imageSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]+$/, 'must contain only letters, digits, - and _'),
  path: relativePath,
  status: z.enum(READABLE_STATES as [string, ...string[]]).transform(normalizeState),
  reason: z.string().max(1000).optional(),
  metadata: z.record(z.string(), z.string()),
  width: z.number().int().nonnegative().nullable(),
  height: z.number().int().nonnegative().nullable(),
  calibration: calibrationSchema.nullable(),
  annotation: relativePath.nullable(),
  neuronCount: z.number().int().nonnegative(),
  toCheck: z.literal(true).optional(),
});

const projectSchema = z.object({
  format: z.literal(PROJECT_FORMAT),
  version: z.literal(PROJECT_VERSION),
  name: z.string(),
  created: z.string(),
  modified: z.string(),
  nextImageNumber: z.number().int().positive(),
  columns: z.array(z.string().min(1)).refine((c) => c[0] === 'condition' && new Set(c).size === c.length, {
    message: "must start with 'condition' and have no duplicates",
  }),
  conditions: z.array(z.string()),
  images: z.array(imageSchema),
  sholl: z.object({ start: z.number().nonnegative(), step: z.number().positive(), end: z.number().positive().nullable() }),
  display: z.object({ channels: z.array(z.object({ min: z.number(), max: z.number(), color: z.string().regex(/^#[0-9a-fA-F]{6}$/) })) }).nullable(),
  blinding: z.object({ enabled: z.boolean(), seed: z.number().int().nonnegative(), key: z.record(z.string(), z.string()) }),
  agreement: agreementSchema.optional(),
  tracing: z.object({ channel: channelIndex, nucleusChannel: channelIndex.nullable(), minBranchUm: z.number().min(0).max(1000) }).optional(),
});

/** One image of the project. */
export interface ProjectImage {
  /** Stable id (never the path): `img-0001`, … from the project's counter; names annotation files. */
  id: string;
  /** Relative to the project folder, '/' separators. */
  path: string;
  /**
   * Tracing and review state, cached from the image's annotation file at each save (the file is the truth once it
   * exists); excluded images are left out of exports and progress totals.
   */
  status: ImageStatus;
  /** Why the image is excluded. */
  reason?: string;
  /** Metadata cells by column name; 'condition' is always present ('' = unassigned). */
  metadata: Record<string, string>;
  /** Pixels, from the file header when the image was added; null when unreadable. */
  width: number | null;
  height: number | null;
  /** Pixel size from the file (or set by the user); null = uncalibrated. */
  calibration: z.infer<typeof calibrationSchema> | null;
  /** Annotation file relative to the project folder; null until something was traced or imported. */
  annotation: string | null;
  /** Neurons in the annotation at its last save (cached for progress without reading every file). */
  neuronCount: number;
  /**
   * Present when the annotation is "Auto-trace all images"' trace that nobody has checked yet (cached from the file at
   * each save, as the status: see awaitsBatchReview).
   */
  toCheck?: true;
}

/** Per-channel display range and colour applied to every image of the project, so images compare fairly. */
export interface ChannelDisplay {
  /** Sample value shown black. */
  min: number;
  /** Sample value shown at full colour. */
  max: number;
  /** #rrggbb. */
  color: string;
}

/** Sholl sampling shared by all images, in µm. */
export interface ProjectSholl {
  /** First radius (µm). */
  start: number;
  /** Radius increment (µm), > 0. */
  step: number;
  /** Last radius (µm); null = each neuron's farthest node. */
  end: number | null;
}

/**
 * How the project's images are traced: which channels hold what (an experiment's images share their stains) and the
 * automatic tracer's detail, so every image is traced alike and the choice is made once.
 */
export interface ProjectTracing {
  /** Channel traced (0-based); an image with fewer channels is traced on its last. */
  channel: number;
  /** Channel of the nuclear stain that cell bodies are found on (0-based), or null: compact blobs of the traced channel. */
  nucleusChannel: number | null;
  /** The automatic tracer's shortest branch kept, µm (the Auto panel's detail; Auto-trace all images traces at it). */
  minBranchUm: number;
}

/** Blinding state; the key survives disabling so re-enabling shows the same codes. */
export interface ProjectBlinding {
  /** When true the UI shows codes instead of file names and conditions. */
  enabled: boolean;
  /** Seed of the shuffle that produced the key (uint32). */
  seed: number;
  /** imageId → code ("Image 017"). */
  key: Record<string, string>;
}

export interface Project {
  /** Always 'ramify-project'. */
  format: typeof PROJECT_FORMAT;
  /** Schema version; readers refuse newer versions. */
  version: typeof PROJECT_VERSION;
  /** Shown in titles and written into every export row. */
  name: string;
  /** ISO 8601 creation time. */
  created: string;
  /** ISO 8601 time of the last change. */
  modified: string;
  /** Counter behind image ids; only grows, so ids of removed images are never reused. */
  nextImageNumber: number;
  /** Metadata columns in display/export order; 'condition' first. */
  columns: string[];
  /** Condition names in display/Prism order (every non-empty condition of an image appears once). */
  conditions: string[];
  /** Images in project order. */
  images: ProjectImage[];
  /** Sholl sampling used for every neuron of the project. */
  sholl: ProjectSholl;
  /** Shared display settings; null = per-image automatic contrast. */
  display: { /** One entry per channel, in channel order. */ channels: ChannelDisplay[] } | null;
  /** Blinding state. */
  blinding: ProjectBlinding;
  /** Images traced twice by two tracers for inter-tracer agreement (shared/project/agreement.ts); absent until assigned. */
  agreement?: AgreementAssignment;
  /** Channels traced and the tracer's detail; absent until chosen in the app (channel 1, no nuclear stain, 5 µm). */
  tracing?: ProjectTracing;
}

function describeIssues(error: z.ZodError): string {
  const first = error.issues.slice(0, 3).map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`);
  const more = error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '';
  return first.join('; ') + more;
}

/**
 * Parses project file text. Throws RamifyError: 'project-malformed' (invalid JSON or fields, naming each bad field
 * as a dotted path, e.g. `images.3.status`), 'project-version' (newer version than this build reads).
 */
export function parseProject(text: string): Project {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new RamifyError('project-malformed', `Not a Ramify project file: invalid JSON (${(e as Error).message}).`);
  }
  const env = data as { format?: unknown; version?: unknown } | null;
  if (!env || typeof env !== 'object' || env.format !== PROJECT_FORMAT) throw new RamifyError('project-malformed', `Not a Ramify project file: "format" is not "${PROJECT_FORMAT}".`);
  if (typeof env.version === 'number' && env.version > PROJECT_VERSION)
    throw new RamifyError('project-version', `This project was saved by a newer Ramify (project version ${env.version}); this build reads version ${PROJECT_VERSION}.`);
  const parsed = projectSchema.safeParse(data);
  if (!parsed.success) throw new RamifyError('project-malformed', `Invalid project file: ${describeIssues(parsed.error)}.`);
  const p = parsed.data as Project;
  const ids = new Set<string>();
  const paths = new Set<string>();
  p.images.forEach((img, i) => {
    if (ids.has(img.id)) throw new RamifyError('project-malformed', `Invalid project file: images.${i}.id: '${img.id}' is used twice.`);
    if (paths.has(img.path)) throw new RamifyError('project-malformed', `Invalid project file: images.${i}.path: '${img.path}' is listed twice.`);
    ids.add(img.id);
    paths.add(img.path);
  });
  return p;
}

/** Project file text: stable key order, 2-space indent, trailing newline (diff-friendly). */
export function serializeProject(project: Project): string {
  return JSON.stringify(project, null, 2) + '\n';
}
