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
 * `--set FOLDER` scores every reconstruction in a folder beside its image of the same name (held-out sets), each seeded
 * at its gold roots, and ends with the set's mean and lowest DIADEM and worst %SSD against the bars.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { DiademTree } from '../../shared/analysis/diadem';
import { parseNdf } from '../../shared/formats/ndf';
import { parseSwc, swcStatedCalibration } from '../../shared/formats/swc';
import { RamifyError } from '../../shared/result';
import { microscopeCalibration } from '../../shared/image/calibration';
import { decodeImage, IMAGE_EXTENSIONS as ALL_EXTENSIONS } from '../../shared/image/decode';
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

/** The image formats a gold file is paired with, in the order they are looked for. */
const IMAGE_EXTENSIONS = ALL_EXTENSIONS.map((e) => `.${e}`);

/**
 * The gold standards of a folder: each .swc or .ndf with the image of the same name beside it (NAME.swc and NAME.tif),
 * sorted by name; `unpaired` names gold files without one.
 */
export function goldPairs(folder: string): { pairs: Array<{ name: string; image: string; gold: string }>; unpaired: string[] } {
  const files = readdirSync(folder).sort();
  const byLowerName = new Map(files.map((f) => [f.toLowerCase(), f]));
  const pairs: Array<{ name: string; image: string; gold: string }> = [];
  const unpaired: string[] = [];
  for (const f of files) {
    const ext = extname(f).toLowerCase();
    if (ext !== '.swc' && ext !== '.ndf') continue;
    const name = f.slice(0, -ext.length);
    const image = IMAGE_EXTENSIONS.map((e) => byLowerName.get(`${name}${e}`.toLowerCase())).find((i) => i !== undefined);
    if (image) pairs.push({ name, image: join(folder, image), gold: join(folder, f) });
    else unpaired.push(f);
  }
  return { pairs, unpaired };
}

/** The bars on held-out gold standards: mean DIADEM, the lowest one image may score, the largest %SSD. */
export const GOLD_BARS = { meanDiadem: 0.85, leastDiadem: 0.75, pctSsd: 0.1 };

/** A set's scores against GOLD_BARS, one line. */
export function setSummary(rows: ReadonlyArray<{ name: string; diadem: number; pctSsd: number }>, failed: number, options: GoldScoreOptions = {}): string {
  const n = rows.length;
  const xy = options.xyThreshold ?? 1.2;
  const ssdPx = options.ssdThreshold ?? 2;
  const mean = n ? rows.reduce((a, r) => a + r.diadem, 0) / n : NaN;
  const lowest = rows.reduce<(typeof rows)[number] | null>((a, r) => (!a || r.diadem < a.diadem ? r : a), null);
  const worst = rows.reduce<(typeof rows)[number] | null>((a, r) => (!a || r.pctSsd > a.pctSsd ? r : a), null);
  const meanSsd = n ? rows.reduce((a, r) => a + r.pctSsd, 0) / n : NaN;
  const misses = [
    ...(n && mean < GOLD_BARS.meanDiadem ? [`mean DIADEM under ${GOLD_BARS.meanDiadem}`] : []),
    ...(lowest && lowest.diadem < GOLD_BARS.leastDiadem ? [`${rows.filter((r) => r.diadem < GOLD_BARS.leastDiadem).length} under ${GOLD_BARS.leastDiadem}`] : []),
    ...(worst && worst.pctSsd > GOLD_BARS.pctSsd ? [`${rows.filter((r) => r.pctSsd > GOLD_BARS.pctSsd).length} over %SSD ${GOLD_BARS.pctSsd}`] : []),
    ...(failed > 0 ? [`${failed} not scored`] : []),
  ];
  const verdict = n === 0 ? 'nothing scored' : misses.length === 0 ? `meets the bars (mean DIADEM ≥ ${GOLD_BARS.meanDiadem}, none under ${GOLD_BARS.leastDiadem}, %SSD ≤ ${GOLD_BARS.pctSsd})` : `misses the bars: ${misses.join(', ')}`;
  const figures = n === 0 ? '' : `: mean DIADEM ${mean.toFixed(3)} (xy ${xy} px), lowest ${lowest!.diadem.toFixed(3)} (${lowest!.name}); %SSD (${ssdPx} px) mean ${meanSsd.toFixed(3)}, worst ${worst!.pctSsd.toFixed(3)} (${worst!.name})`;
  return `${n} of ${n + failed} gold standards scored${figures}; ${verdict}`;
}

