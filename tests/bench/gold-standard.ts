/**
 * Scores the automatic tracer on any gold standard: `npx tsx tests/bench/gold-standard.ts IMAGE GOLD [--soma X,Y]...
 * [--channel N] [--xy PX] [--ssd PX] [--offset PX] [--no-excess] [--explain]`. GOLD is an .swc (in the image's calibrated units,
 * as SWC files are; an image without a pixel size, or with only a print resolution, takes the voxel size the SWC's
 * header states, as SNT writes it, and is traced at it) or a NeuronJ .ndf; without --soma the trace is seeded at each gold root (one click
 * per neuron); --channel is 1-based, as ramify autotrace's. Prints DIADEM and Vaa3D's SD / SSD / %SSD in image px;
 * z-stacks are traced on their maximum projection and compared on the plane. SWC is read from pixel centres (SNT,
 * Vaa3D, NeuronStudio); --offset PX shifts the gold further, for a file that does otherwise. --explain adds, per gold
 * tree, what DIADEM left unscored sorted by cause (placement, another route, untraced; diadem-explain.ts), then how
 * many gold branch points and tips have a traced one within 1.2 and 3 px (placement without DIADEM's path cascade).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type { DiademTree } from '../../shared/analysis/diadem';
import { parseNdf } from '../../shared/formats/ndf';
import { parseSwc, swcStatedCalibration } from '../../shared/formats/swc';
import { RamifyError } from '../../shared/result';
import { microscopeCalibration } from '../../shared/image/calibration';
import { decodeImage } from '../../shared/image/decode';
import type { Calibration, DecodedImage } from '../../shared/image/types';
import { documentTrees, ndfGoldTrees, nearestTree, traceAndScore, type GoldRun, type GoldScoreOptions } from '../../shared/tracing/auto/gold-standard';
import { explainDiadem, formatExplanation, formatPlacement, placement, type DiademExplanation } from './diadem-explain';

/**
 * The gold trees of a .swc or .ndf file, in document px of `image`, and the voxel size the SWC's header states (SNT's
 * "Voxel separation" line) when the image has no microscope pixel size of its own (a stack saved without it, or only
 * a print resolution such as 72 dpi): the gold is placed by it, and `stated` is null otherwise and for an .ndf.
 */
export function readGold(path: string, image: DecodedImage, offsetPx = 0): { trees: DiademTree[]; stated: Calibration | null } {
  const text = readFileSync(path, 'utf8');
  if (extname(path).toLowerCase() === '.ndf') return { trees: ndfGoldTrees(parseNdf(text).tracings), stated: null };
  const own = microscopeCalibration(image.info.calibration);
  const stated = own ? null : swcStatedCalibration(text);
  const trees = documentTrees(parseSwc(text, { calibration: own ?? stated ?? undefined }).document);
  return { trees: trees.map((t) => ({ ...t, x: Array.from(t.x, (v) => v + offsetPx), y: Array.from(t.y, (v) => v + offsetPx) })), stated };
}

/**
 * Traces the image (one click per gold root, or at `seeds`) and scores it against the gold. An image without a pixel
 * size of its own is traced at the voxel size the SWC's header states, as the gold is placed by it: the tracer's
 * defaults are in µm (shortest branch 5 µm, cell bodies from 4 µm), as a technician who types the pixel size in would
 * have it. `tracedAt` is that pixel size, null when the image's own was used (or none was known).
 */
export function scoreFiles(imagePath: string, goldPath: string, seeds: Array<{ x: number; y: number }> | undefined, options: GoldScoreOptions = {}, offsetPx = 0, channel = 0): GoldRun & { gold: DiademTree[]; tracedAt: Calibration | null } {
  const image = decodeImage(new Uint8Array(readFileSync(imagePath)));
  const { trees: gold, stated: tracedAt } = readGold(goldPath, image, offsetPx);
  return { ...traceAndScore(image, gold, { channel, ...(seeds && seeds.length > 0 ? { seeds } : {}), ...(tracedAt ? { calibration: tracedAt } : {}) }, options), gold, tracedAt };
}

