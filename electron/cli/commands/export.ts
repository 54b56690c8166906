import { exportHeadline } from '../../../shared/project/export-tables';
import { toAppError } from '../../../shared/result';
import { exportProject } from '../../services/export-service';
import { parseArgs, type CliCommand } from '../io';
import { plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify export PROJECT --out DIR [--px] [--swc] [--approved-only]
  Writes neurons.csv, sholl.csv, branches.csv, Prism-ready files (prism-*.csv, sholl.pzfx) and data-dictionary.csv.
  --px   add _px columns of every length (the only lengths an uncalibrated image gets)
  --swc  also write one SWC file (µm) per neuron into DIR/swc/
  --approved-only  only neurons a reviewer approved; says how many others were left out, per status
`;

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['px', 'swc', 'approved-only', 'help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  const out = options.get('out')?.at(-1);
  if (positionals.length !== 1 || !out || out === 'true') {
    io.stderr(`ramify export: expected PROJECT and --out DIR.\n${USAGE}`);
    return 1;
  }
  try {
    const r = await exportProject(positionals[0], out, { includePixelColumns: options.has('px'), includeSwc: options.has('swc'), approvedOnly: options.has('approved-only') });
    const lines = [`${exportHeadline(r)} to ${r.outDir}:`];
    for (const f of r.files) lines.push(`  ${f.name}${f.rows === null ? '' : ` (${plural(f.rows, 'row')})`}`);
    if (r.swcFiles > 0) lines.push(`  swc/ (${plural(r.swcFiles, 'file')})`);
    for (const w of r.warnings) lines.push(`warning: ${w}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    io.stderr(`ramify export: ${toAppError(e).message}\n`);
    return 2;
  }
};