const USAGE = [
  'usage: npx tsx tests/bench/gold-standard.ts IMAGE GOLD.swc|GOLD.ndf [--soma X,Y]... [--channel N] [--xy PX] [--ssd PX] [--offset PX] [--no-excess] [--explain]',
  '       npx tsx tests/bench/gold-standard.ts --set FOLDER [--channel N] [--xy PX] [--ssd PX] [--offset PX] [--no-excess] [--explain]',
].join('\n');

function main(argv: string[]): number {
  const set = argv[0] === '--set';
  const [first, second, ...rest] = set ? argv.slice(1) : argv;
  if (!first || (!set && !second) || (set && second !== undefined && !second.startsWith('--'))) {
    console.error(USAGE);
    return 1;
  }
  const flags = set && second !== undefined ? [second, ...rest] : rest;
  const seeds: Array<{ x: number; y: number }> = [];
  const options: GoldScoreOptions = {};
  let offset = 0;
  let channel = 0;
  let explain = false;
  for (let k = 0; k < flags.length; k++) {
    const a = flags[k];
    const v = flags[k + 1];
    if (a === '--no-excess') options.countExcessNodes = false;
    else if (a === '--explain') explain = true;
    else if (a === '--soma' && !set && v && /^[\d.]+,[\d.]+$/.test(v)) {
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
      const why = a === '--soma' && set ? '--soma names one image: a set is traced at each gold root' : `Unknown or incomplete argument ${a}`;
      console.error(`${why}.\n${USAGE}`);
      return 1;
    }
  }
  const scoreOne = (image: string, gold: string, name: string): GoldRun | 1 | 2 => {
    let run: ReturnType<typeof scoreFiles>;
    try {
      run = scoreFiles(image, gold, seeds, options, offset, channel);
    } catch (e) {
      console.error(`Cannot score ${image} against ${gold}: ${e instanceof Error ? e.message : String(e)}`);
      return e instanceof RamifyError && e.code === 'invalid-argument' ? 1 : 2;
    }
    console.log(formatRun(name, run, options));
    if (run.tracedAt) console.log(`traced at ${run.tracedAt.pixelWidth} µm per px, the voxel size the SWC's header states (the image has no pixel size of its own)`);
    if (explain) {
      explainRun(run.gold, run, options.xyThreshold ?? 1.2).forEach((e, k) => console.log(`tree ${k + 1}: ${e ? formatExplanation(e) : 'untraced'}`));
      console.log(formatPlacement(placement(run.gold.map((g) => ({ gold: g, traced: nearestTree(g, run.traced) })))));
    }
    return run;
  };
  if (!set) {
    const r = scoreOne(first, second, `${first} vs ${second}`);
    return typeof r === 'number' ? r : 0;
  }
  let found: ReturnType<typeof goldPairs>;
  try {
    found = goldPairs(first);
  } catch (e) {
    console.error(`Cannot read the folder ${first}: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  if (found.unpaired.length > 0) console.log(`no image of the same name beside ${found.unpaired.join(', ')}: not scored`);
  if (found.pairs.length === 0) {
    console.error(`No gold standard in ${first}: a set holds each reconstruction (NAME.swc or NAME.ndf) beside its image (NAME${IMAGE_EXTENSIONS.join(', NAME')}).`);
    return 2;
  }
  const rows: Array<{ name: string; diadem: number; pctSsd: number }> = [];
  let failed = 0;
  let code = 0;
  for (const p of found.pairs) {
    const r = scoreOne(p.image, p.gold, p.name);
    if (typeof r === 'number') {
      failed++;
      code = Math.max(code, r);
    } else rows.push({ name: p.name, diadem: r.diadem, pctSsd: r.distance.pctSsd });
  }
  console.log(setSummary(rows, failed, options));
  return code;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2));
