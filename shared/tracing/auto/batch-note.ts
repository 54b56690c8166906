import { plural } from '../../text/plural';
import { ASSUMED_UM_PER_PX } from './pixel-size';

/** How a batch traced an image: the channel (0-based), the nuclear stain's (or null) and the shortest branch kept. */
export interface BatchSettings {
  channel: number;
  nucleusChannel: number | null;
  minBranchUm: number;
}

/**
 * The note "Auto-trace all images" leaves on each file it traces, for the reviewer and for the next batch: "Traced
 * automatically on channel 1 (cell bodies on the nuclei of channel 2), shortest branch 5 µm: 4 neurons; awaiting
 * review." The traced neurons record how they were traced, but a file on which nothing was found has no neuron to
 * record it: its note is where the next batch reads whether the settings have changed since (batchNoteSettings).
 * `pixelSizeUm` null: the image has no pixel size, and the branch is said in px as well, as the slider shows it there.
 */
export function batchNoteText(s: BatchSettings, neurons: number, pixelSizeUm?: number | null): string {
  return `Traced automatically on ${settingsText(s, pixelSizeUm)}: ${plural(neurons, 'neuron')}; awaiting review.`;
}

/**
 * The settings in words, as the batch's note and the app's Auto-trace all images say them: "channel 1 (cell bodies
 * on the nuclei of channel 2), shortest branch 5 µm", with "(10 px at an assumed 0.5 µm per px)" after it for an image
 * without a pixel size (`pixelSizeUm` null), whose lengths the tracer reads at ASSUMED_UM_PER_PX.
 */
export function settingsText(s: BatchSettings, pixelSizeUm?: number | null): string {
  const nuclei = s.nucleusChannel !== null ? ` (cell bodies on the nuclei of channel ${s.nucleusChannel + 1})` : '';
  const px = pixelSizeUm === null ? ` (${round3(s.minBranchUm / ASSUMED_UM_PER_PX)} px at an assumed ${ASSUMED_UM_PER_PX} µm per px)` : '';
  return `channel ${s.channel + 1}${nuclei}, shortest branch ${round3(s.minBranchUm)} µm${px}`;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

const NOTE = /^Traced automatically on (channel (\d+)(?: \(cell bodies on the nuclei of channel (\d+)\))?, shortest branch (\d+(?:\.\d+)?) µm(?: \([^)]*\))?): /;

/** The settings a batch note states (batchNoteText), or null for another text (an earlier build's note named none). */
export function batchNoteSettings(text: string): BatchSettings | null {
  const m = NOTE.exec(text);
  if (!m) return null;
  return { channel: Number(m[2]) - 1, nucleusChannel: m[3] === undefined ? null : Number(m[3]) - 1, minBranchUm: Number(m[4]) };
}

/**
 * What the app says on opening an image where a batch found nothing, nobody having looked since: how it traced (in
 * the note's words), and the ways to end the check (a neuron traced and saved, or the note resolved when there is
 * nothing to trace).
 */
export function nothingFoundNotice(noteText: string): string {
  const how = NOTE.exec(noteText)?.[1];
  return `Auto-trace all images found no neuron on this image${how ? `, tracing ${how}` : ''}. Trace what is here with the Auto tool (A) or by hand; if there is nothing to trace, resolve its note under File and review.`;
}
