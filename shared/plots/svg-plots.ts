import { escapeXml as esc } from '../text/xml';

/**
 * Plots as self-contained SVG strings (no DOM): the report inlines them, the Results view shows and exports them.
 * Colours are the Okabe–Ito palette (distinguishable with colour-blindness, readable in greyscale print).
 */

export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000'];

const fmt = (x: number) => Number(x.toFixed(2)).toString();

/** About `count` round tick values covering [lo, hi] (1, 2, 5 × 10^k steps). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

function axes(f: Frame, xTicks: { at: number; label: string }[], yTicks: number[], y: (v: number) => number, xLabel: string, yLabel: string): string {
  const parts = [
    `<line x1="${f.left}" y1="${f.height - f.bottom}" x2="${f.width - f.right}" y2="${f.height - f.bottom}" stroke="#222"/>`,
    `<line x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.height - f.bottom}" stroke="#222"/>`,
  ];
  for (const t of yTicks) {
    const yy = fmt(y(t));
    parts.push(`<line x1="${f.left - 4}" y1="${yy}" x2="${f.left}" y2="${yy}" stroke="#222"/><text x="${f.left - 7}" y="${yy}" text-anchor="end" dominant-baseline="middle">${t}</text>`);
  }
  for (const t of xTicks) {
    const xx = fmt(t.at);
    parts.push(`<line x1="${xx}" y1="${f.height - f.bottom}" x2="${xx}" y2="${f.height - f.bottom + 4}" stroke="#222"/><text x="${xx}" y="${f.height - f.bottom + 17}" text-anchor="middle">${esc(t.label)}</text>`);
  }
  parts.push(`<text x="${fmt((f.left + f.width - f.right) / 2)}" y="${f.height - 6}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(14 ${fmt((f.top + f.height - f.bottom) / 2)}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return parts.join('');
}

const open = (f: Frame, title: string, kind: string) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${f.width} ${f.height}" width="${f.width}" height="${f.height}" font-family="Helvetica, Arial, sans-serif" font-size="12" data-plot="${kind}" role="img" aria-label="${esc(title)}"><rect width="100%" height="100%" fill="#fff"/><text x="${f.left}" y="16" font-weight="bold">${esc(title)}</text>`;

export interface ShollSeries {
  name: string;
  radii: number[];
  mean: number[];
  sem: (number | null)[];
  n: number;
  /** Per-neuron profiles (crossings at `radii`), drawn instead of the mean when the plot asks for them. */
  neurons?: number[][];
}

/** Sholl curves: mean ± SEM band per condition (n in the legend), or every neuron's curve. */
export function shollPlotSvg(series: ShollSeries[], opts: { title?: string; perNeuron?: boolean; width?: number; height?: number } = {}): string {
  const f: Frame = { width: opts.width ?? 640, height: opts.height ?? 380, left: 56, right: 150, top: 28, bottom: 44 };
  const xmax = Math.max(1, ...series.flatMap((s) => s.radii));
  let ymax = 1;
  for (const s of series) {
    if (opts.perNeuron) for (const p of s.neurons ?? []) ymax = Math.max(ymax, ...p);
    else s.mean.forEach((m, k) => (ymax = Math.max(ymax, m + (s.sem[k] ?? 0))));
  }
  const yTicks = niceTicks(0, ymax);
  const ytop = Math.max(ymax, yTicks[yTicks.length - 1]);
  const x = (r: number) => f.left + (r / xmax) * (f.width - f.left - f.right);
  const y = (v: number) => f.height - f.bottom - (v / ytop) * (f.height - f.top - f.bottom);
  const parts = [open(f, opts.title ?? 'Sholl profile', 'sholl'), axes(f, niceTicks(0, xmax).map((t) => ({ at: x(t), label: String(t) })), yTicks, y, 'Distance from soma (µm)', 'Crossings')];
  series.forEach((s, i) => {
    const c = PALETTE[i % PALETTE.length];
    if (opts.perNeuron) {
      for (const p of s.neurons ?? [])
        parts.push(`<polyline fill="none" stroke="${c}" stroke-opacity="0.55" stroke-width="1" points="${p.map((v, k) => `${fmt(x(s.radii[k]))},${fmt(y(v))}`).join(' ')}"/>`);
    } else {
      const upper = s.mean.map((m, k) => `${fmt(x(s.radii[k]))},${fmt(y(m + (s.sem[k] ?? 0)))}`);
      const lower = s.mean.map((m, k) => `${fmt(x(s.radii[k]))},${fmt(y(Math.max(0, m - (s.sem[k] ?? 0))))}`).reverse();
      parts.push(`<polygon fill="${c}" fill-opacity="0.2" stroke="none" points="${[...upper, ...lower].join(' ')}"/>`);
      parts.push(`<polyline fill="none" stroke="${c}" stroke-width="2" data-series="${esc(s.name)}" points="${s.mean.map((m, k) => `${fmt(x(s.radii[k]))},${fmt(y(m))}`).join(' ')}"/>`);
    }
    const ly = f.top + 14 + i * 18;
    parts.push(`<rect x="${f.width - f.right + 14}" y="${ly - 6}" width="14" height="4" fill="${c}"/><text x="${f.width - f.right + 34}" y="${ly}" dominant-baseline="middle" data-legend="${esc(s.name)}">${esc(s.name)} (n = ${s.n})</text>`);
  });
  parts.push(`<text x="${f.width - f.right + 14}" y="${f.top + 14 + series.length * 18 + 6}" fill="#555" font-size="11">${opts.perNeuron ? 'one line per neuron' : 'mean ± SEM'}</text>`);
  return parts.join('') + '</svg>';
}

