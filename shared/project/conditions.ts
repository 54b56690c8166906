import { RamifyError } from '../result';
import { parseCsv } from './csv-parse';

/** How images get their condition when a project is created. */
export type ConditionSpec =
  | { kind: 'none' }
  /** The first folder level below the project root names the condition. */
  | { kind: 'subfolder' }
  /** Capture group 1 of the pattern, matched against the file name (not the folder). */
  | { kind: 'regex'; pattern: string }
  /**
   * A CSV with columns `file` and `condition` plus any other metadata columns; `text` is its content. A plate map has
   * `well` in place of `file`: each row gives every image of that well (by the well in its name) its condition.
   */
  | { kind: 'csv'; file: string; text: string };

/** Why an image got no condition. */
export interface UnmatchedImage {
  /** Relative image path. */
  path: string;
  /** One sentence for the user. */
  reason: string;
}

export interface ConditionAssignment {
  /** Metadata per relative image path, including 'condition' ('' when unmatched). */
  metadata: Map<string, Record<string, string>>;
  /** Metadata columns, 'condition' first, then CSV columns in file order. */
  columns: string[];
  /** Conditions in order of first appearance along the image list. */
  conditions: string[];
  unmatched: UnmatchedImage[];
  /** Non-fatal notes (CSV rows matching no image, duplicate rows). */
  warnings: string[];
}

/**
 * Parses the CLI/UI spelling: 'subfolder', 'regex:PATTERN', 'csv:FILE' or 'none'. The CSV text is read by the
 * caller; here `csv` specs carry an empty text. Throws RamifyError('usage') for anything else or a bad pattern.
 */
export function parseConditionSpec(spec: string): ConditionSpec {
  if (spec === 'subfolder' || spec === 'subfolders' || spec === 'folder') return { kind: 'subfolder' };
  if (spec === 'none') return { kind: 'none' };
  if (spec.startsWith('regex:')) {
    const pattern = spec.slice(6);
    compileConditionRegex(pattern);
    return { kind: 'regex', pattern };
  }
  if (spec.startsWith('csv:') && spec.length > 4) return { kind: 'csv', file: spec.slice(4), text: '' };
  throw new RamifyError('usage', `Unknown condition source '${spec}': use subfolder, regex:PATTERN (one capture group) or csv:FILE.`);
}

/** Compiles a condition pattern, checking it has a capture group. Throws RamifyError('usage'). */
export function compileConditionRegex(pattern: string): RegExp {
  let re: RegExp;
  try {
    re = new RegExp(pattern);
  } catch (e) {
    throw new RamifyError('usage', `Invalid condition pattern '${pattern}': ${(e as Error).message}.`);
  }
  // Groups of a pattern = length of the match of `pattern|` against '' minus one.
  const groups = (new RegExp(`${pattern}|`).exec('')?.length ?? 1) - 1;
  if (groups < 1) throw new RamifyError('usage', `The condition pattern '${pattern}' needs one capture group, e.g. '^(\\w+)_' to take the text before the first underscore.`);
  return re;
}

