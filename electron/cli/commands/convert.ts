import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { newAnnotationFile, parseAnnotation, serializeAnnotation, type AnnotationFile } from '../../../shared/formats/annotation-file';
import { parseSwc, swcStatedCalibration, writeSwc } from '../../../shared/formats/swc';
import type { Calibration } from '../../../shared/image/types';
import { RamifyError, toAppError } from '../../../shared/result';
import { writeFileAtomicDurable } from '../../services/atomic-write';
import { parseArgs, type CliCommand } from '../io';

const USAGE = `Usage: ramify convert IN OUT [--pixel-size UM]
  Converts between SWC morphologies (.swc, µm) and Ramify annotation files (.ramify.json / .json, px + calibration),
  chosen by the file extensions. Annotation → annotation upgrades older format versions to the current one.
  --pixel-size UM   µm per pixel: for SWC → annotation (default: the voxel size the SWC's header states, else 1),
                    or to write SWC from an uncalibrated annotation
`;

type Kind = 'swc' | 'annotation';

function kindOf(path: string): Kind {
  const name = basename(path).toLowerCase();
  if (name.endsWith('.swc')) return 'swc';
  if (name.endsWith('.json') || name.endsWith('.ramify')) return 'annotation';
  throw new RamifyError('usage', `${basename(path)}: unknown extension (use .swc, .ramify.json or .json).`);
}

/** Ramify's version for the file's "app" stamp (package.json next to the sources; the CLI runs from them). */
async function appVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

const userCalibration = (um: number): Calibration => ({ pixelWidth: um, pixelHeight: um, unit: 'µm', source: 'user' });

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  let inKind: Kind;
  let outKind: Kind;
  let pixelSize: number | undefined;
  try {
    if (positionals.length !== 2) throw new RamifyError('usage', 'expected IN and OUT files.');
    inKind = kindOf(positionals[0]);
    outKind = kindOf(positionals[1]);
    const raw = options.get('pixel-size')?.at(-1);
    if (raw !== undefined) {
      pixelSize = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(pixelSize) || !(pixelSize > 0) || pixelSize > 1e6) throw new RamifyError('usage', `--pixel-size must be a positive number of µm (got '${raw}').`);
    }
  } catch (e) {
    io.stderr(`ramify convert: ${toAppError(e).message}\n${USAGE}`);
    return 1;
  }
  const [input, output] = positionals;
  try {
    const text = await readFile(input, 'utf8').catch((e: NodeJS.ErrnoException) => {
      throw new RamifyError('unreadable', `cannot read ${input}: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`);
    });
    let file: AnnotationFile;
    if (inKind === 'swc') {
      const stated = pixelSize === undefined ? swcStatedCalibration(text) : null;
      if (stated) io.stderr(`ramify convert: no --pixel-size given; using the voxel size ${input} states (${stated.pixelWidth} × ${stated.pixelHeight} µm per px).\n`);
      else if (pixelSize === undefined) io.stderr('ramify convert: no --pixel-size given; using 1 µm/px (1 px per µm).\n');
      const calibration = stated ?? userCalibration(pixelSize ?? 1);
      const imported = parseSwc(text, { calibration, name: basename(input).replace(/\.swc$/i, '') });
      for (const w of imported.warnings) io.stderr(`ramify convert: ${input}: ${w}\n`);
      file = newAnnotationFile(imported.document, { appVersion: await appVersion() });
    } else {
      file = parseAnnotation(text);
    }
    let outText: string;
    if (outKind === 'annotation') outText = serializeAnnotation(file);
    else {
      let doc = file.document;
      if (!doc.calibration) {
        if (pixelSize === undefined) throw new RamifyError('swc-uncalibrated', `${input} has no pixel size, so SWC (µm) cannot be written; give --pixel-size UM.`);
        doc = { ...doc, calibration: userCalibration(pixelSize) };
      } else if (pixelSize !== undefined && inKind === 'annotation') {
        io.stderr(`ramify convert: ${input} is calibrated (${doc.calibration.pixelWidth} µm/px); --pixel-size is ignored.\n`);
      }
      outText = writeSwc(doc, { header: [`converted by ramify convert from ${basename(input)}`] });
    }
    await writeFileAtomicDurable(output, outText);
  } catch (e) {
    io.stderr(`ramify convert: ${toAppError(e).message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 2;
  }
  return 0;
};
