import { toAppError } from '../../../shared/result';
import { importTracing, loadProject } from '../../services/project-service';
import { parseArgs, type CliCommand } from '../io';
import { plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify import PROJECT IMAGE TRACE [--author NAME]
  Appends the neurons of TRACE to IMAGE's annotations in PROJECT.
  IMAGE   image id (img-0001), or the path of an image of the project: relative to the project folder, relative to
          the current folder, or absolute; a file name unique in the project also works
  TRACE   .swc (µm; converted to px with the image's calibration), NeuronJ .ndf (px; its tracings become detached
          branches of one neuron "<file> (NeuronJ)": place the soma and attach them in the app) or a Ramify
          annotation .json (px) — the same import as the app's File > Import Tracing
`;

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['help']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  if (positionals.length !== 3) {
    io.stderr(`ramify import: expected PROJECT IMAGE TRACE.\n${USAGE}`);
    return 1;
  }
  const [projectPath, imageRef, trace] = positionals;
  try {
    const project = await loadProject(projectPath);
    const r = await importTracing(projectPath, project, imageRef, trace, { author: options.get('author')?.at(-1) });
    const img = r.project.images.find((i) => i.id === r.imageId)!;
    const lines = [`Imported ${plural(r.neurons.length, 'neuron')} into ${img.path} (${img.id}); it now has ${img.neuronCount}.`];
    for (const n of r.neurons) lines.push(`  ${n.name}: ${plural(n.branches, 'path')}, ${plural(n.nodes, 'node')}`);
    for (const note of r.notes) lines.push(`note: ${note}`);
    io.stdout(lines.join('\n') + '\n');
    return 0;
  } catch (e) {
    io.stderr(`ramify import: ${toAppError(e).message}\n`);
    return 2;
  }
};
