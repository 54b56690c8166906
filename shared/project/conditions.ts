import { RamifyError } from '../result';
import { parseCsv } from './csv-parse';

/** How images get their condition when a project is created. */
export type ConditionSpec =
  | { kind: 'none' }
  /** The first folder level below the project root names the condition. */
  | { kind: 'subfolder' }
  /** Capture group 1 of the pattern, matched against the file name (not the folder). */
  | { kind: 'regex'; pattern: string }
  /** A CSV with columns `file` and `condition` plus any other metadata columns; `text` is its content. */
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
    const fileCol = lower.indexOf('file');
    const condCol = lower.indexOf('condition');
    if (fileCol < 0 || condCol < 0)
      throw new RamifyError('csv-malformed', `${spec.file}: the header needs columns 'file' and 'condition' (found: ${header.join(', ')}).`);
    const extraCols: number[] = [];
    header.forEach((h, i) => {
      if (i === fileCol || i === condCol) return;
      if (h === '') return;
      if (columns.includes(h)) throw new RamifyError('csv-malformed', `${spec.file}: column '${h}' appears twice.`);
      columns.push(h);
      extraCols.push(i);
    });
    columns = ['condition', ...extraCols.map((i) => header[i])];
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
  const conditions: string[] = [];
  for (const p of paths) {
    const c = metadata.get(p)!.condition;
    if (c !== '' && !conditions.includes(c)) conditions.push(c);
  }
  return { metadata: new Map(paths.map((p) => [p, metadata.get(p)!])), columns, conditions, unmatched, warnings };
}
