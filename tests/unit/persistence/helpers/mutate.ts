/**
 * Seeded mutations of hostile-input fuzzing. Every case is reproducible from (fixture, seed): `mutateTiff(bytes,
 * seed)`, `mutateSwc(text, seed)` and `mutateAnnotation(text, seed)` return the mutated input and a description.
 */

/** mulberry32: small, fast, good enough for choosing mutations. */
export function rng(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rand = () => number;
const int = (r: Rand, n: number) => Math.floor(r() * n);
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[int(r, xs.length)];

export interface Mutation<T> {
  input: T;
  what: string;
}

// ---- bytes ---------------------------------------------------------------------------------------------------

function byteMutation(bytes: Uint8Array, r: Rand): Mutation<Uint8Array> {
  const kind = int(r, 4);
  if (kind === 0) {
    const out = bytes.slice();
    const flips = 1 + int(r, 8);
    for (let i = 0; i < flips; i++) out[int(r, out.length)] ^= 1 << int(r, 8);
    return { input: out, what: `${flips} bit flips` };
  }
  if (kind === 1) {
    const at = int(r, bytes.length + 1);
    const n = 1 + int(r, 16);
    const ins = Uint8Array.from({ length: n }, () => int(r, 256));
    const out = new Uint8Array(bytes.length + n);
    out.set(bytes.subarray(0, at));
    out.set(ins, at);
    out.set(bytes.subarray(at), at + n);
    return { input: out, what: `insert ${n} bytes at ${at}` };
  }
  if (kind === 2) {
    const at = int(r, bytes.length);
    const n = Math.min(1 + int(r, 64), bytes.length - at);
    const out = new Uint8Array(bytes.length - n);
    out.set(bytes.subarray(0, at));
    out.set(bytes.subarray(at + n), at);
    return { input: out, what: `delete ${n} bytes at ${at}` };
  }
  const len = int(r, bytes.length);
  return { input: bytes.slice(0, len), what: `truncate to ${len} bytes` };
}

// ---- TIFF ----------------------------------------------------------------------------------------------------

/** Entries of the first IFD of a classic TIFF: offset of each 12-byte entry, its tag and type. */
function firstIfdEntries(b: Uint8Array): { little: boolean; ifd: number; entries: Array<{ at: number; tag: number; type: number }> } | null {
  if (b.length < 8) return null;
  const little = b[0] === 0x49;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint16(2, little) !== 42) return null; // BigTIFF and others: byte mutations only
  const ifd = dv.getUint32(4, little);
  if (ifd + 2 > b.length) return null;
  const n = dv.getUint16(ifd, little);
  const entries: Array<{ at: number; tag: number; type: number }> = [];
  for (let i = 0; i < n && ifd + 2 + 12 * (i + 1) <= b.length; i++) {
    const at = ifd + 2 + 12 * i;
    entries.push({ at, tag: dv.getUint16(at, little), type: dv.getUint16(at + 2, little) });
  }
  return { little, ifd, entries };
}

const SIZE_TAGS = [256, 257, 258, 273, 277, 278, 279, 322, 323, 324, 325];