export interface DotGroup {
  name: string;
  values: number[];
  mean: number;
  sem: number;
}

export interface DotAnnotation {
  /** Group index the label sits over, and optional bracket start (the control) — drawn as a bracket when given. */
  group: number;
  from?: number;
  label: string;
}

/** One dot per value (jittered deterministically), mean ± SEM bars, test labels above the groups. */
export function dotPlotSvg(groups: DotGroup[], opts: { title: string; yLabel: string; annotations?: DotAnnotation[]; caption?: string; width?: number; height?: number }): string {
  const annotations = opts.annotations ?? [];
  const f: Frame = { width: opts.width ?? Math.max(300, 90 + groups.length * 90), height: opts.height ?? 340, left: 62, right: 16, top: 30 + 0, bottom: opts.caption ? 58 : 44 };
  const all = groups.flatMap((g) => g.values);
  const lo = Math.min(0, ...all);
  const hi = Math.max(...all, ...groups.map((g) => g.mean + (g.sem || 0)));
  const yTicks = niceTicks(lo, hi);
  const ybot = Math.min(lo, yTicks[0]);
  const ytopData = Math.max(hi, yTicks[yTicks.length - 1]);
  // Room above the data for the test labels (and brackets).
  const headroom = annotations.length ? 0.09 * (ytopData - ybot) * (annotations.some((a) => a.from !== undefined) ? annotations.length : 1) : 0;
  const ytop = ytopData + headroom;
  const band = (f.width - f.left - f.right) / Math.max(1, groups.length);
  const cx = (i: number) => f.left + band * (i + 0.5);
  const y = (v: number) => f.height - f.bottom - ((v - ybot) / (ytop - ybot)) * (f.height - f.top - f.bottom);
  const parts = [open(f, opts.title, 'dots'), axes(f, groups.map((g, i) => ({ at: cx(i), label: g.name })), yTicks, y, '', opts.yLabel)];
  groups.forEach((g, i) => {
    const c = PALETTE[i % PALETTE.length];
    g.values.forEach((v, k) => {
      // Golden-ratio jitter: deterministic, evenly spread, identical in every export.
      const jitter = (((k * 0.618033988749895) % 1) - 0.5) * band * 0.45;
      parts.push(`<circle cx="${fmt(cx(i) + jitter)}" cy="${fmt(y(v))}" r="3" fill="${c}" fill-opacity="0.6"/>`);
    });
    const half = band * 0.28;
    parts.push(`<line x1="${fmt(cx(i) - half)}" x2="${fmt(cx(i) + half)}" y1="${fmt(y(g.mean))}" y2="${fmt(y(g.mean))}" stroke="#000" stroke-width="2.5" data-mean="${g.mean}"/>`);
    if (Number.isFinite(g.sem)) {
      const t = y(g.mean + g.sem);
      const b = y(g.mean - g.sem);
      parts.push(`<line x1="${fmt(cx(i))}" x2="${fmt(cx(i))}" y1="${fmt(t)}" y2="${fmt(b)}" stroke="#000" stroke-width="1.5"/><line x1="${fmt(cx(i) - half / 2)}" x2="${fmt(cx(i) + half / 2)}" y1="${fmt(t)}" y2="${fmt(t)}" stroke="#000" stroke-width="1.5"/><line x1="${fmt(cx(i) - half / 2)}" x2="${fmt(cx(i) + half / 2)}" y1="${fmt(b)}" y2="${fmt(b)}" stroke="#000" stroke-width="1.5"/>`);
    }
  });
  annotations.forEach((a, k) => {
    if (a.from !== undefined) {
      const level = y(ytopData + 0.09 * (ytop - ybot) * 0 + (k + 0.6) * 0.09 * (ytopData - ybot));
      parts.push(`<path d="M${fmt(cx(a.from))} ${fmt(level + 5)} V${fmt(level)} H${fmt(cx(a.group))} V${fmt(level + 5)}" fill="none" stroke="#222"/><text x="${fmt((cx(a.from) + cx(a.group)) / 2)}" y="${fmt(level - 3)}" text-anchor="middle" font-size="11" data-annotation="${esc(a.label)}">${esc(a.label)}</text>`);
    } else {
      parts.push(`<text x="${fmt(cx(a.group))}" y="${fmt(y(ytopData) - 6)}" text-anchor="middle" font-size="11" data-annotation="${esc(a.label)}">${esc(a.label)}</text>`);
    }
  });
  if (opts.caption) parts.push(`<text x="${f.left}" y="${f.height - 6}" font-size="11" fill="#333">${esc(opts.caption)}</text>`);
  return parts.join('') + '</svg>';
}

