import { describe, expect, it } from 'vitest';
import { autotraceSummary, type AutotraceTally } from '../../../shared/project/autotrace-summary';

const tally = (t: Partial<Omit<AutotraceTally, 'left'>> & { left?: Partial<AutotraceTally['left']> }): AutotraceTally => ({
  traced: 0,
  notReached: 0,
  failed: [],
  cancelled: false,
  ...t,
  left: { annotated: 0, unchecked: 0, excluded: 0, unsaved: 0, ...t.left },
});

describe('what "Auto-trace all images" says it did (app notice and CLI summary)', () => {
  it('names what was traced and why each other image was left alone, in words with their counts', () => {
    expect(autotraceSummary(tally({ traced: 3 }))).toBe('Traced 3 images automatically; they await review.');
    expect(autotraceSummary(tally({ traced: 1, left: { annotated: 2 } }))).toBe('Traced 1 image automatically; it awaits review. Left alone: 2 images with annotations.');
    expect(autotraceSummary(tally({ traced: 2, left: { annotated: 1, excluded: 2, unsaved: 1 } }))).toBe(
      'Traced 2 images automatically; they await review. Left alone: 1 image with annotations, 2 excluded, 1 open with unsaved work.',
    );
    expect(autotraceSummary(tally({ traced: 4, left: { excluded: 1 } }))).toBe('Traced 4 images automatically; they await review. Left alone: 1 image excluded.');
  });

  it('images whose channel traced is named a nuclear stain are named, up to three', () => {
    expect(autotraceSummary(tally({ traced: 4, tracedNuclei: { images: 1, paths: ['B/site_2.tif'] } }))).toBe(
      'Traced 4 images automatically; they await review. On 1 image the channel traced is named a nuclear stain (B/site_2.tif): its trace is of nuclei (a site imaged in another order).',
    );
    expect(autotraceSummary(tally({ traced: 5, tracedNuclei: { images: 5, paths: ['a.tif', 'b.tif', 'c.tif'] } }))).toBe(
      'Traced 5 images automatically; they await review. On every one the channel traced is named a nuclear stain (a.tif, b.tif, c.tif, …): their traces are of nuclei (a site imaged in another order).',
    );
    expect(autotraceSummary(tally({ traced: 1, tracedNuclei: { images: 0, paths: [] } }))).toBe('Traced 1 image automatically; it awaits review.');
  });

  it('a second run with nothing left says so, and that annotations are never traced over', () => {
    expect(autotraceSummary(tally({ left: { annotated: 3 } }))).toBe('Nothing to trace: 3 images with annotations (annotations are never traced over).');
    expect(autotraceSummary(tally({ left: { excluded: 1 } }))).toBe('Nothing to trace: 1 image excluded.');
    expect(autotraceSummary(tally({}))).toBe('Nothing to trace: the project has no images.');
  });

  it("the batch's own traces nobody has checked yet are told apart from someone's annotations", () => {
    expect(autotraceSummary(tally({ left: { unchecked: 2 } }))).toBe('Nothing to trace: 2 images traced automatically and not checked yet.');
    expect(autotraceSummary(tally({ left: { unchecked: 1, annotated: 3 } }))).toBe('Nothing to trace: 3 images with annotations, 1 traced automatically and not checked yet (annotations are never traced over).');
    expect(autotraceSummary(tally({ traced: 1, left: { unchecked: 2, excluded: 1, unsaved: 1 } }))).toBe(
      'Traced 1 image automatically; it awaits review. Left alone: 2 images traced automatically and not checked yet, 1 excluded, 1 open with unsaved work.',
    );
  });

  it('failures and a cancelled run are told apart from what was traced', () => {
    expect(autotraceSummary(tally({ failed: ['A/big.tif: too large'] }))).toBe('No image was traced. Could not trace 1 image: A/big.tif: too large.');
    expect(autotraceSummary(tally({ traced: 1, failed: ['a.tif: x', 'b.tif: y'], left: { annotated: 1 } }))).toBe(
      'Traced 1 image automatically; it awaits review. Left alone: 1 image with annotations. Could not trace 2 images: a.tif: x; b.tif: y.',
    );
    expect(autotraceSummary(tally({ cancelled: true, traced: 2, notReached: 5 }))).toBe('Automatic tracing cancelled after 2 images (they await review): 5 images not traced.');
    expect(autotraceSummary(tally({ cancelled: true, notReached: 1 }))).toBe('Automatic tracing cancelled: 1 image not traced.');
  });

  it('images traced again (the batch had traced them with other settings, unchecked since) are said', () => {
    expect(autotraceSummary(tally({ traced: 3, retraced: 3 }))).toBe('Traced 3 images automatically again with the settings chosen since (nobody had checked their earlier trace); they await review.');
    expect(autotraceSummary(tally({ traced: 3, retraced: 2, left: { annotated: 1 } }))).toBe(
      'Traced 3 images automatically, 2 of them again with the settings chosen since (nobody had checked their earlier trace); they await review. Left alone: 1 image with annotations.',
    );
    expect(autotraceSummary(tally({ traced: 1, retraced: 1 }))).toBe('Traced 1 image automatically again with the settings chosen since (nobody had checked its earlier trace); it awaits review.');
  });

  it('images on which no cell body was found are counted, with a channel that looks like a nuclear stain', () => {
    expect(autotraceSummary(tally({ traced: 3, noCellBody: { images: 0, nuclearStainIn: null } }))).toBe('Traced 3 images automatically; they await review.');
    expect(autotraceSummary(tally({ traced: 3, noCellBody: { images: 2, nuclearStainIn: null }, left: { annotated: 1 } }))).toBe(
      'Traced 3 images automatically; they await review. No cell body was found on 2 images. Left alone: 1 image with annotations.',
    );
    expect(autotraceSummary(tally({ traced: 2, noCellBody: { images: 2, nuclearStainIn: 1 } }))).toBe(
      'Traced 2 images automatically; they await review. No cell body was found on any of them; channel 2 looks like a nuclear stain, on which cell bodies whose nucleus is dark are found.',
    );
    expect(autotraceSummary(tally({ traced: 1, noCellBody: { images: 1, nuclearStainIn: null } }))).toBe('Traced 1 image automatically; it awaits review. No cell body was found on it.');
  });

  it('where nothing at all was found, a channel with clearly more signal than the one traced is named (a nuclear stain first)', () => {
    expect(autotraceSummary(tally({ traced: 2, noCellBody: { images: 2, nuclearStainIn: null, moreSignalIn: 1 } }))).toBe(
      'Traced 2 images automatically; they await review. No cell body was found on any of them; channel 2 has clearly more signal than the channel traced.',
    );
    expect(autotraceSummary(tally({ traced: 2, noCellBody: { images: 1, nuclearStainIn: 2, moreSignalIn: 1 } }))).toBe(
      'Traced 2 images automatically; they await review. No cell body was found on 1 image; channel 3 looks like a nuclear stain, on which cell bodies whose nucleus is dark are found.',
    );
  });

  it('a channel named is followed by what to do with it, in the words of the app or the CLI; nothing when none is named', () => {
    const next = (kind: 'channel' | 'nuclei', c: number) => `Use ${kind} ${c + 1}.`;
    expect(autotraceSummary(tally({ traced: 2, noCellBody: { images: 2, nuclearStainIn: null, moreSignalIn: 1 } }), next)).toBe(
      'Traced 2 images automatically; they await review. No cell body was found on any of them; channel 2 has clearly more signal than the channel traced. Use channel 2.',
    );
    expect(autotraceSummary(tally({ traced: 1, noCellBody: { images: 1, nuclearStainIn: 2, moreSignalIn: null } }), next)).toBe(
      'Traced 1 image automatically; it awaits review. No cell body was found on it; channel 3 looks like a nuclear stain, on which cell bodies whose nucleus is dark are found. Use nuclei 3.',
    );
    expect(autotraceSummary(tally({ traced: 1, noCellBody: { images: 1, nuclearStainIn: null, moreSignalIn: null } }), next)).toBe('Traced 1 image automatically; it awaits review. No cell body was found on it.');
  });
  it('where cells were found in a channel while another had clearly more signal (a colour image traced in the wrong colour), that channel is named, and what to do with it once', () => {
    const next = (kind: 'channel' | 'nuclei', c: number) => `Use ${kind} ${c + 1}.`;
    expect(autotraceSummary(tally({ traced: 3, brighterChannel: { images: 2, channel: 1 } }), next)).toBe(
      'Traced 3 images automatically; they await review. On 2 images channel 2 has clearly more signal than the channel traced. Use channel 2.',
    );
    expect(autotraceSummary(tally({ traced: 1, brighterChannel: { images: 1, channel: 1 } }))).toBe(
      'Traced 1 image automatically; it awaits review. On it channel 2 has clearly more signal than the channel traced.',
    );
    // The images without a cell body named the same channel: its next step is said once.
    expect(autotraceSummary(tally({ traced: 3, noCellBody: { images: 1, nuclearStainIn: null, moreSignalIn: 1 }, brighterChannel: { images: 2, channel: 1 } }), next)).toBe(
      'Traced 3 images automatically; they await review. No cell body was found on 1 image; channel 2 has clearly more signal than the channel traced. Use channel 2. On 2 images channel 2 has clearly more signal than the channel traced.',
    );
    expect(autotraceSummary(tally({ traced: 2, brighterChannel: { images: 0, channel: null } }), next)).toBe('Traced 2 images automatically; they await review.');
  });
});
