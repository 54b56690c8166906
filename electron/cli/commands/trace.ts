import { decodeImage } from '../../../shared/image/decode';
import { planeIndex } from '../../../shared/image/types';
import { RamifyError, toAppError } from '../../../shared/result';
import { DEFAULT_SCALE } from '../../../shared/tracing/cost-image';
import { polylineLength } from '../../../shared/tracing/path-metrics';
import { prepareTracing, traceClicks, type Click } from '../../../shared/tracing/trace-clicks';
import { readImageFile } from '../../services/image-file';
import { parseArgs, type CliCommand } from '../io';
import { plural } from '../../../shared/text/plural';

const USAGE = `Usage: ramify trace IMAGE (--from X,Y --to X,Y | --path 'X,Y X,Y [s]X,Y ...') ... [--no-snap] [--channel N] [--slice N] [--scale PX] [--json]
  IMAGE       TIFF, PNG or JPEG; the first time point is traced, on the first z-slice unless --slice says
  --from/--to a branch traced with two clicks, in image pixels: (0,0) is the top-left corner of the top-left pixel,
              so pixel i spans [i, i+1) and its centre is i + 0.5; a point outside the image is moved to the
              nearest point of its edge, and no node is stored outside it. The n-th --from pairs with the n-th --to.
  --path      a branch traced with several clicks (quote it), as in the app: the first click starts the branch, each
              further click fixes an anchor and adds the live-wire stretch to it; a click written sX,Y is a straight
              segment (Shift+click). Give --path and --from/--to as often as branches are wanted; --path ones first.
  --no-snap   use the clicks exactly (the app's "snap" switched off); by default each click snaps onto the centre line
              of the ridge within 3 px, as in the app
  --channel   channel to trace on, 1-based as in ImageJ (default 1)
  --slice     z-slice to trace on, 1-based as in ImageJ (default 1)
  --scale     ridge filter scale σ in px, about the neurite half-width (default ${DEFAULT_SCALE}; scales σ/√2, σ, σ√2 are used)
  --json      print {"paths":[{"from","to","clicks","points":[[x,y],...],"length_px"}],"timings":{"costImageMs","searchMs":[...]}}
Points are exactly the nodes the app stores for the same clicks on a branch started away from existing tracings:
the (snapped) start, then each stretch refined to the neurite's centre line (sub-pixel cross-section fit, smoothing
along the path, Douglas–Peucker at 0.2 px) with every anchor kept; see docs/data-dictionary.md.
`;

function parsePoint(text: string, name: string): [number, number] {
  const parts = text.split(',');
  const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (nums.length !== 2 || !nums.every(Number.isFinite)) throw new RamifyError('usage', `--${name} must be X,Y in image pixels (got '${text}').`);
  return [nums[0], nums[1]];
}

function parsePath(text: string): Click[] {
  const clicks = text.split(/[\s;]+/).filter((t) => t !== '').map((t) => {
    const straight = /^s/i.test(t);
    const [x, y] = parsePoint(straight ? t.slice(1) : t, 'path');
    return { x, y, straight };
  });
  if (clicks.length < 2) throw new RamifyError('usage', `--path needs at least two clicks (got '${text}').`);
  return clicks;
}

interface TraceArgs {
  image: string;
  branches: Click[][];
  snap: boolean;
  channel: number;
  slice: number;
  scale: number;
  json: boolean;
}

