import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { measureDocument, neuronRecord, recordColumns, shollProfileRecords, type MeasureOptions } from '../../../shared/analysis';
import { roundNumber, writeCsv } from '../../../shared/formats/csv';
import { parseSwc } from '../../../shared/formats/swc';
import { parseAnnotation } from '../../../shared/formats/annotation-file';
import type { AnnotationDocument, BranchLabel } from '../../../shared/model/document';
import { RamifyError, toAppError } from '../../../shared/result';
import { parseArgs, readFailure, type CliCommand } from '../io';

const USAGE = `Usage: ramify measure FILE [--start UM] [--step UM] [--end UM] [--labels dendrite,apical,...] [--json | --csv [--profile]]
  FILE      .swc morphology (µm) or Ramify annotation (.json / .ramify, format "ramify-annotation" version 1)
  --start   first Sholl radius (default 10), --step radius step (default 1), --end last radius (default: farthest node)
  --labels  measure only paths with these labels (dendrite, apical, axon, undefined, custom:NAME)
  --json    one JSON object per neuron in an array, with the Sholl profile under "sholl" (default)
  --csv     header + one row per neuron; with --profile, the Sholl profiles instead (neuron, radius, crossings, fitted)
Lengths are in µm (column suffix _um); an uncalibrated annotation file is measured in px (suffix _px).
`;

const LABEL = /^(dendrite|apical|axon|undefined|custom:.+)$/;

/** Reads a Ramify annotation file with the app's own reader (validation, migrations, calibration). */
export function readAnnotationDocument(text: string): AnnotationDocument {
  return parseAnnotation(text).document;
}

function numberOption(options: Map<string, string[]>, name: string): number | undefined {
  const v = options.get(name)?.at(-1);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new RamifyError('usage', `--${name} must be a number (got '${v}').`);
  return n;
}

/** Rounds every number to the CSV precision so JSON and CSV print the same values. */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'number' ? roundNumber(v) : v)));
}

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['json', 'csv', 'profile', 'help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 1) {
    io.stderr(`ramify measure: expected one FILE.\n${USAGE}`);
    return 1;
  }
  let measureOptions: MeasureOptions;
  try {
    const start = numberOption(options, 'start');
    const step = numberOption(options, 'step');
    const end = numberOption(options, 'end');
    if (step !== undefined && !(step > 0)) throw new RamifyError('usage', '--step must be greater than 0.');
    if (start !== undefined && start < 0) throw new RamifyError('usage', '--start must be ≥ 0.');
    let labels: BranchLabel[] | undefined;
    const raw = options.get('labels')?.at(-1);
    if (raw !== undefined) {
      labels = raw.split(',').map((s) => s.trim()).filter(Boolean) as BranchLabel[];
      const bad = labels.find((l) => !LABEL.test(l));
      if (bad || labels.length === 0) throw new RamifyError('usage', `--labels: unknown label '${bad ?? raw}' (use dendrite, apical, axon, undefined or custom:NAME).`);
    }
    if (options.has('json') && options.has('csv')) throw new RamifyError('usage', 'Choose one of --json and --csv.');
    measureOptions = { labels, sholl: { start, step, end } };
  } catch (e) {
    io.stderr(`ramify measure: ${toAppError(e).message}\n`);
    return 1;
  }

  const file = positionals[0];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    io.stderr(`ramify measure: cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : readFailure(e)}\n`);
    return 2;
  }
  let doc: AnnotationDocument;
  try {
    const ext = extname(file).toLowerCase();
    if (ext === '.swc') doc = parseSwc(text, { name: file.split(/[\\/]/).pop()!.replace(/\.swc$/i, '') }).document;
    else if (ext === '.json' || ext === '.ramify') doc = readAnnotationDocument(text);
    else throw new RamifyError('unsupported-format', `Cannot measure '${ext || file}' files: give an .swc morphology or a Ramify annotation (.json/.ramify).`);
  } catch (e) {
    io.stderr(`ramify measure: ${file}: ${toAppError(e).message}\n`);
    return 2;
  }
  const results = measureDocument(doc, measureOptions);
  const unit = doc.calibration ? 'µm' : 'px';
  if (options.has('csv')) {
    if (options.has('profile')) {
      const rows = results.flatMap(shollProfileRecords);
      const header = ['neuron', 'neuron_id', unit === 'µm' ? 'radius_um' : 'radius_px', 'crossings', 'fitted'];
      io.stdout(writeCsv(header, rows.map((r) => header.map((h) => r[h]))));
    } else {
      const header = recordColumns(unit);
      io.stdout(writeCsv(header, results.map((m) => { const r = neuronRecord(m); return header.map((h) => r[h]); })));
    }
    return 0;
  }
  const u = unit === 'µm' ? 'um' : 'px';
  const json = results.map((m) => ({ ...neuronRecord(m), sholl: (m.sholl?.profile ?? []).map((p) => ({ [`radius_${u}`]: p.radius, crossings: p.crossings })) }));
  io.stdout(JSON.stringify(rounded(json), null, 2) + '\n');
  return 0;
};
