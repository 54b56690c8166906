import { readFile, stat } from 'node:fs/promises';
import { writeCsv } from '../../../shared/formats/csv';
import { parseCsv } from '../../../shared/project/csv-parse';
import { toAppError } from '../../../shared/result';
import { compareGroups, fitClusterModel, StatsInputError } from '../../../shared/stats/analyze';
import { comparisonCsvRows, comparisonText } from '../../../shared/stats/report-format';
import { groupTable, TableInputError } from '../../../shared/stats/table-input';
import { readProjectTables } from '../../services/project-tables';
import { type CliCommand, optionValue, parseArgs, readFailure } from '../io';
import { plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify stats INPUT --group COLUMN --value COLUMN [--control NAME] [--equal-variances] [--cluster COLUMN] [--json|--csv]
  INPUT  a CSV file (e.g. neurons.csv of an export) or a project folder (its neurons, as neurons.csv exports them)
  ≥ 3 groups: one-way ANOVA, Dunnett vs --control (Tukey for all pairs without one), Kruskal–Wallis, Dunn (Holm).
  2 groups: Welch's t test (Student's with --equal-variances), Mann–Whitney U (exact p for n < 50 without ties,
            else the normal approximation with continuity correction, as R's wilcox.test).
  --cluster COLUMN  also fit a mixed model with a random intercept per culture/well/coverslip (REML).
  Empty value cells are skipped.
`;

/** The table to analyse: the CSV itself, or the neurons table a project exports. */
async function readTable(input: string): Promise<string[][]> {
  const info = await stat(input);
  if (!info.isDirectory()) return parseCsv(await readFile(input, 'utf8'));
  const { neurons } = await readProjectTables(input);
  return [neurons.header, ...neurons.rows];
}

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['json', 'csv', 'equal-variances', 'help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const opt = (k: string) => optionValue(options, k);
  const group = opt('group');
  const value = opt('value');
  const known = new Set(['group', 'value', 'control', 'cluster', 'json', 'csv', 'equal-variances']);
  const unknown = [...options.keys()].filter((k) => !known.has(k));
  if (positionals.length !== 1 || !group || !value || unknown.length || (options.has('json') && options.has('csv'))) {
    const why = unknown.length ? `unknown option --${unknown[0]}` : positionals.length !== 1 ? 'expected one INPUT' : !group || !value ? 'expected --group COLUMN and --value COLUMN' : 'choose one of --json and --csv';
    io.stderr(`ramify stats: ${why}.\n${USAGE}`);
    return 1;
  }
  let table: string[][];
  try {
    table = await readTable(positionals[0]);
  } catch (e) {
    io.stderr(`ramify stats: cannot read ${positionals[0]}: ${readFailure(e)}\n`);
    return 2;
  }
  try {
    const [header, ...rows] = table;
    if (!header) throw new TableInputError(`${positionals[0]} is empty`, 'data');
    const grouped = groupTable(header, rows, { group, value, cluster: opt('cluster') });
    const control = opt('control');
    const result = compareGroups(grouped.groups, { control, equalVariances: options.has('equal-variances') });
    const mixed = grouped.clusters ? fitClusterModel(grouped.groups, grouped.clusters, control) : null;
    if (options.has('json')) {
      const { kind: _kind, ...body } = result;
      io.stdout(JSON.stringify({ value, group_column: group, ...body, ...(mixed ? { mixed_model: mixed } : {}), skipped_empty: grouped.skippedEmpty }, null, 2) + '\n');
    } else if (options.has('csv')) io.stdout(writeCsv(['test', 'group', 'control', 'statistic', 'value'], comparisonCsvRows(result, mixed)));
    else io.stdout(comparisonText(result, value, mixed) + (grouped.skippedEmpty ? `(${plural(grouped.skippedEmpty, 'row')} with an empty ${value} skipped)\n` : ''));
    return 0;
  } catch (e) {
    if (e instanceof TableInputError) {
      io.stderr(`ramify stats: ${e.message}\n${e.kind === 'argument' ? USAGE : ''}`);
      return e.kind === 'argument' ? 1 : 2;
    }
    if (e instanceof StatsInputError) {
      const argument = e.message.startsWith('unknown control');
      io.stderr(`ramify stats: ${e.message}\n`);
      return argument ? 1 : 2;
    }
    io.stderr(`ramify stats: ${toAppError(e).message}\n`);
    return 2;
  }
};
