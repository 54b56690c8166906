import { roundNumber } from '../../../shared/formats/csv';
import { parseShare } from '../../../shared/project/agreement';
import type { ProjectAgreement } from '../../../shared/project/agreement-tables';
import type { Project } from '../../../shared/project/schema';
import { RamifyError, toAppError } from '../../../shared/result';
import { assignAgreementImages, importAgreementTracing, loadProjectAgreement } from '../../services/agreement-service';
import { randomSeed } from '../../services/project-files';
import { optionValue, parseArgs, type CliCommand, type CliIO } from '../io';
import { plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify agreement PROJECT [--json]
       ramify agreement assign PROJECT (--share P% | --images IMG,IMG) --tracers NAME,NAME [--seed N]
       ramify agreement import PROJECT IMAGE TRACE --tracer NAME
  Inter-tracer agreement: a share of a project's images is traced twice, by two people blind to each other's work,
  each in a file of their own (the image's own annotations are untouched); their tracings are then compared.
  PROJECT   per-measure ICC(2,1) (two-way random, absolute agreement, with 95 % CI) and Bland-Altman limits for
            primary dendrites, branch points, tips, total length and Nmax, and per neuron pair the Vaa3D distances
            (SD, SSD, %SSD at 2 px) and count differences (B - A); --json for all of it as JSON
  assign    picks round(P% of the images), at least 1, by a seeded shuffle (--seed, default random; recorded in the
            project file), or exactly --images (ids or paths); refused once a tracer has saved work
  import    adds the neurons of TRACE (.swc, .ndf or .ramify.json) to NAME's tracing of IMAGE, an assigned image
`;

const fail = (io: CliIO, verb: string, e: unknown) => {
  const err = toAppError(e);
  io.stderr(`ramify agreement${verb}: ${err.message.split('\n')[0]}${err.code === 'usage' ? `\n${USAGE}` : '\n'}`);
  return err.code === 'usage' ? 1 : 2;
};

const listOption = (options: Map<string, string[]>, name: string): string[] | undefined =>
  optionValue(options, name)
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);

async function assign(args: string[], io: CliIO): Promise<number> {
  const { positionals, options } = parseArgs(args);
  let request: Parameters<typeof assignAgreementImages>[1];
  try {
    if (positionals.length !== 1) throw new RamifyError('usage', 'expected one PROJECT folder.');
    const tracers = listOption(options, 'tracers');
    if (!tracers || tracers.length !== 2) throw new RamifyError('usage', '--tracers needs two names separated by a comma (e.g. --tracers Ana,Ben).');
    const images = listOption(options, 'images');
    const shareRaw = optionValue(options, 'share');
    if (!images === !shareRaw) throw new RamifyError('usage', 'give either --share P% or --images IMG,IMG.');
    const seedRaw = optionValue(options, 'seed');
    if (seedRaw !== undefined && !/^\d+$/.test(seedRaw)) throw new RamifyError('usage', `--seed must be a whole number (got '${seedRaw}').`);
    request = { share: shareRaw ? parseShare(shareRaw) : 1, tracers: [tracers[0], tracers[1]], seed: seedRaw !== undefined ? Number(seedRaw) >>> 0 : randomSeed(), now: new Date().toISOString(), imageRefs: images };
  } catch (e) {
    return fail(io, ' assign', e);
  }
  try {
    const p = await assignAgreementImages(positionals[0], request);
    const a = p.agreement!;
    const paths = a.imageIds.map((id) => p.images.find((i) => i.id === id)!.path);
    io.stdout(`Assigned ${paths.length} of ${plural(p.images.length, 'image')} to ${a.tracers[0]} and ${a.tracers[1]} (seed ${a.seed}):\n${paths.map((x) => `  ${x}`).join('\n')}\n`);
    return 0;
  } catch (e) {
    return fail(io, ' assign', e);
  }
}

async function importTrace(args: string[], io: CliIO): Promise<number> {
  const { positionals, options } = parseArgs(args);
  const tracer = optionValue(options, 'tracer');
  if (positionals.length !== 3 || !tracer) return fail(io, ' import', new RamifyError('usage', 'expected PROJECT IMAGE TRACE and --tracer NAME.'));
  try {
    const r = await importAgreementTracing(positionals[0], positionals[1], tracer, positionals[2]);
    const img = r.project.images.find((i) => i.id === r.imageId)!;
    io.stdout(`Imported ${plural(r.neurons, 'neuron')} into ${tracer}'s agreement tracing of ${img.path} (${img.id}); it now has ${r.total}.\n`);
    return 0;
  } catch (e) {
    return fail(io, ' import', e);
  }
}

