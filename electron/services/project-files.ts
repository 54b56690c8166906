import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { open, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasImageExtension, readImageInfo } from '../../shared/image/decode';
import { channelNames } from '../../shared/display/opening-display';
import type { ScannedImage } from '../../shared/project/project';
import { PROJECT_OWN_DIRS } from '../../shared/project/schema';
import { saveError, writeFileAtomicDurable } from './atomic-write';
import { otherFormatByName, reducedCopyByName } from '../../shared/image/other-formats';
import { wavelengthSetsNote, type WavelengthSet } from '../../shared/image/wavelength-sets';
import { plural } from '../../shared/text/plural';

/** File-system helpers of the project service: folder scan, cheap image header reads, atomic text writes. */

/** Byte-wise order of '/'-separated paths so scans are deterministic on every OS. */
const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Relative paths ('/' separators) of every image below `root`, sorted. Skips hidden entries, the project's own
 * folders at the top level (annotations/, exports/) and symlinked folders (no cycles). Files of an image format
 * Ramify does not read (a microscope's own, other-formats.ts) and reduced copies of images (MetaXpress thumbnails)
 * go into `others` when given.
 */
export async function scanImageFiles(root: string, others?: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth === 0 && (PROJECT_OWN_DIRS as readonly string[]).includes(e.name)) continue;
        await walk(full, depth + 1);
      } else if (e.isFile() && hasImageExtension(e.name) && !reducedCopyByName(e.name)) out.push(relative(root, full).split(sep).join('/'));
      else if (others && e.isFile() && notAddedNote(e.name)) others.push(relative(root, full).split(sep).join('/'));
    }
  };
  await walk(root, 0);
  others?.sort(byPath);
  return out.sort(byPath);
}

/** Why a file is left out of a project: another format's (a microscope's own), or a reduced copy of an image. */
const notAddedNote = (name: string) => otherFormatByName(name) ?? reducedCopyByName(name);

/**
 * What to know of a folder before making a project of it: a sentence per format of the files a project cannot hold
 * (notAddedNotes), and one on the sites of an ImageXpress plate whose wavelengths are saved one file each (`sets`,
 * wavelengthSets), ending with `howToMerge` (wavelengthSetsNote).
 */
export function folderNotes(sets: readonly WavelengthSet[], others: readonly string[], howToMerge: string): string[] {
  const wavelengths = wavelengthSetsNote(sets, howToMerge);
  return [...notAddedNotes(others), ...(wavelengths ? [wavelengths] : [])];
}

/** "2 files not added (vehicle/a.czi, …): a Zeiss CZI file, which …" per format of the files a project cannot hold. */
function notAddedNotes(others: readonly string[]): string[] {
  const byNote = new Map<string, string[]>();
  for (const p of others) {
    const n = notAddedNote(p)!;
    const key = `${n.what}. ${n.advice}`;
    byNote.set(key, [...(byNote.get(key) ?? []), p]);
  }
  return [...byNote].map(([note, paths]) => {
    const listed = paths.length > 3 ? `${paths.slice(0, 3).join(', ')}, …` : paths.join(', ');
    return `${plural(paths.length, 'file')} not added (${listed}): ${paths.length === 1 ? 'it is' : 'each is'} ${note}`;
  });
}

/** First bytes read for a header; enough for the first IFD of nearly every TIFF (ImageJ writes it up front). */
const HEAD_BYTES = 1 << 20;

/**
 * Width, height, calibration and channel names from the file header: the first MiB first, the whole file only when the header
 * lies beyond it. Unreadable files give nulls plus the reason.
 */
export async function readImageHeader(path: string): Promise<{ width: number | null; height: number | null; calibration: ScannedImage['calibration']; channelNames: string[] | null; error?: string }> {
  try {
    const fh = await open(path, 'r');
    let head: Uint8Array;
    let size: number;
    try {
      size = (await fh.stat()).size;
      const buf = new Uint8Array(Math.min(size, HEAD_BYTES));
      await fh.read(buf, 0, buf.length, 0);
      head = buf;
    } finally {
      await fh.close();
    }
    let info;
    try {
      info = readImageInfo(head);
    } catch (e) {
      if (size <= HEAD_BYTES) throw e;
      info = readImageInfo(new Uint8Array(await readFile(path)));
    }
    return { width: info.width, height: info.height, calibration: info.calibration, channelNames: channelNames(info) };
  } catch (e) {
    return { width: null, height: null, calibration: null, channelNames: null, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Writes text durably so readers see the old or the new file, never half of one; errors say what to do. */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  try {
    await writeFileAtomicDurable(path, text);
  } catch (e) {
    throw saveError(path, e);
  }
}

/** A uint32 seed for blinding from the OS random source. */
export const randomSeed = (): number => randomBytes(4).readUInt32LE(0);

/** Uniform in [0, 1) from the OS's random source (annotation names must not be guessable from a seed). */
export const cryptoRandom = (): number => randomSeed() / 4294967296;

let cachedVersion: string | null = null;

/** Ramify's version from the nearest package.json named "ramify" above this module (works from sources and bundles). */
export function ramifyVersion(): string {
  if (cachedVersion) return cachedVersion;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'ramify' && pkg.version) return (cachedVersion = pkg.version);
      } catch {
        // keep looking upwards
      }
    }
    dir = dirname(dir);
  }
  return (cachedVersion = 'unknown');
}
