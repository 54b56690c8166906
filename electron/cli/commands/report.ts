import { access } from 'node:fs/promises';
import { toAppError } from '../../../shared/result';
import { writeReport } from '../../services/report-service';
import { type CliCommand, optionValue, parseArgs, readFailure } from '../io';
import { plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify report PROJECT --out REPORT.html [--control CONDITION] [--unit neuron|COLUMN] [--cluster COLUMN]
  One self-contained HTML file: methods written from the project, Sholl curves (mean ± SEM per condition), a dot plot
  with mean ± SEM and the test result for each per-neuron measure, and the tables. Prints cleanly to PDF.
  --control   reference condition for Dunnett's test (default: the project's first condition)
  --unit      analyse the mean per culture/well/coverslip (a metadata column) instead of per neuron
  --cluster   add a mixed model with a random intercept per value of this metadata column
`;

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const get = (k: string) => optionValue(options, k);
  const out = get('out');
  const unknown = [...options.keys()].filter((k) => !['out', 'control', 'unit', 'cluster'].includes(k));
  if (positionals.length !== 1 || !out || unknown.length) {
    io.stderr(`ramify report: ${unknown.length ? `unknown option --${unknown[0]}` : 'expected PROJECT and --out FILE'}.\n${USAGE}`);
    return 1;
  }
  try {
    await access(positionals[0]);
  } catch (e) {
    io.stderr(`ramify report: cannot read ${positionals[0]}: ${readFailure(e)}\n`);
    return 2;
  }
  try {
    const r = await writeReport(positionals[0], out, { control: get('control'), unit: get('unit'), cluster: get('cluster') });
    io.stdout(`Wrote ${out}: ${plural(r.neurons, 'neuron')} in ${plural(r.conditions.length, 'condition')} (${r.conditions.join(', ')}).\n${r.warnings.map((w) => `warning: ${w}\n`).join('')}`);
    return 0;
  } catch (e) {
    const message = toAppError(e).message;
    io.stderr(`ramify report: ${message}\n`);
    return message.startsWith('unknown control') || message.startsWith('no column') ? 1 : 2;
  }
};
