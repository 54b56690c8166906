import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { toAppError } from '../../../shared/result';
import { mergeOutcomeLines, mergePlateWavelengths } from '../../services/merge-wavelengths';
import { optionValue, parseArgs, readFailure, type CliCommand } from '../io';

const USAGE = `Usage: ramify merge-wavelengths PLATE --out FOLDER [--json]
  An ImageXpress plate saves one file per wavelength of each site (Plate1_A01_s1_w1.tif, Plate1_A01_s1_w2.tif, with
  or without MetaXpress's GUID). Writes each site's wavelengths as one multi-channel image, an OME-TIFF with the
  values unchanged (FOLDER/Plate1_A01_s1.tif, the plate's subfolders kept): channel 1 = w1, channel 2 = w2, …, each
  named by the illumination it was taken with (DAPI, FITC) and calibrated as the files are. Make the project of
  FOLDER then: Detect finds the cell bodies on the nuclear channel beside the dendrites. The plate's files are only
  read; an image already in FOLDER is left as it is (its tracing may lie beside it).
  --out FOLDER   where the merged images go (made if missing)
  --json         prints {merged: [{image, channels: [{file, name}]}], kept: [...], leftAlone: [...], failed: [...]}
`;

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['help', 'json']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const out = optionValue(options, 'out');
  if (positionals.length !== 1 || !out) {
    io.stderr(`ramify merge-wavelengths: ${positionals.length !== 1 ? 'expected one PLATE folder' : '--out FOLDER is needed'}.\n${USAGE}`);
    return 1;
  }
  const plate = positionals[0];
  const isFolder = await stat(plate).then((s) => s.isDirectory(), (e: unknown) => readFailure(e));
  if (isFolder !== true) {
    io.stderr(`ramify merge-wavelengths: cannot read ${plate}: ${isFolder === false ? 'it is a file, not a plate folder' : isFolder}.\n`);
    return 2;
  }
  let outcome;
  try {
    outcome = await mergePlateWavelengths(plate, out);
  } catch (e) {
    const err = toAppError(e);
    io.stderr(`ramify merge-wavelengths: ${err.message}\n`);
    return err.code === 'not-found' || err.code === 'invalid-argument' ? 1 : 2;
  }
  const lines = mergeOutcomeLines(outcome, displayPath(out));
  if (outcome.merged.length > 0) lines.push(`Next: ramify project init ${shellWord(displayPath(out))}`);
  io.stdout(options.has('json') ? `${JSON.stringify(outcome, null, 2)}\n` : `${lines.join('\n')}\n`);
  return outcome.failed.length > 0 ? 2 : 0;
};

/** A path as one word of a shell command: single-quoted when it holds a space or a character the shell reads. */
const shellWord = (path: string) => (/^[\w./:@%+,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`);

/** A path as the user would type it from here: relative when inside the current folder. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), resolve(path));
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : resolve(path);
}
