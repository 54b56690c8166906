import { decodeImage } from '../../../shared/image/decode';
import { planeIndex } from '../../../shared/image/types';
import { RamifyError, toAppError } from '../../../shared/result';
import { computeCostImage, DEFAULT_SCALE } from '../../../shared/tracing/cost-image';
import { LiveWire } from '../../../shared/tracing/live-wire';
import { polylineLength } from '../../../shared/tracing/path-metrics';
import { readImageFile } from '../../services/image-file';
import { parseArgs, type CliCommand } from '../io';

const USAGE = `Usage: ramify trace IMAGE --from X,Y --to X,Y [--from X,Y --to X,Y ...] [--channel N] [--scale PX] [--json]
  IMAGE       TIFF, PNG or JPEG; the first z-slice and time point are traced
  --from/--to path ends in image pixels: (0,0) is the top-left corner of the top-left pixel, so pixel i spans
              [i, i+1) and its centre is i + 0.5; points outside the image are clamped to the nearest edge pixel.
              Give as many --from/--to pairs as paths wanted; the n-th --from pairs with the n-th --to.
  --channel   channel to trace on, 1-based as in ImageJ (default 1)
  --scale     ridge filter scale σ in px, about the neurite half-width (default ${DEFAULT_SCALE}; scales σ/√2, σ, σ√2 are used)
  --json      print {"paths":[{"from","to","points":[[x,y],...],"length_px"}],"timings":{"costImageMs","searchMs":[...]}}
Path points are pixel centres, from the --from pixel to the --to pixel, exactly as the app's live-wire traces them.
`;

function parsePoint(text: string, name: string): [number, number] {
  const parts = text.split(',');
  const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (nums.length !== 2 || !nums.every(Number.isFinite)) throw new RamifyError('usage', `--${name} must be X,Y in image pixels (got '${text}').`);
  return [nums[0], nums[1]];
}

interface TraceArgs {
  image: string;
  pairs: Array<{ from: [number, number]; to: [number, number] }>;
  channel: number;
  scale: number;
  json: boolean;
}

function parseTraceArgs(args: string[]): TraceArgs {
  const { positionals, options } = parseArgs(args, ['json', 'help']);
  const known = new Set(['from', 'to', 'channel', 'scale', 'json', 'help']);
  for (const k of options.keys()) if (!known.has(k)) throw new RamifyError('usage', `Unknown option --${k}.`);
  if (positionals.length !== 1) throw new RamifyError('usage', positionals.length === 0 ? 'Missing IMAGE.' : `Expected one IMAGE, got ${positionals.length} arguments.`);
  const froms = (options.get('from') ?? []).map((v) => parsePoint(v, 'from'));
  const tos = (options.get('to') ?? []).map((v) => parsePoint(v, 'to'));
  if (froms.length === 0 || froms.length !== tos.length) throw new RamifyError('usage', `Need matching --from and --to pairs (got ${froms.length} --from, ${tos.length} --to).`);
  const channelText = options.get('channel')?.at(-1) ?? '1';
  const channel = Number(channelText);
  if (!Number.isInteger(channel) || channel < 1) throw new RamifyError('usage', `--channel must be a whole number from 1 (got '${channelText}').`);
  const scaleText = options.get('scale')?.at(-1) ?? String(DEFAULT_SCALE);
  const scale = Number(scaleText);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 64) throw new RamifyError('usage', `--scale must be a pixel size between 0 and 64 (got '${scaleText}').`);
  return { image: positionals[0], pairs: froms.map((from, i) => ({ from, to: tos[i] })), channel, scale, json: options.has('json') };
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
    io.stderr(`ramify trace: --channel ${parsed.channel} is out of range: ${parsed.image} has ${info.channels} channel${info.channels === 1 ? '' : 's'}.\n`);
    return 1;
  }
  try {
    const plane = image.planes[planeIndex(info, parsed.channel - 1, 0, 0)];
    const costResult = computeCostImage(plane, info.width, info.height, { scale: parsed.scale });
    const lw = new LiveWire(costResult.cost);
    const searchMs: number[] = [];
    const paths = parsed.pairs.map(({ from, to }) => {
      const t0 = performance.now();
      lw.setAnchor(from[0], from[1], 0);
      const points = lw.pathTo(to[0], to[1]);
      searchMs.push(round3(performance.now() - t0));
      return { from, to, points, length_px: round3(polylineLength(points)) };
    });
    if (parsed.json) {
      io.stdout(JSON.stringify({ paths, timings: { costImageMs: round3(costResult.ms), searchMs } }) + '\n');
    } else {
      const lines = paths.map((p, i) => `path ${i + 1}: (${p.from.join(', ')}) → (${p.to.join(', ')}): ${p.points.length} pixels, ${p.length_px} px long`);
      lines.push(`cost image ${costResult.ms.toFixed(0)} ms (σ = ${costResult.scales.map((s) => s.toFixed(2)).join(', ')} px); search ${searchMs.map((m) => m.toFixed(1)).join(', ')} ms`);
      io.stdout(lines.join('\n') + '\n');
    }
    return 0;
  } catch (e) {
    io.stderr(`ramify trace: ${toAppError(e).message}\n`);
    return 2;
  }
};
