import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { annotationFromJson } from '../../shared/formats/annotation-file';
import { ndfToNeuron, parseNdf } from '../../shared/formats/ndf';
import { parseSwc, swcStatedCalibration } from '../../shared/formats/swc';
import type { Calibration } from '../../shared/image/types';
import type { ImportedTracing } from '../../shared/ipc/contract';
import { RamifyError } from '../../shared/result';

/**
 * The one route by which tracings enter Ramify, for the app's Import command and `ramify import` alike: the file is
 * read here with its own ids (1…), and the caller appends it with shared/model/merge's mergeDocuments, which
 * renumbers above the target's ids and continues its colour sequence.
 */

/** Extensions (lower case, without the dot) the import accepts; the app's file dialog filters by these. */
export const TRACING_EXTENSIONS = ['swc', 'ndf', 'json'] as const;

const MAX_BYTES = 256 * 1024 * 1024;

export const NDF_DETACHED_NOTE =
  'NeuronJ tracings arrive as detached paths: place the soma (paths that start at it attach themselves), or attach each with J (select an end node, J, then click the soma or a node).';

/** Pixel size used to turn SWC µm into image pixels; null when the image is uncalibrated. */
export type ImportCalibration = Pick<Calibration, 'pixelWidth' | 'pixelHeight'> & { voxelDepth?: number };

/**
 * Reads an SWC (µm → px by `calibration`; one neuron per tree, named after the file), a NeuronJ .ndf (px; its
 * tracings become detached paths of one neuron "<file> (NeuronJ)") or a Ramify annotation (.json, px).
 * Throws RamifyError('not-found' | 'too-large' | 'wrong-type' | the parser's code) with a sentence for the user.
 */
export async function readTracingFile(path: string, calibration: ImportCalibration | null): Promise<ImportedTracing> {
  const fileName = basename(path);
  const ext = extname(path).toLowerCase();
  if (!(TRACING_EXTENSIONS as readonly string[]).includes(ext.slice(1)))
    throw new RamifyError('wrong-type', `${fileName} is not a tracing Ramify imports (SWC, NeuronJ .ndf or Ramify .json).`);
  const bytes = await readFile(path).catch((e: NodeJS.ErrnoException) => {
    throw new RamifyError('not-found', `Cannot read ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}.`);
  });
  if (bytes.length > MAX_BYTES) throw new RamifyError('too-large', `${fileName} is too large to import.`);
  const text = new TextDecoder().decode(bytes);
  const stem = basename(path, extname(path));
  if (ext === '.swc') {
    // An uncalibrated image takes the voxel size the file's header states (SNT writes it, Ramify too).
    const stated = calibration ? null : swcStatedCalibration(text);
    const cal: Calibration | undefined = calibration ? { ...calibration, unit: 'µm', source: 'user' } : (stated ?? undefined);
    const { document, warnings } = parseSwc(text, { calibration: cal, name: stem });
    if (stated) warnings.push(`The image is uncalibrated: SWC µm were placed by the voxel size the file states (${stated.pixelWidth} × ${stated.pixelHeight} µm per pixel).`);
    else if (!calibration) warnings.push('The image is uncalibrated: SWC µm were read as 1 µm per pixel; set the pixel size and import again for true positions.');
    return { document, kind: 'swc', warnings, fileName };
  }
  if (ext === '.ndf') {
    const { neuron, nextId } = ndfToNeuron(parseNdf(text), 1, `${stem} (NeuronJ)`);
    return { document: { neurons: [neuron], nextId, calibration: null }, kind: 'ndf', warnings: [NDF_DETACHED_NOTE], fileName };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RamifyError('wrong-type', `${fileName} is not valid JSON: ${(e as Error).message}.`);
  }
  return { document: annotationFromJson(json).document, kind: 'ramify', warnings: [], fileName };
}