export function mutateTiff(bytes: Uint8Array, seed: number): Mutation<Uint8Array> {
  const r = rng(seed);
  const layout = firstIfdEntries(bytes);
  if (!layout || r() < 0.5) return byteMutation(bytes, r);
  const out = bytes.slice();
  const dv = new DataView(out.buffer);
  const { little, ifd, entries } = layout;
  const kind = int(r, 4);
  if (kind === 3) {
    // The IFD chain loops back to itself.
    const next = ifd + 2 + 12 * entries.length;
    if (next + 4 <= out.length) dv.setUint32(next, ifd, little);
    return { input: out, what: 'next-IFD offset points back to the first IFD' };
  }
  const sized = entries.filter((e) => SIZE_TAGS.includes(e.tag));
  const e = sized.length > 0 && r() < 0.8 ? pick(r, sized) : pick(r, entries);
  if (!e) return byteMutation(bytes, r);
  if (kind === 0) {
    const v = pick(r, [0xffffffff, 0x7fffffff, 0x10000, 0, 1]);
    if (e.type === 3) dv.setUint16(e.at + 8, v & 0xffff, little);
    else dv.setUint32(e.at + 8, v >>> 0, little);
    return { input: out, what: `tag ${e.tag} value := ${v}` };
  }
  if (kind === 1) {
    const count = pick(r, [0xffffffff, 0x40000000, 0, 2]);
    dv.setUint32(e.at + 4, count >>> 0, little);
    return { input: out, what: `tag ${e.tag} count := ${count}` };
  }
  const type = pick(r, [0, 1, 5, 12, 13, 99, 0xffff]);
  dv.setUint16(e.at + 2, type, little);
  return { input: out, what: `tag ${e.tag} type := ${type}` };
}

// ---- SWC -----------------------------------------------------------------------------------------------------

const NUMBERS = ['1e308', '-1e308', '1e400', 'NaN', 'nan', 'inf', '-Infinity', '99999999999999999999', '-0', '0x10', '1,5', '', '3.', '.5e-400'];

export function mutateSwc(text: string, seed: number): Mutation<string> {
  const r = rng(seed);
  const lines = text.split('\n');
  const rows = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.trim() !== '' && !l.trim().startsWith('#'));
  const kind = int(r, 8);
  if (kind === 0 || rows.length < 2) {
    const m = byteMutation(new TextEncoder().encode(text), r);
    return { input: new TextDecoder().decode(m.input), what: m.what };
  }
  const fields = (i: number) => lines[i].trim().split(/\s+/);
  const set = (i: number, f: string[]) => (lines[i] = f.join(' '));
  const a = pick(r, rows).i;
  const b = pick(r, rows).i;
  const fa = fields(a);
  switch (kind) {
    case 1:
      fa[0] = fields(b)[0];
      set(a, fa);
      return { input: lines.join('\n'), what: `line ${a + 1}: id := id of line ${b + 1}` };
    case 2: {
      const choice = pick(r, ['self', 'missing', 'later', 'huge'] as const);
      fa[6] = choice === 'self' ? fa[0] : choice === 'missing' ? '987654321' : choice === 'later' ? fields(b)[0] : '99999999999999999999';
      set(a, fa);
      return { input: lines.join('\n'), what: `line ${a + 1}: parent := ${choice} (${fa[6]})` };
    }
    case 3: {
      const col = int(r, 7);
      fa[col] = pick(r, NUMBERS);
      set(a, fa);
      return { input: lines.join('\n'), what: `line ${a + 1}: column ${col + 1} := '${fa[col]}'` };
    }
    case 4: {
      if (r() < 0.5) fa.pop();
      else fa.push('7');
      set(a, fa);
      return { input: lines.join('\n'), what: `line ${a + 1}: ${fa.length} columns` };
    }
    case 5: {
      const shuffled = lines.slice();
      for (let i = shuffled.length - 1; i > 0; i--) {
        const j = int(r, i + 1);
        [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
      }
      return { input: shuffled.join('\n'), what: 'rows shuffled' };
    }
    case 6: {
      // Inflated count: the file grows by 10,000 rows chained onto one row.
      const extra: string[] = [];
      let parent = fa[0];
      for (let k = 0; k < 10_000; k++) {
        const id = String(10_000_000 + k);
        extra.push(`${id} 3 ${k * 0.5} 1 0 0.5 ${parent}`);
        parent = id;
      }
      return { input: lines.join('\n') + '\n' + extra.join('\n') + '\n', what: `10000 rows chained onto line ${a + 1}` };
    }
    default: {
      // A parent cycle between two rows.
      const fb = fields(b);
      fa[6] = fb[0];
      fb[6] = fa[0];
      set(a, fa);
      set(b, fb);
      return { input: lines.join('\n'), what: `lines ${a + 1} and ${b + 1} are each other's parent` };
    }
  }
}

