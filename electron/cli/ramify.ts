import { RamifyError } from '../../shared/result';
import type { CliCommand, CliIO } from './io';

/** Subcommands load lazily so `ramify inspect` does not pay for the tracing or analysis code. */
const commands: Record<string, { summary: string; load: () => Promise<{ run: CliCommand }> }> = {
  inspect: { summary: 'inspect FILE [--json]            image dimensions, bit depth, calibration, per-page statistics', load: () => import('./commands/inspect') },
  trace: { summary: 'trace IMAGE --from X,Y --to X,Y | --path \'X,Y X,Y sX,Y\' [--channel N] [--json]   the nodes the app stores for these clicks', load: () => import('./commands/trace') },
  measure: { summary: 'measure FILE [--start UM] [--step UM] [--end UM] [--labels L,..] --json|--csv   morphometrics and Sholl', load: () => import('./commands/measure') },
  convert: { summary: 'convert IN OUT [--pixel-size UM]      SWC <-> Ramify annotation (.ramify.json), by extension', load: () => import('./commands/convert') },
  'merge-wavelengths': { summary: 'merge-wavelengths PLATE --out FOLDER [--json]   an ImageXpress site\'s wavelength files as one multi-channel image', load: () => import('./commands/merge-wavelengths') },
  project: { summary: 'project init FOLDER [--conditions subfolder|regex:PATTERN|csv:FILE] | project status PROJECT   projects', load: () => import('./commands/project') },
  import: { summary: 'import PROJECT IMAGE TRACE       attach an .swc, NeuronJ .ndf or .ramify.json tracing to a project image', load: () => import('./commands/import') },
  autotrace: { summary: 'autotrace IMAGE [--soma X,Y]... [--channel N] [--out FILE] [--json] | autotrace PROJECT --all   automatic tracing', load: () => import('./commands/autotrace') },
  stats: { summary: 'stats INPUT --group COL --value COL [--control NAME] [--equal-variances] [--json|--csv]   group statistics equal to R', load: () => import('./commands/stats') },
  report: { summary: 'report PROJECT --out REPORT.html [--control CONDITION]   one-file HTML report: methods, figures, statistics', load: () => import('./commands/report') },
  export: { summary: 'export PROJECT --out DIR [--px] [--swc] [--approved-only]  CSV tables, Prism files and data dictionary of a project', load: () => import('./commands/export') },
  compare: { summary: 'compare A B [--threshold T] [--diadem-xy T] [--json]   Vaa3D distances (SD, SSD, %SSD), DIADEM and count differences of two tracings', load: () => import('./commands/compare') },
  agreement: { summary: 'agreement PROJECT [--json] | agreement assign PROJECT --share P% --tracers A,B | agreement import ...   tracer agreement (ICC)', load: () => import('./commands/agreement') },
};

const usage = () =>
  ['Usage: ramify <command> [options]', '', 'Commands:', ...Object.values(commands).map((c) => `  ${c.summary}`), ''].join('\n');

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : 1;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`ramify: unknown command '${name}'\n${usage()}`);
    return 1;
  }
  const { run } = await command.load();
  try {
    return await run(rest, io);
  } catch (e) {
    // parseArgs's usage errors (an option without its value) are thrown before a command's own checks run.
    if (!(e instanceof RamifyError) || e.code !== 'usage') throw e;
    io.stderr(`ramify ${name}: ${e.message}\n${await helpOf(run)}`);
    return 1;
  }
}

/** A command's --help text, '' for one without. */
async function helpOf(run: CliCommand): Promise<string> {
  let text = '';
  const code = await run(['--help'], { stdout: (s) => (text += s), stderr: () => undefined }).catch(() => 1);
  return code === 0 ? text : '';
}