function parseTraceArgs(args: string[]): TraceArgs {
  const { positionals, options } = parseArgs(args, ['json', 'help', 'no-snap']);
  const known = new Set(['from', 'to', 'path', 'channel', 'slice', 'scale', 'json', 'help', 'no-snap']);
  for (const k of options.keys()) if (!known.has(k)) throw new RamifyError('usage', `Unknown option --${k}.`);
  if (positionals.length !== 1) throw new RamifyError('usage', positionals.length === 0 ? 'Missing IMAGE.' : `Expected one IMAGE, got ${positionals.length} arguments.`);
  const froms = (options.get('from') ?? []).map((v) => parsePoint(v, 'from'));
  const tos = (options.get('to') ?? []).map((v) => parsePoint(v, 'to'));
  const paths = (options.get('path') ?? []).map(parsePath);
  if (froms.length !== tos.length || froms.length + paths.length === 0) throw new RamifyError('usage', `Need --path or matching --from and --to pairs (got ${froms.length} --from, ${tos.length} --to).`);
  const channelText = options.get('channel')?.at(-1) ?? '1';
  const channel = Number(channelText);
  if (!Number.isInteger(channel) || channel < 1) throw new RamifyError('usage', `--channel must be a whole number from 1 (got '${channelText}').`);
  const sliceText = options.get('slice')?.at(-1) ?? '1';
  const slice = Number(sliceText);
  if (!Number.isInteger(slice) || slice < 1) throw new RamifyError('usage', `--slice must be a whole number from 1 (got '${sliceText}').`);
  const scaleText = options.get('scale')?.at(-1) ?? String(DEFAULT_SCALE);
  const scale = Number(scaleText);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 64) throw new RamifyError('usage', `--scale must be a pixel size between 0 and 64 (got '${scaleText}').`);
  const pairs = froms.map((from, i): Click[] => [{ x: from[0], y: from[1] }, { x: tos[i][0], y: tos[i][1] }]);
  return { image: positionals[0], branches: [...paths, ...pairs], snap: !options.has('no-snap'), channel, slice, scale, json: options.has('json') };
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

export const run: CliCommand = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(USAGE);
    return 0;
  }
  let parsed: TraceArgs;
  try {
    parsed = parseTraceArgs(args);
  } catch (e) {
    io.stderr(`ramify trace: ${toAppError(e).message}\n${USAGE}`);
    return 1;
  }
  let image;
  try {
    image = decodeImage(await readImageFile(parsed.image));
  } catch (e) {
    io.stderr(`ramify trace: cannot read ${parsed.image}: ${toAppError(e, 'unreadable').message}\n`);
    return 2;
  }
  const { info } = image;
  if (parsed.channel > info.channels) {
    io.stderr(`ramify trace: --channel ${parsed.channel} is out of range: ${parsed.image} has ${plural(info.channels, 'channel')}.\n`);
    return 1;
  }
  if (parsed.slice > info.slices) {
    io.stderr(`ramify trace: --slice ${parsed.slice} is out of range: ${parsed.image} has ${plural(info.slices, 'slice')}.\n`);
    return 1;
  }
  try {
    const plane = image.planes[planeIndex(info, parsed.channel - 1, parsed.slice - 1, 0)];
    const tp = prepareTracing(plane, info.width, info.height, { scale: parsed.scale });
    const searchMs: number[] = [];
    const paths = parsed.branches.map((clicks) => {
      const t0 = performance.now();
      const points = traceClicks(tp, clicks, { snap: parsed.snap });
      searchMs.push(round3(performance.now() - t0));
      const xy = clicks.map((c): [number, number] => [c.x, c.y]);
      return { from: xy[0], to: xy[xy.length - 1], clicks: clicks.map((c) => (c.straight ? { x: c.x, y: c.y, straight: true } : { x: c.x, y: c.y })), points, length_px: round3(polylineLength(points)) };
    });
    if (parsed.json) {
      io.stdout(JSON.stringify({ paths, timings: { costImageMs: round3(tp.costMs), searchMs } }) + '\n');
    } else {
      const lines = paths.map((p, i) => `path ${i + 1}: (${p.from.join(', ')}) → (${p.to.join(', ')}), ${p.clicks.length} clicks: ${p.points.length} nodes, ${p.length_px} px long`);
      lines.push(`cost image ${tp.costMs.toFixed(0)} ms (σ = ${tp.scales.map((s) => s.toFixed(2)).join(', ')} px); tracing ${searchMs.map((m) => m.toFixed(1)).join(', ')} ms`);
      io.stdout(lines.join('\n') + '\n');
    }
    return 0;
  } catch (e) {
    io.stderr(`ramify trace: ${toAppError(e).message}\n`);
    return 2;
  }
};
