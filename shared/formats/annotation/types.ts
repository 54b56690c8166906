import type { Calibration } from '../../image/types';
import type { AnnotationDocument } from '../../model/document';
import type { FileHistory } from '../../review/history';
import type { ReviewState, Role } from '../../review/status';

/** Value of the envelope's "format" field; anything else is not a Ramify annotation file. */
export const ANNOTATION_FORMAT = 'ramify-annotation';

/** The format version this build writes; older versions are migrated on read, newer ones refused. */
export const ANNOTATION_VERSION = 1;

/** Where the tracing stands: the one state machine of shared/review/status.ts (older names are read as these). */
export type ReviewStatus = ReviewState;

export interface ReviewComment {
  /** Who wrote it: the user name set in the app's settings (free text, e.g. initials). */
  author: string;
  /** The author's role when writing it; absent in files of earlier builds. */
  role?: Role;
  /** The comment itself. */
  text: string;
  /** When it was written, ISO 8601 with time zone. */
  at: string;
  /** Stable identity of the comment (absent in files of earlier builds). */
  id?: string;
  /** Where it is pinned on the image; absent for a comment on the whole file. */
  anchor?: CommentAnchor;
  /** Answers, in the order they were written. */
  replies?: CommentReply[];
  /** Settled: still listed, no longer asking for anything. */
  resolved?: boolean;
  /** Who last resolved it. */
  resolvedBy?: string;
  /** When, ISO 8601. */
  resolvedAt?: string;
}

/** A point of the image a comment is pinned to, image px; on a node it follows the node and keeps its last place when the node is deleted. */
export interface CommentAnchor {
  x: number;
  y: number;
  /** The node it was dropped on. */
  nodeId?: number;
}

/** An answer in a comment's thread. */
export interface CommentReply {
  author: string;
  role?: Role;
  text: string;
  at: string;
}

/** A neuron whose status differs from its image's (e.g. one excluded neuron of an approved image). */
export interface NeuronReview {
  /** Neuron id in the document. */
  neuronId: number;
  status: ReviewStatus;
  /** Why it is excluded; '' otherwise. */
  reason: string;
}

export interface Review {
  /** Where the tracing of the image stands. */
  status: ReviewStatus;
  /** Why the image is excluded (set with status 'excluded'). */
  reason?: string;
  /** Who last approved or requested changes, as set in their settings. */
  reviewer?: string;
  /** When they did, ISO 8601. */
  reviewedAt?: string;
  /** Neurons whose status is not the image's; every other neuron has the image's status. */
  neurons?: NeuronReview[];
  /** Comments in the order they were written. */
  comments: ReviewComment[];
  /** Who made the annotations (free text; empty when unknown). */
  author: string;
  /** When the annotation file was first created, ISO 8601. */
  createdAt: string;
  /** When it was last saved, ISO 8601. */
  modifiedAt: string;
}

/**
 * Which image file the annotations were made on. The content hash decides identity (a renamed copy is the same
 * image); name and size are there so a person can tell which file is meant.
 */
export interface ImageIdentity {
  /** File name without folder (folders differ between machines). */
  fileName: string;
  /** File size in bytes. */
  byteSize: number;
  /** SHA-256 of the whole file, 64 lowercase hex digits. */
  sha256: string;
  /** Image width in px. */
  width: number;
  /** Image height in px. */
  height: number;
}

/** Sholl radii the user last chose for this file, in µm (px when uncalibrated). */
export interface ShollSettings {
  /** First radius. */
  start: number;
  /** Distance between radii (> 0). */
  step: number;
  /** Last radius; null = the farthest node. */
  end: number | null;
}

/** The program that wrote the file. */
export interface AppStamp {
  /** Always "Ramify". */
  name: string;
  /** Ramify's version (package.json), for support questions. */
  version: string;
}

/**
 * A Ramify annotation file (`*.ramify.json`) in memory.
 *
 * Calibration lives in one place only: `document.calibration` in memory, the envelope's top-level "calibration"
 * on disk (the document is written without it). The pixel size belongs to the image and the session, so a person
 * or a script reading the file finds it next to "image"; node positions are always px, and µm are always derived
 * from it, never stored, so the two can never disagree.
 */
export interface AnnotationFile {
  /** Always ANNOTATION_FORMAT. */
  format: typeof ANNOTATION_FORMAT;
  /** Always ANNOTATION_VERSION after parsing (older files are migrated). */
  version: typeof ANNOTATION_VERSION;
  /** Who wrote the file. */
  app: AppStamp;
  /** The image the annotations belong to; null when unknown (e.g. converted from SWC). */
  image: ImageIdentity | null;
  /** The annotations; its `calibration` is the file's calibration. */
  document: AnnotationDocument;
  /** Review state and comments. */
  review: Review;
  /** Sholl radii last used, when the user set them. */
  shollSettings?: ShollSettings;
  /** What each save changed, and the tracing as last reviewed (absent in files of earlier builds). */
  history?: FileHistory;
}

/** Calibration re-exported for callers building files. */
export type { Calibration };
