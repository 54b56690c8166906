import { formatNumber, writeCsv, type CsvValue } from './csv';
import { escapeXml as xml } from '../text/xml';

/**
 * GraphPad Prism-ready layouts, matching how neuroscience labs enter Sholl data (e.g. the Olson lab's deposit for
 * Cameron et al. 2021): an XY table with one Y data set per condition entered as mean, SEM, N ("SEN" format), and
 * Nmax per neuron as a Column table (one column per condition, ragged). CSV versions paste/import directly into a
 * Prism table of that kind; the .pzfx writes the same tables as a Prism XML project.
 */

/** Sholl profiles of one condition, all sampled at r_k = start + k·step. */
export interface ShollGroup {
  /** Condition name (column title in Prism). */
  condition: string;
  /** Per neuron: crossings by radius index k (shorter profiles mean 0 crossings beyond the neuron's extent). */
  profiles: ReadonlyArray<ArrayLike<number>>;
  /** Per neuron Nmax, in the same order as profiles. */
  nmax: readonly number[];
}

/** Mean, SEM and N at each radius for one condition. */
export interface ShollGroupStats {
  condition: string;
  mean: number[];
  /** Sample SD / √N; null when N < 2. */
  sem: Array<number | null>;
  n: number[];
  /** Neurons in the condition. */
  neurons: number;
  /** Nmax summary over neurons. */
  nmaxMean: number | null;
  nmaxSem: number | null;
  /** Highest value of the mean curve (the "group Nmax" some labs report) and its first radius; null without radii. */
  peakMean: number | null;
  peakRadius: number | null;
}

export interface ShollSummary {
  /** Radii shared by every condition (the longest profile sets the count). */
  radii: number[];
  groups: ShollGroupStats[];
}

function meanSem(values: ArrayLike<number>): { mean: number | null; sem: number | null } {
  const n = values.length;
  if (n === 0) return { mean: null, sem: null };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  if (n < 2) return { mean, sem: null };
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, sem: Math.sqrt(ss / (n - 1)) / Math.sqrt(n) };
}

/** Averages Sholl profiles per condition on the common radius grid. */
export function summarizeSholl(groups: readonly ShollGroup[], start: number, step: number): ShollSummary {
  let K = 0;
  for (const g of groups) for (const p of g.profiles) K = Math.max(K, p.length);
  const radii = Array.from({ length: K }, (_, k) => start + k * step);
  const out = groups.map((g): ShollGroupStats => {
    const mean: number[] = [];
    const sem: Array<number | null> = [];
    const n: number[] = [];
    const column = new Float64Array(g.profiles.length);
    for (let k = 0; k < K; k++) {
      g.profiles.forEach((p, i) => (column[i] = k < p.length ? p[k] : 0));
      const s = meanSem(column);
      mean.push(s.mean ?? 0);
      sem.push(s.sem);
      n.push(g.profiles.length);
    }
    let peakMean: number | null = null;
    let peakRadius: number | null = null;
    if (g.profiles.length > 0)
      for (let k = 0; k < K; k++)
        if (peakMean === null || mean[k] > peakMean) {
          peakMean = mean[k];
          peakRadius = radii[k];
        }
    const nm = meanSem(g.nmax);
    return { condition: g.condition, mean, sem, n, neurons: g.profiles.length, nmaxMean: nm.mean, nmaxSem: nm.sem, peakMean, peakRadius };
  });
  return { radii, groups: out };
}

/** XY table, SEN format: radius_um, then <condition>_mean, _sem, _n per condition. */
export function prismShollXyCsv(s: ShollSummary): string {
  const header = ['radius_um', ...s.groups.flatMap((g) => [`${g.condition}_mean`, `${g.condition}_sem`, `${g.condition}_n`])];
  const rows = s.radii.map((r, k) => [r, ...s.groups.flatMap((g) => [g.mean[k], g.sem[k], g.n[k]])]);
  return writeCsv(header, rows);
}

/** Column table: one column per condition holding each neuron's Nmax (columns of unequal length, blanks below). */
export function prismNmaxColumnsCsv(groups: readonly ShollGroup[]): string {
  const rows: CsvValue[][] = [];
  const depth = Math.max(0, ...groups.map((g) => g.nmax.length));
  for (let i = 0; i < depth; i++) rows.push(groups.map((g) => g.nmax[i]));
  return writeCsv(groups.map((g) => g.condition), rows);
}

/** One row per condition: Nmax mean/SEM/N over neurons and the peak of the mean Sholl curve. */
export function prismSummaryCsv(s: ShollSummary): string {
  const header = ['condition', 'n_neurons', 'nmax_mean', 'nmax_sem', 'peak_mean_crossings', 'peak_radius_um'];
  return writeCsv(header, s.groups.map((g) => [g.condition, g.neurons, g.nmaxMean, g.nmaxSem, g.peakMean, g.peakRadius]));
}