/** Bland–Altman plot: one dot per pair at (mean of the two, B − A), the bias and the ±1.96 SD limits of agreement. */
export function blandAltmanSvg(
  points: ReadonlyArray<{ mean: number; diff: number }>,
  limits: { bias: number; lower: number | null; upper: number | null },
  opts: { title: string; xLabel: string; yLabel: string; width?: number; height?: number },
): string {
  const f: Frame = { width: opts.width ?? 420, height: opts.height ?? 300, left: 56, right: 96, top: 28, bottom: 44 };
  const xs = points.map((p) => p.mean);
  const ys = [...points.map((p) => p.diff), 0, ...[limits.bias, limits.lower, limits.upper].filter((v): v is number => v !== null && Number.isFinite(v))];
  const xTicks = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1);
  const yTicks = niceTicks(Math.min(...ys), Math.max(...ys));
  // Dots never sit on the axes: a margin of 8 % of the data range (or of the value, for a single point).
  const span = xs.length ? Math.max(...xs) - Math.min(...xs) || Math.abs(xs[0]) || 1 : 1;
  const [x0, x1] = [Math.min(xTicks[0], ...xs.map((v) => v - 0.08 * span)), Math.max(xTicks[xTicks.length - 1], ...xs.map((v) => v + 0.08 * span))];
  const [y0, y1] = [Math.min(yTicks[0], ...ys), Math.max(yTicks[yTicks.length - 1], ...ys)];
  const x = (v: number) => f.left + ((v - x0) / (x1 - x0 || 1)) * (f.width - f.left - f.right);
  const y = (v: number) => f.height - f.bottom - ((v - y0) / (y1 - y0 || 1)) * (f.height - f.top - f.bottom);
  const parts = [open(f, opts.title, 'bland-altman'), axes(f, xTicks.map((t) => ({ at: x(t), label: String(t) })), yTicks, y, opts.xLabel, opts.yLabel)];
  parts.push(`<line x1="${f.left}" x2="${f.width - f.right}" y1="${fmt(y(0))}" y2="${fmt(y(0))}" stroke="#bbb"/>`);
  const line = (v: number | null, label: string, dash: boolean, kind: string) => {
    if (v === null || !Number.isFinite(v)) return;
    parts.push(
      `<line x1="${f.left}" x2="${f.width - f.right}" y1="${fmt(y(v))}" y2="${fmt(y(v))}" stroke="${PALETTE[1]}" stroke-width="1.5"${dash ? ' stroke-dasharray="5 4"' : ''} data-line="${kind}" data-value="${v}"/>` +
        `<text x="${f.width - f.right + 6}" y="${fmt(y(v))}" dominant-baseline="middle" font-size="11">${esc(label)} ${fmt(v)}</text>`,
    );
  };
  line(limits.upper, '+1.96 SD', true, 'upper');
  line(limits.bias, 'bias', false, 'bias');
  line(limits.lower, '−1.96 SD', true, 'lower');
  for (const p of points) parts.push(`<circle cx="${fmt(x(p.mean))}" cy="${fmt(y(p.diff))}" r="3.5" fill="${PALETTE[0]}" fill-opacity="0.7"/>`);
  return parts.join('') + '</svg>';
}
