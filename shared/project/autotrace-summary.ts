import { plural } from '../text/plural';

/** What one "Auto-trace all images" did, image by image (autotraceProjectImages). */
export interface AutotraceTally {
  traced: number;
  /** Images left alone, by why: someone's annotations, excluded by review, open in the app with unsaved work. */
  left: { annotated: number; excluded: number; unsaved: number };
  /** Images that were to be traced but were not reached (the batch was cancelled). */
  notReached: number;
  /** "path: why" for each image that could not be traced. */
  failed: readonly string[];
  cancelled: boolean;
}

/**
 * The outcome in a sentence or two, the same in the app and the CLI: "Traced 2 images automatically; they await
 * review. Left alone: 1 image with annotations, 1 excluded." Only what happened is named.
 */
export function autotraceSummary(t: AutotraceTally): string {
  const { annotated, excluded, unsaved } = t.left;
  const leftParts = [
    annotated > 0 && `${plural(annotated, 'image')} with annotations`,
    excluded > 0 && `${annotated > 0 ? excluded : plural(excluded, 'image')} excluded`,
    unsaved > 0 && `${annotated + excluded > 0 ? unsaved : plural(unsaved, 'image')} open with unsaved work`,
  ].filter(Boolean);
  const left = leftParts.join(', ');
  const failed = t.failed.length ? `Could not trace ${plural(t.failed.length, 'image')}: ${t.failed.join('; ')}.` : '';
  const awaits = t.traced === 1 ? 'it awaits' : 'they await';
  let head: string;
  if (t.cancelled) head = `Automatic tracing cancelled${t.traced ? ` after ${plural(t.traced, 'image')} (${awaits} review)` : ''}: ${plural(t.notReached, 'image')} not traced.`;
  else if (t.traced > 0) head = `Traced ${plural(t.traced, 'image')} automatically; ${awaits} review.`;
  else if (t.failed.length > 0) head = 'No image was traced.';
  // Nothing was to be traced: say why, and that annotations are safe (the reason a technician runs it twice).
  else if (!left) return 'Nothing to trace: the project has no images.';
  else return `Nothing to trace: ${left}${annotated > 0 ? ' (annotations are never traced over)' : ''}.`;
  return [head, left && `Left alone: ${left}.`, failed].filter(Boolean).join(' ');
}