const d = (v: number | null | undefined) => (v === null || v === undefined || !Number.isFinite(v) ? '<d></d>' : `<d>${formatNumber(v)}</d>`);
const sub = (values: ReadonlyArray<number | null>) => `<Subcolumn>\n${values.map(d).join('\n')}\n</Subcolumn>`;
const title = (t: string) => `<Title><TextAlign align="Left">${xml(t)}</TextAlign></Title>`;

/** A Column table of one per-neuron measure: a column of each neuron's value per condition. */
export interface PerNeuronTable {
  title: string;
  groups: { condition: string; values: number[] }[];
}

export interface PzfxOptions {
  /** Program version written into <Created>. */
  appVersion: string;
  /** ISO 8601 date-time written into <Created>. */
  created: string;
  /** Project name for the info sheet. */
  project: string;
  /** More per-neuron Column tables (total length, branch points, …) after the Nmax tables. */
  perNeuron?: PerNeuronTable[];
}

/**
 * A Prism XML project (PrismXMLVersion 5.00, the format Prism 5–10 read) with three data tables: "Sholl" (XY,
 * mean/SEM/N per condition), "Nmax per neuron" (Column table) and "Nmax (mean, SEM, N)" (grouped, SEN), then one
 * Column table per further per-neuron measure, so Prism's one-way ANOVA/Dunnett on them reproduces Ramify's. No graphs
 * or analyses: Prism creates those when the file is opened.
 */
export function prismPzfx(s: ShollSummary, groups: readonly ShollGroup[], o: PzfxOptions): string {
  const date = o.created.slice(0, 10);
  const tables: string[] = [];
  tables.push(
    [
      '<Table ID="Table0" XFormat="numbers" YFormat="SEN" TableType="XY" EVFormat="AsteriskAfterNumber">',
      '<Title>Sholl</Title>',
      '<XColumn Width="120" Subcolumns="1" Decimals="2">',
      '<Title>Radius (µm)</Title>',
      sub(s.radii),
      '</XColumn>',
      ...s.groups.map((g) => ['<YColumn Width="252" Decimals="9" Subcolumns="3">', title(g.condition), sub(g.mean), sub(g.sem), sub(g.n), '</YColumn>'].join('\n')),
      '</Table>',
    ].join('\n'),
  );
  tables.push(
    [
      '<Table ID="Table1" XFormat="none" TableType="OneWay" EVFormat="AsteriskAfterNumber">',
      '<Title>Nmax per neuron</Title>',
      ...groups.map((g) => ['<YColumn Width="84" Decimals="0" Subcolumns="1">', title(g.condition), sub(g.nmax), '</YColumn>'].join('\n')),
      '</Table>',
    ].join('\n'),
  );
  tables.push(
    [
      '<Table ID="Table2" XFormat="none" YFormat="SEN" TableType="TwoWay" EVFormat="AsteriskAfterNumber">',
      '<Title>Nmax (mean, SEM, N)</Title>',
      ...s.groups.map((g) => ['<YColumn Width="252" Decimals="9" Subcolumns="3">', title(g.condition), sub([g.nmaxMean]), sub([g.nmaxSem]), sub([g.neurons]), '</YColumn>'].join('\n')),
      '</Table>',
    ].join('\n'),
  );
  for (const t of o.perNeuron ?? [])
    tables.push(
      [
        `<Table ID="Table${tables.length}" XFormat="none" TableType="OneWay" EVFormat="AsteriskAfterNumber">`,
        `<Title>${xml(t.title)}</Title>`,
        ...t.groups.map((g) => ['<YColumn Width="84" Decimals="9" Subcolumns="1">', title(g.condition), sub(g.values), '</YColumn>'].join('\n')),
        '</Table>',
      ].join('\n'),
    );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<GraphPadPrismFile PrismXMLVersion="5.00">',
    '<Created>',
    `<OriginalVersion CreatedByProgram="Ramify" CreatedByVersion="${xml(o.appVersion)}" Login="" DateTime="${xml(o.created)}"></OriginalVersion>`,
    '</Created>',
    '<InfoSequence>',
    '<Ref ID="Info0" Selected="1"></Ref>',
    '</InfoSequence>',
    '<Info ID="Info0">',
    '<Title>Project info 1</Title>',
    '<Notes></Notes>',
    `<Constant><Name>Experiment Date</Name><Value>${xml(date)}</Value></Constant>`,
    `<Constant><Name>Project</Name><Value>${xml(o.project)}</Value></Constant>`,
    '</Info>',
    '<TableSequence>',
    ...tables.map((_, i) => (i === 0 ? '<Ref ID="Table0" Selected="1"></Ref>' : `<Ref ID="Table${i}"></Ref>`)),
    '</TableSequence>',
    ...tables,
    '</GraphPadPrismFile>',
    '',
  ].join('\n');
}