/** Per gold tree, why DIADEM (run at `xyThreshold`) left nodes unscored (diadem-explain.ts); null where nothing was traced. */
export function explainRun(gold: readonly DiademTree[], run: GoldRun, xyThreshold: number): Array<DiademExplanation | null> {
  return gold.map((g, k) => {
    const result = run.trees[k];
    const traced = nearestTree(g, run.traced);
    return result && traced ? explainDiadem(g, traced, result, xyThreshold) : null;
  });
}

export function formatRun(name: string, r: GoldRun, options: GoldScoreOptions = {}): string {
  const d = r.distance;
  const weights = r.trees.map((t) => (t ? `${t.matchedWeight}/${t.goldWeight}+${t.excessWeight}` : 'untraced')).join(' ');
  return `${name}: DIADEM ${r.diadem.toFixed(3)} (xy ${options.xyThreshold ?? 1.2} px${options.countExcessNodes === false ? ', excess not counted' : ''}; matched/gold+excess ${weights}), SD ${d.sd.toFixed(2)} px, SSD ${d.ssd.toFixed(2)} px, %SSD (${d.threshold} px) ${d.pctSsd.toFixed(3)}, recall of gold within ${d.threshold} px ${(1 - d.aToB.farFraction).toFixed(3)}; trace ${r.totalMs.toFixed(0)} ms`;
}

function main(argv: string[]): number {
  const [image, gold, ...rest] = argv;
  const usage = 'usage: npx tsx tests/bench/gold-standard.ts IMAGE GOLD.swc|GOLD.ndf [--soma X,Y]... [--channel N] [--xy PX] [--ssd PX] [--offset PX] [--no-excess] [--explain]';
  if (!image || !gold) {
    console.error(usage);
    return 1;
  }
  const seeds: Array<{ x: number; y: number }> = [];
  const options: GoldScoreOptions = {};
  let offset = 0;
  let channel = 0;
  let explain = false;
  for (let k = 0; k < rest.length; k++) {
    const a = rest[k];
    const v = rest[k + 1];
    if (a === '--no-excess') options.countExcessNodes = false;
    else if (a === '--explain') explain = true;
    else if (a === '--soma' && v && /^[\d.]+,[\d.]+$/.test(v)) {
      const [x, y] = v.split(',').map(Number);
      seeds.push({ x, y });
      k++;
    } else if (a === '--channel' && v && /^[1-9]\d*$/.test(v)) {
      channel = Number(v) - 1;
      k++;
    } else if (a === '--offset' && v && Number.isFinite(Number(v))) {
      offset = Number(v);
      k++;
    } else if ((a === '--xy' || a === '--ssd') && v && Number(v) > 0) {
      if (a === '--xy') options.xyThreshold = Number(v);
      else options.ssdThreshold = Number(v);
      k++;
    } else {
      console.error(`Unknown or incomplete argument ${a}.\n${usage}`);
      return 1;
    }
  }
  let run: ReturnType<typeof scoreFiles>;
  try {
    run = scoreFiles(image, gold, seeds, options, offset, channel);
  } catch (e) {
    console.error(`Cannot score ${image} against ${gold}: ${e instanceof Error ? e.message : String(e)}`);
    return e instanceof RamifyError && e.code === 'invalid-argument' ? 1 : 2;
  }
  console.log(formatRun(`${image} vs ${gold}`, run, options));
  if (run.tracedAt) console.log(`traced at ${run.tracedAt.pixelWidth} µm per px, the voxel size the SWC's header states (the image has no pixel size of its own)`);
  if (explain) {
    explainRun(run.gold, run, options.xyThreshold ?? 1.2).forEach((e, k) => console.log(`tree ${k + 1}: ${e ? formatExplanation(e) : 'untraced'}`));
    console.log(formatPlacement(placement(run.gold.map((g) => ({ gold: g, traced: nearestTree(g, run.traced) })))));
  }
  return 0;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
