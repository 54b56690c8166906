import { mkdir, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { decodeImage } from '../../shared/image/decode';
import { mergeChannels } from '../../shared/image/merge-channels';
import { wavelengthSets, type WavelengthSet } from '../../shared/image/wavelength-sets';
import { RamifyError, toAppError } from '../../shared/result';
import { plural } from '../../shared/text/plural';
import { writeFileAtomicDurable } from './atomic-write';
import { readImageFile } from './image-file';
import { scanImageFiles } from './project-files';

/** What merging a plate's wavelengths did, site by site (paths relative to the plate's folder and to `out`). */
export interface MergeOutcome {
  merged: Array<{ image: string; channels: Array<{ file: string; name: string }> }>;
  /** Merged images already in `out`, left as they are (a tracing may lie beside them). */
  kept: string[];
  leftAlone: Array<{ path: string; why: string }>;
  failed: Array<{ image: string; why: string }>;
}

/**
 * Writes each site of an ImageXpress plate (its wavelengths saved one file each) into `out` as one multi-channel
 * image (mergeChannels), the plate's subfolders kept. The plate is only read; an image already in `out` is never
 * written over; a site that cannot be merged is noted and the others go on. Aborting stops between sites (the
 * images written so far stay, each whole). Throws when `out` is the plate's own folder, or no site has two
 * wavelengths ('not-found').
 */
export async function mergePlateWavelengths(plate: string, out: string, o: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<MergeOutcome> {
  if (relative(resolve(plate), resolve(out)) === '') throw new RamifyError('invalid-argument', 'The merged images go into another folder than the plate’s own: there each site would be both its wavelengths and its merged image.');
  const { sets, leftAlone } = wavelengthSets(await scanImageFiles(plate));
  if (sets.length === 0) {
    const named = leftAlone.length > 0 ? `; ${plural(leftAlone.length, 'file')} named so: ${leftAlone[0].path}: ${leftAlone[0].why}` : '';
    throw new RamifyError('not-found', `no site of ${plate} has two or more wavelength files (NAME_w1.tif, NAME_w2.tif)${named}.`);
  }
  const outcome: MergeOutcome = { merged: [], kept: [], leftAlone, failed: [] };
  o.onProgress?.(0, sets.length);
  for (const [k, set] of sets.entries()) {
    if (o.signal?.aborted) throw new RamifyError('cancelled', `Merging stopped after ${plural(outcome.merged.length, 'site')}; the images written stay in ${out}.`);
    await mergeSite(plate, out, set, outcome);
    o.onProgress?.(k + 1, sets.length);
  }
  return outcome;
}

async function mergeSite(plate: string, out: string, set: WavelengthSet, outcome: MergeOutcome): Promise<void> {
  const target = join(out, ...set.name.split('/'));
  if (await stat(target).then(() => true, () => false)) {
    outcome.kept.push(set.name);
    return;
  }
  try {
    const sources = [];
    for (const f of set.files) {
      const image = await readImageFile(join(plate, ...f.path.split('/'))).then(decodeImage, (e: unknown) => {
        throw new RamifyError('unreadable', `cannot read ${f.path}: ${toAppError(e).message}`);
      });
      sources.push({ image, file: f.path, fallbackName: `w${f.wavelength}` });
    }
    const merged = mergeChannels(sources, set.name.replace(/^.*\//, '').replace(/\.tif$/, ''));
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomicDurable(target, merged.bytes);
    outcome.merged.push({ image: set.name, channels: set.files.map((f, c) => ({ file: f.path, name: merged.names[c] })) });
  } catch (e) {
    outcome.failed.push({ image: set.name, why: toAppError(e).message.split('\n')[0] });
  }
}

/** The outcome as lines for a person: what was merged (by channel layout), kept, left alone and why, what failed. */
export function mergeOutcomeLines(o: MergeOutcome, outName: string): string[] {
  const lines: string[] = [];
  if (o.merged.length > 0) {
    const layouts = new Map<string, number>();
    for (const m of o.merged) {
      const layout = m.channels.map((c, i) => `${i + 1} ${c.name}`).join(', ');
      layouts.set(layout, (layouts.get(layout) ?? 0) + 1);
    }
    lines.push(`Merged ${plural(o.merged.length, 'site')} into ${outName}:`);
    for (const [layout, n] of layouts) lines.push(`  ${plural(n, 'image')} with channels ${layout}`);
  }
  if (o.kept.length > 0) lines.push(`${plural(o.kept.length, 'image')} already in ${outName}, left as ${o.kept.length === 1 ? 'it is' : 'they are'} (${list(o.kept)}).`);
  if (o.leftAlone.length > 0) {
    lines.push(`${plural(o.leftAlone.length, 'file')} not merged:`);
    for (const l of o.leftAlone) lines.push(`  ${l.path}: ${l.why}`);
  }
  if (o.failed.length > 0) {
    lines.push(`${plural(o.failed.length, 'site')} could not be merged:`);
    for (const f of o.failed) lines.push(`  ${f.image}: ${f.why}`);
  }
  return lines;
}

const list = (names: readonly string[]) => (names.length > 3 ? `${names.slice(0, 3).join(', ')}, …` : names.join(', '));