/** The JSON `ramify agreement PROJECT --json` prints. */
export function agreementJson(project: Project, a: ProjectAgreement) {
  const pathOf = new Map(project.images.map((i) => [i.id, i.path]));
  const u = (unit: string) => (unit === 'µm' ? 'um' : unit);
  const json = {
    tracers: a.tracers,
    images: a.images.map((i) => ({ image: pathOf.get(i.imageId), image_id: i.imageId, traced_a: i.tracedA, traced_b: i.tracedB, pairs: i.pairs })),
    icc: Object.fromEntries(
      a.measures.map((m) => [
        m.measure,
        { unit: u(m.unit), n: m.blandAltman.n, icc: m.icc?.icc ?? null, ci_low: m.icc?.ciLow ?? null, ci_high: m.icc?.ciHigh ?? null, p: m.icc?.p ?? null, bias: Number.isFinite(m.blandAltman.bias) ? m.blandAltman.bias : null, loa_lower: m.blandAltman.lower, loa_upper: m.blandAltman.upper },
      ]),
    ),
    distances: a.distances.map((d) => ({ unit: u(d.unit), pairs: d.pairs, mean_sd: d.meanSd, mean_ssd: d.meanSsd, mean_pct_ssd: d.meanPctSsd })),
    neurons: a.rows.map((r) => ({
      image: pathOf.get(r.imageId),
      match: r.match,
      neuron_a: r.pair?.a.name ?? (r.match === 'only_a' ? r.neuronName : null),
      neuron_b: r.pair?.b.name ?? (r.match === 'only_b' ? r.neuronName : null),
      unit: u(r.unit),
      sd: r.pair?.distance?.sd ?? null,
      ssd: r.pair?.distance?.ssd ?? null,
      pct_ssd: r.pair?.distance ? 100 * r.pair.distance.pctSsd : null,
      counts: r.pair?.counts ?? null,
    })),
    warnings: a.warnings,
  };
  return JSON.parse(JSON.stringify(json, (_k, v) => (typeof v === 'number' ? roundNumber(v) : v)));
}

function text(project: Project, a: ProjectAgreement): string {
  const f = (v: number | null | undefined, digits = 3) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
  const traced = a.images.filter((i) => i.tracedA && i.tracedB).length;
  const lines = [`Agreement of ${a.tracers[0]} (A) and ${a.tracers[1]} (B) in "${project.name}": ${traced} of ${plural(a.images.length, 'assigned image')} traced by both, ${plural(a.rows.filter((r) => r.pair).length, 'neuron pair')}.`];
  lines.push('  measure             n   ICC(2,1) [95% CI]          bias (B-A)   limits of agreement');
  for (const m of a.measures) {
    const ci = m.icc ? `${f(m.icc.icc)} [${f(m.icc.ciLow)}, ${f(m.icc.ciHigh)}]` : '— (needs 2 pairs that vary)';
    lines.push(`  ${m.measure.padEnd(18)} ${String(m.blandAltman.n).padStart(2)}   ${ci.padEnd(26)} ${f(m.blandAltman.bias, 2).padStart(10)}   ${f(m.blandAltman.lower, 2)} to ${f(m.blandAltman.upper, 2)}${m.unit === 'count' ? '' : ` ${m.unit}`}`);
  }
  for (const d of a.distances) lines.push(`  distances (${d.unit}): mean SD ${f(d.meanSd)}, SSD ${f(d.meanSsd)}, %SSD ${f(d.meanPctSsd, 1)} over ${plural(d.pairs, 'pair')}`);
  for (const i of a.images.filter((x) => !(x.tracedA && x.tracedB))) {
    const missing = [!i.tracedA ? a.tracers[0] : null, !i.tracedB ? a.tracers[1] : null].filter(Boolean).join(' and ');
    lines.push(`  waiting: ${project.images.find((x) => x.id === i.imageId)?.path} (not yet traced by ${missing})`);
  }
  for (const w of a.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}

async function report(args: string[], io: CliIO): Promise<number> {
  const { positionals, options } = parseArgs(args, ['json']);
  if (positionals.length !== 1) return fail(io, '', new RamifyError('usage', 'expected one PROJECT folder.'));
  try {
    const { project, agreement } = await loadProjectAgreement(positionals[0]);
    io.stdout(options.has('json') ? JSON.stringify(agreementJson(project, agreement), null, 2) + '\n' : text(project, agreement));
    return 0;
  } catch (e) {
    return fail(io, '', e);
  }
}

export const run: CliCommand = async (args, io) => {
  const [first, ...rest] = args;
  if (first === '--help' || first === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (first === 'assign') return assign(rest, io);
  if (first === 'import') return importTrace(rest, io);
  return report(args, io);
};
