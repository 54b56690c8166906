import { plural } from '../text/plural';

/** What one "Auto-trace all images" did, image by image (autotraceProjectImages). */
export interface AutotraceTally {
  traced: number;
  /** Of the traced, those an earlier batch had traced with other settings, unchecked since (traced again). */
  retraced?: number;
  /**
   * Images left alone, by why: someone's annotations, a batch's trace (or an image where it found nothing) that
   * nobody has checked yet, made with the same settings, excluded by review, open in the app with unsaved work, or
   * holding a nuclear stain alone (a plate's DAPI wavelength saved as a file of its own: nothing in it to trace).
   */
  left: { annotated: number; unchecked: number; excluded: number; unsaved: number; nuclearStainOnly?: number };
  /** Images that were to be traced but were not reached (the batch was cancelled). */
  notReached: number;
  /** "path: why" for each image that could not be traced. */
  failed: readonly string[];
  cancelled: boolean;
  /**
   * Traced images on which no cell body was found (only fibres, or nothing), a channel (0-based) that looked like a
   * nuclear stain on one of them (cell bodies whose nucleus the dendrite stain leaves dark are found on it), and one
   * with clearly more signal than the channel traced on one where nothing at all was found (the wrong channel traced).
   */
  noCellBody?: { images: number; nuclearStainIn: number | null; moreSignalIn?: number | null };
  /**
   * Traced images on which cells were found while another channel had clearly more signal than the one traced (a
   * colour image traced in the wrong colour finds the faint ghost of its cells there), and that channel (0-based).
   */
  brighterChannel?: { images: number; channel: number | null };
  /**
   * Traced images whose channel traced is named a nuclear stain ("DAPI"): their channels are in another order than the
   * images the choice was made on (a plate imaged DAPI first). Their paths, up to NAMED_NUCLEI_LISTED.
   */
  tracedNuclei?: { images: number; paths: string[] };
}

/** Paths of images whose traced channel names nuclei listed in the summary, at most. */
export const NAMED_NUCLEI_LISTED = 3;

/**
 * What to do with a channel the notice names (0-based), in the words of where it is read: the app names its panels,
 * the CLI its flags. `kind`: the channel to trace, or the nuclear stain to find cell bodies on.
 */
export type NextStep = (kind: 'channel' | 'nuclei', channel: number) => string;

/**
 * The outcome in a sentence or two, the same in the app and the CLI: "Traced 2 images automatically; they await
 * review. Left alone: 1 image with annotations, 1 excluded." Only what happened is named; a channel named where no
 * cell body was found is followed by `nextStep`'s sentence.
 */
export function autotraceSummary(t: AutotraceTally, nextStep?: NextStep): string {
  const { annotated, unchecked, excluded, unsaved, nuclearStainOnly = 0 } = t.left;
  // The first count names its unit ("2 images excluded"), the others follow it ("…, 1 open with unsaved work").
  const alone = "holding only a nuclear stain (a plate's wavelengths not merged)";
  const left = ([[annotated, 'with annotations'], [unchecked, 'traced automatically and not checked yet'], [excluded, 'excluded'], [unsaved, 'open with unsaved work'], [nuclearStainOnly, alone]] as const)
    .filter(([n]) => n > 0)
    .map(([n, why], k) => `${k === 0 ? plural(n, 'image') : n} ${why}`)
    .join(', ');
  const failed = t.failed.length ? `Could not trace ${plural(t.failed.length, 'image')}: ${t.failed.join('; ')}.` : '';
  const awaits = t.traced === 1 ? 'it awaits' : 'they await';
  let head: string;
  if (t.cancelled) head = `Automatic tracing cancelled${t.traced ? ` after ${plural(t.traced, 'image')} (${awaits} review)` : ''}: ${plural(t.notReached, 'image')} not traced.`;
  else if (t.traced > 0) head = `Traced ${plural(t.traced, 'image')} automatically${again(t)}; ${awaits} review.`;
  else if (t.failed.length > 0) head = 'No image was traced.';
  // Nothing was to be traced: say why, and that annotations are safe (the reason a technician runs it twice).
  else if (!left) return 'Nothing to trace: the project has no images.';
  else return `Nothing to trace: ${left}${annotated > 0 ? ' (annotations are never traced over)' : ''}.`;
  return [head, namedNuclei(t), noBodies(t, nextStep), brighter(t, nextStep), left && `Left alone: ${left}.`, failed].filter(Boolean).join(' ');
}

/** " again with the settings chosen since (…)" when all were traced before, ", 2 of them again …" when some, or ''. */
function again(t: AutotraceTally): string {
  const n = t.retraced ?? 0;
  if (n === 0) return '';
  const why = `again with the settings chosen since (nobody had checked ${n === 1 ? 'its' : 'their'} earlier trace)`;
  return n === t.traced ? ` ${why}` : `, ${n} of them ${why}`;
}

/**
 * "No cell body was found on 2 images; channel 2 looks like a nuclear stain: …" (or "channel 2 has clearly more signal
 * than the channel traced"), or '' when bodies were found on every one.
 */
function noBodies(t: AutotraceTally, nextStep: NextStep | undefined): string {
  const n = t.noCellBody;
  if (!n || n.images === 0) return '';
  const where = t.traced === n.images ? (n.images === 1 ? 'it' : 'any of them') : plural(n.images, 'image');
  const more = n.moreSignalIn ?? null;
  let hint = '';
  let next = '';
  if (n.nuclearStainIn !== null) {
    hint = `; channel ${n.nuclearStainIn + 1} looks like a nuclear stain, on which cell bodies whose nucleus is dark are found`;
    next = nextStep?.('nuclei', n.nuclearStainIn) ?? '';
  } else if (more !== null) {
    hint = `; channel ${more + 1} has clearly more signal than the channel traced`;
    next = nextStep?.('channel', more) ?? '';
  }
  return `No cell body was found on ${where}${hint}.${next ? ` ${next}` : ''}`;
}

/**
 * "On 2 images channel 2 has clearly more signal than the channel traced." where cells were found anyway, followed by
 * `nextStep`'s sentence unless the images without a cell body named that channel already; or ''.
 */
function brighter(t: AutotraceTally, nextStep: NextStep | undefined): string {
  const b = t.brighterChannel;
  if (!b || b.images === 0 || b.channel === null) return '';
  const named = t.noCellBody?.nuclearStainIn == null && t.noCellBody?.moreSignalIn === b.channel && (t.noCellBody?.images ?? 0) > 0;
  const next = named ? '' : (nextStep?.('channel', b.channel) ?? '');
  const where = t.traced === b.images ? (b.images === 1 ? 'On it' : 'On every one') : `On ${plural(b.images, 'image')}`;
  return `${where} channel ${b.channel + 1} has clearly more signal than the channel traced.${next ? ` ${next}` : ''}`;
}

/** "On 2 images the channel traced is named a nuclear stain (vehicle/a.tif, vehicle/b.tif): …", or ''. */
function namedNuclei(t: AutotraceTally): string {
  const n = t.tracedNuclei;
  if (!n || n.images === 0) return '';
  const where = t.traced === n.images ? (n.images === 1 ? 'On it' : 'On every one') : `On ${plural(n.images, 'image')}`;
  const more = n.images > n.paths.length ? ', …' : '';
  return `${where} the channel traced is named a nuclear stain (${n.paths.join(', ')}${more}): ${n.images === 1 ? 'its trace is' : 'their traces are'} of nuclei (a site imaged in another order).`;
}