const fileName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Assigns a condition (and for CSV, further metadata) to every relative image path, in the given order. */
export function assignConditions(paths: readonly string[], spec: ConditionSpec): ConditionAssignment {
  const metadata = new Map<string, Record<string, string>>();
  const unmatched: UnmatchedImage[] = [];
  const warnings: string[] = [];
  let columns = ['condition'];
  const set = (path: string, condition: string, extra: Record<string, string> = {}) => metadata.set(path, { condition, ...extra });

  if (spec.kind === 'none') for (const p of paths) set(p, '');
  else if (spec.kind === 'subfolder') {
    for (const p of paths) {
      const slash = p.indexOf('/');
      if (slash < 0) {
        set(p, '');
        unmatched.push({ path: p, reason: 'lies directly in the project folder, not in a condition subfolder' });
      } else set(p, p.slice(0, slash));
    }
  } else if (spec.kind === 'regex') {
    const re = compileConditionRegex(spec.pattern);
    for (const p of paths) {
      const m = re.exec(fileName(p));
      const value = m?.[1];
      if (value === undefined || value === '') {
        set(p, '');
        unmatched.push({ path: p, reason: `file name does not match /${spec.pattern}/` });
      } else set(p, value);
    }
  } else {
    const rows = parseCsv(spec.text);
    if (rows.length === 0) throw new RamifyError('csv-malformed', `${spec.file}: the condition CSV is empty.`);
    const header = rows[0].map((h) => h.trim());
    const lower = header.map((h) => h.toLowerCase());
    const condCol = lower.indexOf('condition');
    const wellCol = lower.indexOf('file') < 0 ? lower.indexOf('well') : -1;
    const fileCol = wellCol >= 0 ? wellCol : lower.indexOf('file');
    if (fileCol < 0 || condCol < 0)
      throw new RamifyError('csv-malformed', `${spec.file}: the header needs columns 'file' and 'condition', or 'well' and 'condition' for a plate map (found: ${header.join(', ')}).`);
    const extraCols: number[] = [];
    header.forEach((h, i) => {
      if (i === fileCol || i === condCol) return;
      if (h === '') return;
      if (columns.includes(h)) throw new RamifyError('csv-malformed', `${spec.file}: column '${h}' appears twice.`);
      columns.push(h);
      extraCols.push(i);
    });
    columns = ['condition', ...extraCols.map((i) => header[i])];
    if (wellCol >= 0) {
      if (columns.includes('well')) throw new RamifyError('csv-malformed', `${spec.file}: column 'well' appears twice.`);
      columns = ['condition', 'well', ...columns.slice(1)];
      const read = (r: string[]) => ({ condition: (r[condCol] ?? '').trim(), extra: Object.fromEntries(extraCols.map((i) => [header[i], (r[i] ?? '').trim()])) });
      const plate = plateMap(paths, rows.slice(1), wellCol, spec.file, read);
      for (const p of paths) {
        const m = plate.byPath.get(p);
        set(p, m?.condition ?? '', { well: m?.well ?? wellInName(fileName(p))?.name ?? '', ...(m?.extra ?? Object.fromEntries(extraCols.map((i) => [header[i], '']))) });
      }
      unmatched.push(...plate.unmatched);
      warnings.push(...plate.warnings);
    } else {
      const byPath = new Set(paths);
      const byName = new Map<string, string[]>();
      for (const p of paths) byName.set(fileName(p), [...(byName.get(fileName(p)) ?? []), p]);
      const assigned = new Map<string, number>();
      rows.slice(1).forEach((r, k) => {
        const line = k + 2;
        const key = (r[fileCol] ?? '').trim().replace(/\\/g, '/').replace(/^\.\//, '');
        if (key === '') {
          warnings.push(`${spec.file} line ${line}: empty 'file' cell; row ignored.`);
          return;
        }
        let target: string | undefined;
        if (byPath.has(key)) target = key;
        else {
          const hits = byName.get(fileName(key)) ?? [];
          if (!key.includes('/') && hits.length === 1) target = hits[0];
          else if (!key.includes('/') && hits.length > 1) {
            warnings.push(`${spec.file} line ${line}: '${key}' names ${hits.length} images (${hits.join(', ')}); give the relative path instead.`);
            return;
          }
        }
        if (!target) {
          warnings.push(`${spec.file} line ${line}: '${key}' matches no image in the project.`);
          return;
        }
        if (assigned.has(target)) {
          warnings.push(`${spec.file} line ${line}: '${target}' was already assigned on line ${assigned.get(target)}; row ignored.`);
          return;
        }
        assigned.set(target, line);
        const extra: Record<string, string> = {};
        for (const i of extraCols) extra[header[i]] = (r[i] ?? '').trim();
        set(target, (r[condCol] ?? '').trim(), extra);
      });
      for (const p of paths) {
        if (!assigned.has(p)) {
          const extra: Record<string, string> = {};
          for (const i of extraCols) extra[header[i]] = '';
          set(p, '', extra);
          unmatched.push({ path: p, reason: `not listed in ${spec.file}` });
        } else if (metadata.get(p)!.condition === '') unmatched.push({ path: p, reason: `empty condition in ${spec.file} line ${assigned.get(p)}` });
      }
    }
  }
  const conditions: string[] = [];
  for (const p of paths) {
    const c = metadata.get(p)!.condition;
    if (c !== '' && !conditions.includes(c)) conditions.push(c);
  }
  return { metadata: new Map(paths.map((p) => [p, metadata.get(p)!])), columns, conditions, unmatched, warnings };
}

/**
 * The well a plate reader's file name holds (`Plate1_A01_s1_w1.tif`, `A01_s2.tif`, `ket_B3.tif`: one or two row
 * letters and the column, between underscores or before the extension): `key` compares wells however their column
 * is written (A1, A01), `name` is as the plate writes it (A01). Null when the name holds none.
 */
export function wellInName(name: string): { key: string; name: string } | null {
  const m = /(?:^|_)([A-Za-z]{1,2})(\d{1,3})(?=_|\.[^.]+$)/.exec(name);
  if (!m) return null;
  const row = m[1].toUpperCase();
  const column = Number(m[2]);
  return column < 1 ? null : { key: `${row}${column}`, name: `${row}${String(column).padStart(2, '0')}` };
}

/** A plate map's rows applied to the images: each row's well gives every image of that well its condition and columns. */
function plateMap(
  paths: readonly string[],
  rows: readonly string[][],
  wellCol: number,
  file: string,
  read: (r: string[]) => { condition: string; extra: Record<string, string> },
): { byPath: Map<string, { well: string; condition: string; extra: Record<string, string> }>; unmatched: UnmatchedImage[]; warnings: string[] } {
  const warnings: string[] = [];
  const byWell = new Map<string, { line: number; well: string; condition: string; extra: Record<string, string> }>();
  rows.forEach((r, k) => {
    const line = k + 2;
    const cell = (r[wellCol] ?? '').trim();
    if (cell === '') {
      if (r.some((c) => c.trim() !== '')) warnings.push(`${file} line ${line}: empty 'well' cell; row ignored.`);
      return;
    }
    const well = wellInName(`${cell}.x`);
    if (!well) return void warnings.push(`${file} line ${line}: '${cell}' is not a well (a row letter and a column: A01); row ignored.`);
    const had = byWell.get(well.key);
    if (had) return void warnings.push(`${file} line ${line}: well ${well.name} was already given on line ${had.line}; row ignored.`);
    byWell.set(well.key, { line, well: well.name, ...read(r) });
  });
  const byPath = new Map<string, { well: string; condition: string; extra: Record<string, string> }>();
  const unmatched: UnmatchedImage[] = [];
  const used = new Set<string>();
  for (const p of paths) {
    const well = wellInName(fileName(p));
    const row = well ? byWell.get(well.key) : undefined;
    if (!well) unmatched.push({ path: p, reason: 'its name holds no well (as Plate1_A01_s1.tif does)' });
    else if (!row) unmatched.push({ path: p, reason: `well ${well.name} is not in ${file}` });
    else {
      used.add(well.key);
      byPath.set(p, { well: well.name, condition: row.condition, extra: row.extra });
      if (row.condition === '') unmatched.push({ path: p, reason: `empty condition in ${file} line ${row.line}` });
    }
  }
  for (const [key, row] of byWell) if (!used.has(key)) warnings.push(`${file} line ${row.line}: no image of well ${row.well} in the project.`);
  return { byPath, unmatched, warnings };
}
