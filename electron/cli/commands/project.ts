import { progressSummary } from '../../../shared/project/project';
import { toAppError } from '../../../shared/result';
import { createProjectFromFolder, loadProject } from '../../services/project-service';
import { parseArgs, type CliCommand } from '../io';
import { plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify project init FOLDER [--conditions subfolder|regex:PATTERN|csv:FILE] [--name NAME] [--force]
       ramify project status PROJECT
  init      creates ramify-project.json in FOLDER from every .tif/.tiff/.lsm/.png/.jpg/.jpeg below it
  --conditions
    subfolder      the first folder level below FOLDER names the condition (e.g. FOLDER/VEH/cell1.tif → VEH)
    regex:PATTERN  capture group 1 of PATTERN matched against the file name (e.g. 'regex:^([A-Z]+)_')
    csv:FILE       columns 'file' (relative path or file name) and 'condition', plus any metadata columns; or a
                   plate map: 'well' (A01) and 'condition', for every image with that well in its name
  --force   replace an existing project file
  status    images done (ready for review or approved; an automatic trace once checked)/total, approved and
            neurons per condition, and how many automatic traces nobody has checked yet
`;


async function init(args: string[], io: Parameters<CliCommand>[1]): Promise<number> {
  const { positionals, options } = parseArgs(args, ['force']);
  if (positionals.length !== 1) {
    io.stderr(`ramify project init: expected one FOLDER.\n${USAGE}`);
    return 1;
  }
  try {
    const r = await createProjectFromFolder(positionals[0], {
      conditions: options.get('conditions')?.at(-1),
      name: options.get('name')?.at(-1),
      overwrite: options.has('force'),
    });
    const lines = [`Created project "${r.project.name}" with ${plural(r.project.images.length, 'image')}.`];
    for (const c of r.perCondition) lines.push(`  ${c.condition === '' ? '(no condition)' : c.condition}: ${plural(c.images, 'image')}`);
    if (r.unmatched.length > 0) {
      lines.push(`${plural(r.unmatched.length, 'image')} without a condition (set it in the app or re-run with another --conditions):`);
      for (const u of r.unmatched) lines.push(`  ${u.path}: ${u.reason}`);
    }
    if (r.unreadable.length > 0) {
      lines.push(`${plural(r.unreadable.length, 'image')} whose header could not be read (size and calibration unknown):`);
      for (const u of r.unreadable) lines.push(`  ${u.path}: ${u.reason}`);
    }
    const uncal = r.project.images.filter((i) => i.width !== null && !i.calibration).length;
    if (uncal > 0) lines.push(`${plural(uncal, 'image')} without a pixel size: lengths cannot be exported in µm until a calibration is set.`);
    for (const w of r.warnings) lines.push(`warning: ${w}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    const err = toAppError(e);
    io.stderr(`ramify project init: ${err.message}\n`);
    return err.code === 'usage' ? 1 : 2;
  }
}

async function status(args: string[], io: Parameters<CliCommand>[1]): Promise<number> {
  const { positionals } = parseArgs(args);
  if (positionals.length !== 1) {
    io.stderr(`ramify project status: expected one PROJECT folder.\n${USAGE}`);
    return 1;
  }
  try {
    const p = await loadProject(positionals[0]);
    const s = progressSummary(p);
    const row = (name: string, c: (typeof s.conditions)[number]) =>
      `  ${name}: ${c.done}/${c.images} images done, ${c.approved} approved, ${c.inProgress} in progress, ${plural(c.neurons, 'neuron')}${c.excluded ? `, ${c.excluded} excluded` : ''}`;
    const lines = [`Project "${p.name}"${p.blinding.enabled ? ' (blinded)' : ''}:`, ...s.conditions.map((c) => row(c.condition || '(no condition)', c)), row('total', s.total)];
    const { unchecked } = s.total;
    if (unchecked > 0) lines.push(`${plural(unchecked, 'image')} traced by Auto-trace all images ${unchecked === 1 ? 'awaits' : 'await'} a check in the app.`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    io.stderr(`ramify project status: ${toAppError(e).message}\n`);
    return 2;
  }
}

export const run: CliCommand = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub === 'init') return init(rest, io);
  if (sub === 'status') return status(rest, io);
  if (sub === '--help' || sub === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  io.stderr(`ramify project: expected 'init' or 'status'.\n${USAGE}`);
  return 1;
};
