import { describe, expect, it } from 'vitest';
import { batchNoteSettings, batchNoteText, nothingFoundNotice } from '../../../../shared/tracing/auto/batch-note';

describe("the batch's note on a file it traced", () => {
  it('says how it traced and what it found; the next batch reads the settings back', () => {
    const plain = { channel: 0, nucleusChannel: null, minBranchUm: 5 };
    const nuclei = { channel: 1, nucleusChannel: 2, minBranchUm: 2.5 };
    expect(batchNoteText(plain, 0)).toBe('Traced automatically on channel 1, shortest branch 5 µm: 0 neurons; awaiting review.');
    expect(batchNoteText(nuclei, 1)).toBe('Traced automatically on channel 2 (cell bodies on the nuclei of channel 3), shortest branch 2.5 µm: 1 neuron; awaiting review.');
    expect(batchNoteSettings(batchNoteText(plain, 0))).toEqual(plain);
    expect(batchNoteSettings(batchNoteText(nuclei, 4))).toEqual(nuclei);
  });

  it('on an image without a pixel size, says the shortest branch in px too, as the slider shows it there; reads it back', () => {
    const plain = { channel: 0, nucleusChannel: null, minBranchUm: 5 };
    const note = batchNoteText(plain, 0, null);
    expect(note).toBe('Traced automatically on channel 1, shortest branch 5 µm (10 px at an assumed 0.5 µm per px): 0 neurons; awaiting review.');
    expect(batchNoteSettings(note)).toEqual(plain);
    expect(batchNoteText({ ...plain, minBranchUm: 2.5 }, 1, 0.325)).toBe('Traced automatically on channel 1, shortest branch 2.5 µm: 1 neuron; awaiting review.');
    expect(nothingFoundNotice(note)).toBe(
      'Auto-trace all images found no neuron on this image, tracing channel 1, shortest branch 5 µm (10 px at an assumed 0.5 µm per px). Trace what is here with the Auto tool (A) or by hand; if there is nothing to trace, resolve its note under File and review.',
    );
  });

  it("an earlier build's note, or anyone else's text, names no settings", () => {
    expect(batchNoteSettings('Traced automatically (0 neurons); awaiting review.')).toBeNull();
    expect(batchNoteSettings('Traced automatically on channel one, shortest branch 5 µm: 0 neurons; awaiting review.')).toBeNull();
  });

  it('on opening an image where it found nothing, the app says how it traced and how the check ends', () => {
    expect(nothingFoundNotice('Traced automatically on channel 2 (cell bodies on the nuclei of channel 3), shortest branch 2.5 µm: 0 neurons; awaiting review.')).toBe(
      'Auto-trace all images found no neuron on this image, tracing channel 2 (cell bodies on the nuclei of channel 3), shortest branch 2.5 µm. Trace what is here with the Auto tool (A) or by hand; if there is nothing to trace, resolve its note under File and review.',
    );
    expect(nothingFoundNotice('Traced automatically (0 neurons); awaiting review.')).toBe(
      'Auto-trace all images found no neuron on this image. Trace what is here with the Auto tool (A) or by hand; if there is nothing to trace, resolve its note under File and review.',
    );
  });
});