/**
 * Deep nesting: `rows` rows in one chain whose type alternates (3, 4, 3, …), so every row starts a new branch on the
 * previous one — branch depth = rows. Readers that recurse per nested branch overflow the stack.
 */
export function nestedSwc(rows: number): string {
  const out = ['1 1 0 0 0 5 -1'];
  for (let i = 2; i <= rows; i++) out.push(`${i} ${i % 2 ? 3 : 4} ${i} 0 0 1 ${i - 1}`);
  return out.join('\n') + '\n';
}

// ---- annotation files ----------------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function leafPaths(v: Json, path: Array<string | number>, out: Array<Array<string | number>>): void {
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v)) v.forEach((x, i) => leafPaths(x, [...path, i], out));
    else for (const [k, x] of Object.entries(v)) leafPaths(x, [...path, k], out);
  }
  out.push(path);
}

const REPLACEMENTS: Array<[string, () => string]> = [
  ['1e308', () => '1e308'],
  ['-1e308', () => '-1e308'],
  ['1e999 (Infinity)', () => '1e999'],
  ['"NaN"', () => '"NaN"'],
  ['null', () => 'null'],
  ['"abc"', () => '"abc"'],
  ['true', () => 'true'],
  ['{}', () => '{}'],
  ['[]', () => '[]'],
  ['-1', () => '-1'],
  ['2^53+1', () => '9007199254740993'],
  ['1e5-element array', () => `[${new Array(100_000).fill('0').join(',')}]`],
  ['5000-deep nesting', () => '['.repeat(5000) + ']'.repeat(5000)],
  ['1 MB string', () => JSON.stringify('x'.repeat(1 << 20))],
];

export function mutateAnnotation(text: string, seed: number): Mutation<string> {
  const r = rng(seed);
  const kind = int(r, 5);
  if (kind === 0) {
    const m = byteMutation(new TextEncoder().encode(text), r);
    return { input: new TextDecoder().decode(m.input), what: m.what };
  }
  const data = JSON.parse(text) as Json;
  const paths: Array<Array<string | number>> = [];
  leafPaths(data, [], paths);
  const path = pick(r, paths.filter((p) => p.length > 0));
  const parentOf = (root: Json, p: Array<string | number>) => p.slice(0, -1).reduce<Json>((o, k) => (o as Record<string | number, Json>)[k], root) as Record<string | number, Json>;
  const where = path.join('.');
  if (kind === 1) {
    delete parentOf(data, path)[path[path.length - 1]];
    return { input: JSON.stringify(data), what: `delete ${where}` };
  }
  if (kind === 2) {
    // Inflated counts: an array refilled with copies of its first element, up to 20,000 copies or ~0.5 MB of text (so
    // the case measures hostile structure, not the honest cost of parsing a large file).
    const arrays = paths.filter((p) => p.length > 0 && Array.isArray(parentOf(data, [...p, 'x'])));
    const p = arrays.length > 0 ? pick(r, arrays) : path;
    const arr = parentOf(data, [...p, 'x']) as unknown as Json[];
    let copies = 0;
    if (Array.isArray(arr) && arr.length > 0) {
      const one = arr[0];
      copies = Math.max(2, Math.min(20_000, Math.floor(500_000 / JSON.stringify(one).length)));
      arr.length = 0;
      for (let i = 0; i < copies; i++) arr.push(one);
    }
    return { input: JSON.stringify(data), what: `${p.join('.')} := ${copies} copies of its first element` };
  }
  // Replace a value: put a placeholder in the JSON, then splice the replacement text (which may not be JSON-able).
  const [name, make] = pick(r, REPLACEMENTS);
  parentOf(data, path)[path[path.length - 1]] = '\u0000PLACEHOLDER\u0000';
  const input = JSON.stringify(data).replace('"\\u0000PLACEHOLDER\\u0000"', make());
  return { input, what: `${where} := ${name}` };
}
