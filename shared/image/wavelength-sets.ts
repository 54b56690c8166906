/**
 * An ImageXpress plate as MetaXpress saves it: one single-channel TIFF per wavelength of each site,
 * `[<plate>_]<well>[_s<site>]_w<wavelength>[<GUID>].tif` (`Plate1_A01_s1_w1.TIF`, `…_w2F3A1…-….tif`), the
 * wavelengths of a site side by side in one folder. A site's files belong together: its dendrite stain and its
 * nuclei are the channels of one image.
 */

/** One site's wavelengths, in wavelength order (w1 first). */
export interface WavelengthSet {
  /** Path of the merged image: the files' folder and their common name, `.tif` (`TimePoint_1/Plate1_A01_s1.tif`). */
  name: string;
  files: Array<{ path: string; wavelength: number }>;
}

/** A file that looks like a wavelength of a site but is not merged, and why. */
export interface WavelengthLeftAlone {
  path: string;
  why: string;
}

const GUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
/** The site's name, then `_w<number>`, then MetaXpress's GUID if any, then the extension. */
const WAVELENGTH_FILE = new RegExp(`^(.+)_w(\\d+)(?:${GUID})?\\.tiff?$`, 'i');

/**
 * The sites among `paths` ('/'-separated, relative to the plate's folder) that have two or more wavelengths, each
 * one file: sorted by name. A site with one wavelength has nothing to merge; a site with two files of one wavelength
 * (acquired twice) is ambiguous: both are left alone, with why.
 */
export function wavelengthSets(paths: readonly string[]): { sets: WavelengthSet[]; leftAlone: WavelengthLeftAlone[] } {
  const bySite = new Map<string, Array<{ path: string; wavelength: number }>>();
  for (const path of paths) {
    const slash = path.lastIndexOf('/');
    const m = WAVELENGTH_FILE.exec(path.slice(slash + 1));
    if (!m) continue;
    const site = `${path.slice(0, slash + 1)}${m[1]}`;
    bySite.set(site, [...(bySite.get(site) ?? []), { path, wavelength: Number(m[2]) }]);
  }
  const sets: WavelengthSet[] = [];
  const leftAlone: WavelengthLeftAlone[] = [];
  for (const [site, files] of bySite) {
    files.sort((a, b) => a.wavelength - b.wavelength || (a.path < b.path ? -1 : 1));
    const twice = files.filter((f, i) => i > 0 && files[i - 1].wavelength === f.wavelength).map((f) => f.wavelength);
    if (twice.length > 0) {
      const why = `site ${site} has more than one file of ${[...new Set(twice)].map((w) => `w${w}`).join(', ')}`;
      leftAlone.push(...files.map((f) => ({ path: f.path, why })));
    } else if (files.length === 1) leftAlone.push({ path: files[0].path, why: `the only wavelength of site ${site}` });
    else sets.push({ name: `${site}.tif`, files });
  }
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { sets: sets.sort((a, b) => byText(a.name, b.name)), leftAlone: leftAlone.sort((a, b) => byText(a.path, b.path)) };
}

/**
 * What a project made of these files should know, or null when no site has two wavelengths: each wavelength would
 * be an image of its own, its nuclei apart from its dendrites. `howToMerge` says how to join them first (the app's
 * button, or the command).
 */
export function wavelengthSetsNote(sets: readonly WavelengthSet[], howToMerge: string): string | null {
  if (sets.length === 0) return null;
  const files = sets.reduce((n, s) => n + s.files.length, 0);
  const wavelengths = [...new Set(sets.flatMap((s) => s.files.map((f) => f.wavelength)))].sort((a, b) => a - b).map((w) => `w${w}`);
  const sites = sets.length === 1 ? '1 ImageXpress site' : `${sets.length} ImageXpress sites`;
  return `${files} files are the wavelengths of ${sites} (${wavelengths.join(', ')}), one file each: each becomes an image of its own, its nuclei apart from its dendrites. To trace each site with all its channels, ${howToMerge}`;
}

/**
 * A folder MetaXpress makes for its own acquisition (`TimePoint_1`, `ZStep_2`), which names a time point or a focal
 * plane of the whole plate, never a condition.
 */
export const isAcquisitionFolder = (name: string): boolean => /^(TimePoint|ZStep)_\d+$/i.test(name);
