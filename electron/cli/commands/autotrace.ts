import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { newAnnotationFile, serializeAnnotation } from '../../../shared/formats/annotation-file';
import { writeSwc } from '../../../shared/formats/swc';
import { decodeImage } from '../../../shared/image/decode';
import { channelNames } from '../../../shared/display/opening-display';
import { namedChannelsText, nuclearStainName, tracingChannels } from '../../../shared/image/stain-names';
import { microscopeCalibration } from '../../../shared/image/calibration';
import type { Calibration, ImageInfo } from '../../../shared/image/types';
import { RamifyError, toAppError } from '../../../shared/result';
import { tracedNothing } from '../../../shared/tracing/auto/auto-neuron';
import { printResolutionNote } from '../../../shared/tracing/auto/pixel-size';
import { pruneOptionsFor } from '../../../shared/tracing/auto/prune-trace';
import { autoTraceImage, autoTraceRegions, documentWithNeurons, type AutoTraceOutcome, type AutoTraceRequest } from '../../../shared/tracing/auto/run';
import { AUTO_TRACE_MAX_PIXELS, FIRST_WINDOW_PIXELS, tooLargeForOneTrace } from '../../../shared/tracing/auto/window';
import { writeFileAtomicDurable } from '../../services/atomic-write';
import { readImageFile } from '../../services/image-file';
import { projectFilePath } from '../../services/project-service';
import { openTiffRegions } from '../../services/trace-image-file';
import { ramifyVersion } from '../../services/project-files';
import { parseArgs, type CliCommand } from '../io';
import { autotraceProject } from './autotrace-project';
import { oneOrMany, plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify autotrace IMAGE [--soma X,Y]... [--channel N] [--nucleus-channel N] [--slice N | --flat] [--min-branch UM] [--pixel-size UM] [--max-mp MP] [--out FILE] [--json]
       ramify autotrace PROJECT --all [--channel N] [--nucleus-channel N] [--min-branch UM] [--max-mp MP]
  Traces whole neurons automatically (APP2-style geodesic tree with hierarchical pruning).
  --soma X,Y   a click on a cell body, or on the start of a fibre without one (image px, repeatable);
               without --soma every neuron of the field is detected and traced; on a field without any
               cell body, each fibre from where it enters the image or from its trunk's end ("fibre": true)
  --channel N  channel to trace, 1-based; --nucleus-channel N: nuclear stain used to find cell bodies (none:
               compact blobs of the traced channel). Not given: what the file's channel names say (MAP2 traced,
               DAPI or Hoechst finds the cell bodies; "channels_by_name" in --json), else channel 1 and none.
               With --all, both and --min-branch default to the project's choice in the app (its Tracing and
               Auto panels), else to what the first image's channel names say, else channel 1, none and 5
  --slice N    z-slice to trace, 1-based (nodes at that slice). Without it a z-stack is traced on its z
               projection (brightest slice per pixel; darkest on a bright background) and each node is placed at
               the depth where the stack is brightest (darkest) under it (an SWC is a 3D reconstruction)
  --flat       on a z-stack: keep the projection's trace planar (z = 0), as the app's Auto tool does on a projection
  --min-branch shortest branch kept, µm (default 5); an uncalibrated image is read at 0.5 µm/px, so 5 = 10 px
               (so is one whose pixel size is a print resolution from its TIFF resolution tags, 72 dpi and the like)
  --pixel-size µm per pixel, for an image without one or with a wrong one: lengths and the --out file use it
  --max-mp MP  most megapixels one trace reads (default 33.6, about 1.7 GB of memory). With --soma an image over
               8.4 MP (a slide scan) is traced in a window around the points, 2896 × 2896 px first, four times
               larger while the cell runs into its edge, up to MP; a TIFF is then read window by window (only
               the strips or tiles of the window), so the file may be larger than memory; without --soma a
               larger image is refused
  --out FILE   .swc (µm when calibrated, px otherwise or at a print resolution; soma type 1 root, dendrites type 3)
               or .ramify.json
  --json       print {"neurons":[{"soma":{"x","y"},"fibre","nodes","branches","branch_points","tips","length_px","length_um"}],"parameters":{…},"timings":{…}}
               (and "more_signal_in_channel": N when channel N stands out clearly more and none, or only fibres,
               was found, or on a colour image whatever was;
               "nuclear_stain_in_channel": N when Detect found no cell body and channel N looks like nuclei; "note"
               when the image's pixel size is only a print resolution)
  --all        PROJECT: trace every image without annotations (manual work is never touched), and again a trace of
               an earlier --all nobody has saved or finished reviewing, made with other channels or detail; the
               files are marked as needing review
`;

function parsePoint(text: string): { x: number; y: number } {
  const parts = text.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (parts.length !== 2 || !parts.every(Number.isFinite)) throw new RamifyError('usage', `--soma must be X,Y in image pixels (got '${text}').`);
  return { x: parts[0], y: parts[1] };
}

function positiveInt(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new RamifyError('usage', `--${name} must be a whole number from 1 (got '${text}').`);
  return v;
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

/**
 * A TIFF larger than the first window of a trace around clicks, opened to be read window by window (the image is
 * never decoded whole); null for anything the whole-file decoder reads instead: smaller images, PNG and JPEG, old-style
 * JPEG TIFFs, paths that are not regular files (readImageFile says what is wrong with them).
 */
async function windowedTiff(path: string, maxPixels: number): Promise<Awaited<ReturnType<typeof openTiffRegions>>> {
  const regions = await openTiffRegions(path);
  if (regions && regions.reader.info.width * regions.reader.info.height <= Math.min(FIRST_WINDOW_PIXELS, maxPixels)) return (await regions.close(), null);
  return regions;
}

export const run: CliCommand = async (args, io) => {
  const { positionals, options } = parseArgs(args, ['json', 'all', 'help', 'flat']);
  if (options.has('help')) {
    io.stdout(USAGE);
    return 0;
  }
  let seeds: Array<{ x: number; y: number }>;
  let channel: number | undefined;
  let nucleus: number | null | undefined;
  let slice: number | undefined;
  let minBranch: number | undefined;
  let pixelSize: number | undefined;
  let out: string | undefined;
  let maxPixels = AUTO_TRACE_MAX_PIXELS;
  try {
    const known = new Set(['soma', 'channel', 'nucleus-channel', 'slice', 'flat', 'min-branch', 'pixel-size', 'max-mp', 'out', 'json', 'all', 'help']);
    for (const k of options.keys()) if (!known.has(k)) throw new RamifyError('usage', `Unknown option --${k}.`);
    if (positionals.length !== 1) throw new RamifyError('usage', positionals.length === 0 ? 'Missing IMAGE.' : `Expected one IMAGE, got ${positionals.length} arguments.`);
    seeds = (options.get('soma') ?? []).map(parsePoint);
    channel = positiveInt(options.get('channel')?.at(-1), 'channel');
    const nc = options.get('nucleus-channel')?.at(-1);
    if (nc !== undefined && nc !== 'none' && !(Number.isInteger(Number(nc)) && Number(nc) >= 1)) throw new RamifyError('usage', `--nucleus-channel must be a whole number from 1, or none (got '${nc}').`);
    nucleus = nc === undefined ? undefined : nc === 'none' ? null : Number(nc);
    slice = positiveInt(options.get('slice')?.at(-1), 'slice');
    if (slice !== undefined && options.has('flat')) throw new RamifyError('usage', '--slice traces one slice; --flat keeps a projection\'s trace planar: give one of them.');
    if ((slice !== undefined || options.has('flat')) && options.has('all')) throw new RamifyError('usage', '--slice and --flat trace one image; --all traces each image as the app does (a stack on its projection, planar).');
    const mb = options.get('min-branch')?.at(-1);
    if (mb !== undefined) {
      minBranch = Number(mb);
      if (!Number.isFinite(minBranch) || minBranch < 0) throw new RamifyError('usage', `--min-branch must be a length ≥ 0 (got '${mb}').`);
    }
    const ps = options.get('pixel-size')?.at(-1);
    if (ps !== undefined) {
      pixelSize = Number(ps);
      if (ps.trim() === '' || !Number.isFinite(pixelSize) || !(pixelSize > 0) || pixelSize > 1e6) throw new RamifyError('usage', `--pixel-size must be a positive number of µm (got '${ps}').`);
      if (options.has('all')) throw new RamifyError('usage', "--pixel-size sets one image's pixel size; --all traces each image of a project at its own.");
    }
    const mp = options.get('max-mp')?.at(-1);
    if (mp !== undefined) {
      maxPixels = Math.floor(Number(mp) * 1e6);
      if (!Number.isFinite(maxPixels) || maxPixels < 1) throw new RamifyError('usage', `--max-mp must be a number of megapixels above 0 (got '${mp}').`);
    }
    out = options.get('out')?.at(-1);
    if (out !== undefined && !/\.(swc|ramify\.json|json)$/i.test(out)) throw new RamifyError('usage', `--out must end in .swc or .ramify.json (got '${out}').`);
    if (options.has('all') && (seeds.length > 0 || out !== undefined)) throw new RamifyError('usage', '--all traces a project; it takes no --soma or --out.');
  } catch (e) {
    io.stderr(`ramify autotrace: ${toAppError(e).message}\n${USAGE}`);
    return 1;
  }
  const detail = minBranch !== undefined ? { minBranchUm: minBranch } : {};
  if (options.has('all')) return autotraceProject(positionals[0], { channel: channel !== undefined ? channel - 1 : undefined, nucleusChannel: typeof nucleus === 'number' ? nucleus - 1 : nucleus, detail, maxPixels }, io);

  const path = positionals[0];
  const folder = await folderAdvice(path);
  if (folder) {
    io.stderr(`ramify autotrace: ${folder}\n`);
    return 1;
  }
  let windowed: Awaited<ReturnType<typeof windowedTiff>> = null;
  let traced: Traced;
  try {
    if (seeds.length > 0) windowed = await windowedTiff(path, maxPixels);
    if (windowed) {
      const { reader } = windowed;
      traced = { info: reader.info, trace: (request) => autoTraceRegions(reader.info, ({ planes, rect }) => reader.read(planes, rect), request), read: 'windows' };
    } else {
      const image = decodeImage(await readImageFile(path));
      traced = { info: image.info, trace: async (request) => autoTraceImage(image, request), read: 'whole file' };
    }
  } catch (e) {
    io.stderr(`ramify autotrace: cannot read ${path}: ${toAppError(e, 'unreadable').message}\n`);
    return 2;
  }
  try {
    const calibration: Calibration | null = pixelSize !== undefined ? { pixelWidth: pixelSize, pixelHeight: pixelSize, ...(traced.info.calibration?.voxelDepth !== undefined ? { voxelDepth: traced.info.calibration.voxelDepth } : {}), unit: 'µm', source: 'user' } : traced.info.calibration;
    // Channels not given are those the file's channel names say, where they say (a plate's DAPI is not traced).
    const names = channelNames(traced.info);
    const use = tracingChannels(names, { channel: channel !== undefined ? channel - 1 : undefined, nucleusChannel: typeof nucleus === 'number' ? nucleus - 1 : nucleus });
    const byName = use.byName && names ? namedChannelsText(names, use) : null;
    const nuclearTraced = nuclearStainName(names, use.channel);
    return await traceAndReport(path, traced, { seeds, channel: use.channel + 1, nucleus: use.nucleusChannel !== null ? use.nucleusChannel + 1 : undefined, byName, nuclearTraced, slice, detail, maxPixels, out, calibration, flat: options.has('flat'), json: options.has('json') }, io);
  } finally {
    await windowed?.close();
  }
};

/** The image to trace: its info, how it is traced, and how it is read (decoded whole, or window by window). */
interface Traced {
  info: ImageInfo;
  trace: (request: AutoTraceRequest) => Promise<AutoTraceOutcome>;
  read: 'windows' | 'whole file';
}

async function traceAndReport(
  path: string,
  { info, trace, read }: Traced,
  o: { seeds: Array<{ x: number; y: number }>; channel: number; nucleus: number | undefined; byName: string | null; nuclearTraced: string | null; slice: number | undefined; detail: NonNullable<AutoTraceRequest['detail']>; maxPixels: number; out: string | undefined; calibration: Calibration | null; flat: boolean; json: boolean },
  io: Parameters<CliCommand>[1],
): Promise<number> {
  const { seeds, channel, nucleus, slice, detail, maxPixels, out, calibration } = o;
  if (channel > info.channels) {
    io.stderr(`ramify autotrace: --channel ${channel} is out of range: ${path} has ${plural(info.channels, 'channel')}.\n`);
    return 1;
  }
  if (slice !== undefined && slice > info.slices) {
    io.stderr(`ramify autotrace: --slice ${slice} is out of range: ${path} has ${plural(info.slices, 'slice')}.\n`);
    return 1;
  }
  const outside = seeds.find((s) => !(s.x >= 0 && s.y >= 0 && s.x < info.width && s.y < info.height));
  if (outside) {
    io.stderr(`ramify autotrace: --soma ${outside.x},${outside.y} is outside the image, which is ${info.width}×${info.height} px (x 0–${info.width}, y 0–${info.height}).\n`);
    return 1;
  }
  if (seeds.length === 0 && info.width * info.height > maxPixels) {
    io.stderr(`ramify autotrace: ${path}: ${tooLargeForOneTrace(info.width, info.height, maxPixels)}: give --soma X,Y for each cell to trace (each is traced in a window around it), or a larger --max-mp.\n`);
    return 1;
  }
  try {
    const request: AutoTraceRequest = { channel: channel - 1, nucleusChannel: nucleus !== undefined ? nucleus - 1 : undefined, slice: slice !== undefined ? slice - 1 : undefined, depth: !o.flat, seeds, detail, maxPixels, ...(calibration ? { calibration } : {}) };
    const r = await trace(request);
    const whole = r.window.width === info.width && r.window.height === info.height;
    // A print resolution is no pixel size to write µm by either: the file is in px, as the trace was read.
    const doc = documentWithNeurons(r.neurons.filter((n) => !tracedNothing(n)), null, microscopeCalibration(calibration), r.parameters);
    if (out !== undefined) {
      const text = /\.swc$/i.test(out)
        ? writeSwc(doc, { allowPixels: true, header: [`traced automatically by ramify autotrace from ${basename(path)}`] })
        : serializeAnnotation(newAnnotationFile(doc, { appVersion: ramifyVersion() }));
      await writeFileAtomicDurable(out, text);
    }
    const prune = pruneOptionsFor(detail, r.cache.pixelSize);
    const parameters = {
      channel,
      // 1-based, as given; null when none was, or the image has no such channel (the cell bodies were read as blobs).
      nucleus_channel: typeof r.parameters.nucleusChannel === 'number' ? r.parameters.nucleusChannel + 1 : null,
      // True when the channels' names chose the channel traced or the nuclear stain (whichever was not given).
      channels_by_name: o.byName !== null,
      plane: slice !== undefined ? `slice ${slice}` : info.slices > 1 ? `projection of ${info.slices} slices${o.flat ? ', planar' : ', nodes at their depth'}` : 'single plane',
      // The pixel size lengths were read at: null when the image has none, or only a print resolution (note).
      pixel_size_um: r.cache.pixelSize,
      lambda: r.cache.parameters.lambda,
      gap_px: r.cache.parameters.gapPx,
      min_branch_px: round3(prune.minLength ?? 0),
      pruning_strength: prune.minUncoveredShare,
      polarity: r.cache.parameters.inverted ? 'inverted' : 'as stored',
      binary: r.cache.parameters.binary,
      seeds: seeds.length > 0 ? 'given' : 'detected',
      window: whole ? null : { x: r.window.x, y: r.window.y, width: r.window.width, height: r.window.height, cut: r.cut },
      read,
    };
    const note = printResolutionNote(calibration, `${out ? `${basename(out)} is in px; ` : ''}give its pixel size with --pixel-size UM`);
    const timings = Object.fromEntries(Object.entries(r.timings).map(([k, v]) => [k, round3(v)]));
    if (o.json) {
      const neurons = r.neurons.map((n, i) => ({
        soma: { x: round3(n.soma.x), y: round3(n.soma.y) },
        fibre: n.fibre,
        nodes: r.stats[i].nodes,
        branches: r.stats[i].branches,
        branch_points: r.stats[i].branchPoints,
        tips: r.stats[i].tips,
        length_px: round3(r.stats[i].lengthPx),
        length_um: r.stats[i].lengthUm !== null ? round3(r.stats[i].lengthUm) : null,
      }));
      io.stdout(JSON.stringify({ neurons, parameters, ...(r.moreSignalIn !== null ? { more_signal_in_channel: r.moreSignalIn + 1 } : {}), ...(r.nuclearStainIn !== null ? { nuclear_stain_in_channel: r.nuclearStainIn + 1 } : {}), ...(note ? { note } : {}), timings }) + '\n');
    } else {
      const lines = r.neurons.map((n, i) =>
        tracedNothing(n)
          ? `neuron ${i + 1}: nothing traced at (${round3(n.soma.x)}, ${round3(n.soma.y)}): no cell body or stained neurite at that --soma`
          : `neuron ${i + 1} at (${round3(n.soma.x)}, ${round3(n.soma.y)})${n.fibre ? ' (fibre start)' : ''}: ${plural(r.stats[i].branches, 'branch', 'branches')}, ${plural(r.stats[i].branchPoints, 'branch point')}, ${plural(r.stats[i].tips, 'tip')}, ${round3(r.stats[i].lengthPx)} px${r.stats[i].lengthUm !== null ? ` (${round3(r.stats[i].lengthUm)} µm)` : ''}`,
      );
      const more = r.moreSignalIn !== null ? `; channel ${r.moreSignalIn + 1} has clearly more signal: --channel ${r.moreSignalIn + 1} traces it` : '';
      if (r.neurons.length === 0) lines.push(`no neuron found${info.channels > 1 ? ` in channel ${channel} of ${info.channels}` : ''}${more}`);
      else if (more) lines.push(`traced channel ${channel} of ${info.channels}${more}`);
      if (r.nuclearStainIn !== null) lines.push(`no cell body found; channel ${r.nuclearStainIn + 1} looks like a nuclear stain: --nucleus-channel ${r.nuclearStainIn + 1} finds cell bodies on its nuclei, also those the dendrite stain leaves dark`);
      if (o.byName) lines.push(`channels chosen by their names: traced ${o.byName}; --channel and --nucleus-channel choose others`);
      // A single channel named DAPI (a plate's wavelength file) has no other channel to trace instead.
      if (o.nuclearTraced && info.channels > 1) lines.push(`channel ${channel} is named ${o.nuclearTraced}, a nuclear stain: --channel chooses the one to trace`);
      else if (o.nuclearTraced) lines.push(`the image holds only a nuclear stain (${o.nuclearTraced}): its neurites are in another file; ramify merge-wavelengths makes one image of a plate's files per site`);
      if (!whole) lines.push(`traced the ${r.window.width} × ${r.window.height} px from (${r.window.x}, ${r.window.y}) around the ${oneOrMany(seeds.length, 'soma', 'somas')}${r.cut ? ', the most one trace reads: the cell may go on past it' : ''}${read === 'windows' ? ' (read from the file window by window)' : ''}`);
      if (note) lines.push(note);
      lines.push(`${Math.round(r.timings.totalMs)} ms${out ? `; wrote ${out}` : ''}`);
      io.stdout(lines.join('\n') + '\n');
    }
    return 0;
  } catch (e) {
    const error = toAppError(e);
    io.stderr(`ramify autotrace: ${error.message}\n`);
    // Somata too far apart for one window of a large image: an argument to change, not a file that cannot be read.
    return error.code === 'invalid-argument' ? 1 : 2;
  }
}

/**
 * What to do with a folder given where one image goes, or null for anything else: a project's takes --all, another
 * is made a project first. (A folder is no unreadable image: the command was asked the wrong way, exit 1.)
 */
async function folderAdvice(path: string): Promise<string | null> {
  const s = await stat(path).catch(() => null);
  if (!s?.isDirectory()) return null;
  if (await stat(projectFilePath(path)).then((f) => f.isFile(), () => false)) return `${path} is a Ramify project: add --all to trace every image in it (ramify autotrace ${path} --all).`;
  return `${path} is a folder, not an image: to trace every image in it, make it a project first (ramify project init ${path}), then ramify autotrace ${path} --all.`;
}
