/**
 * SWC morphology import/export (standard 7 columns `n T x y z R P`, coordinates and radii in µm).
 *
 * Import rules (also in docs/data-dictionary.md):
 * - `#` starts a comment anywhere on a line; blank lines are skipped; CRLF is accepted; fields split on whitespace.
 * - Exactly 7 numeric fields per row; n, T and P integers, T ≥ 0; any P < 0 marks a root. Ids may start anywhere
 *   and rows may come in any order. Duplicated ids, missing parents, cycles and soma rows below neurite rows
 *   are errors naming the line.
 * - Every root starts a tree and every tree becomes a neuron (`name`, or `name (tree k)` when there are several).
 * - Soma (type 1) rows at the top of a tree become one soma. Unbranched chains of ≥ 4 soma rows on one z plane
 *   whose outline is a real region (area ≥ 0.05 × (perimeter / 4)²) are contours → polygon soma (vertices in
 *   file chain order, centre = area centroid). Anything else (one row, NeuroMorpho's 3-point soma, SNT's soma
 *   paths, split or branched somata) → point soma at the mean of the soma rows with r = the largest soma radius
 *   (for a 3-point soma the mean is exactly the middle row).
 * - A tree whose root is not a soma row → neuron with soma null whose root row starts a detached branch; analysis
 *   measures such a neuron from that first node (no stem).
 * - Neurite rows: a branch runs along the first child (file order) of the same type; other children, and children
 *   whose type differs, start branches attached to that node (labels are per branch). Types: 0 undefined,
 *   2 axon, 3 dendrite, 4 apical, N ≥ 5 `custom:N`. A header comment `# ramify-label N custom:name` written by
 *   export maps N back to a named custom label.
 * - µm → px: x / pixelWidth + ½, y / pixelHeight + ½, z and radii / (voxelDepth ?? pixelWidth), i.e. the inverse of
 *   analysis' scale (radius uses pixelWidth). SWC counts positions from pixel centres (SNT, Vaa3D, NeuronStudio:
 *   column i is at i × pixel width), document px from pixel corners (pixel i spans [i, i + 1), its centre at i + ½);
 *   z counts slices from their centres in both. SWC written by Ramify before it said so in its header (SWC_CENTRES)
 *   counted from corners and is read as it was written.
 */
import type { Calibration } from '../image/types';
import type { AnnotationDocument, Branch, BranchLabel, Neuron, Soma, TraceNode } from '../model/document';
import { NEURON_COLORS } from '../model/document';
import { RamifyError } from '../result';

/** The header line saying that x and y count from pixel centres, as SNT and Vaa3D write them. */
export const SWC_CENTRES = '# x, y: pixel centres at whole multiples of the pixel size (as SNT and Vaa3D)';
const OLD_RAMIFY_HEADER = '# SWC written by Ramify';

/**
 * The voxel size an SWC's header states, as SNT writes it ("# Voxel separation (x,y,z): 0.33, 0.33, 0.9988", with
 * positions in µm) and Ramify does too: what places the file on an image that carries no pixel size of its own.
 * Null when the header says nothing of it or states sizes that are not positive numbers.
 */
export function swcVoxelSize(text: string): { pixelWidth: number; pixelHeight: number; voxelDepth: number } | null {
  const num = '([0-9]*\\.?[0-9]+(?:[eE][-+]?\\d+)?)';
  const m = new RegExp(`^#\\s*Voxel separation \\(x,\\s*y,\\s*z\\):\\s*${num}\\s*,\\s*${num}\\s*,\\s*${num}\\s*$`, 'im').exec(text.slice(0, 64 * 1024));
  if (!m) return null;
  const [pixelWidth, pixelHeight, voxelDepth] = m.slice(1, 4).map(Number);
  return [pixelWidth, pixelHeight, voxelDepth].every((v) => Number.isFinite(v) && v > 0) ? { pixelWidth, pixelHeight, voxelDepth } : null;
}

/** The voxel size an SWC states (swcVoxelSize) as a calibration to read it by, or null when it states none. */
export function swcStatedCalibration(text: string): Calibration | null {
  const stated = swcVoxelSize(text);
  return stated ? { ...stated, unit: 'µm', source: 'user' } : null;
}

export interface SwcReadOptions {
  /** µm per px applied to the imported coordinates (default 1 µm/px, user-sourced). */
  calibration?: Calibration;
  /** Base neuron name (default 'neuron'). */
  name?: string;
}

export interface SwcImport {
  document: AnnotationDocument;
  /** Non-fatal notes (e.g. type 1 rows ignored in the middle of a neurite). */
  warnings: string[];
}

interface Row {
  id: number;
  type: number;
  x: number;
  y: number;
  z: number;
  r: number;
  parent: number;
  line: number;
}

const INT = /^[+-]?\d+$/;
const NUM = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const fail = (line: number, message: string): never => {
  throw new RamifyError('swc-malformed', `SWC line ${line}: ${message}`);
};

export function labelFromSwcType(type: number, named?: ReadonlyMap<number, BranchLabel>): BranchLabel {
  switch (type) {
    case 0:
      return 'undefined';
    case 2:
      return 'axon';
    case 3:
      return 'dendrite';
    case 4:
      return 'apical';
    default:
      return named?.get(type) ?? `custom:${type}`;
  }
}

function parseRows(text: string): { rows: Row[]; named: Map<number, BranchLabel> } {
  const rows: Row[] = [];
  const named = new Map<number, BranchLabel>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let li = 0; li < lines.length; li++) {
    const lineNo = li + 1;
    let line = lines[li];
    const hash = line.indexOf('#');
    if (hash >= 0) {
      const m = /^#\s*ramify-label\s+(\d+)\s+(custom:\S+)\s*$/.exec(line.slice(hash));
      if (m) named.set(Number(m[1]), m[2] as BranchLabel);
      line = line.slice(0, hash);
    }
    const f = line.trim().split(/\s+/);
    if (f.length === 1 && f[0] === '') continue;
    if (f.length !== 7) fail(lineNo, `expected 7 columns (n T x y z R P), found ${f.length}.`);
    const names = ['id (n)', 'type (T)', 'x', 'y', 'z', 'radius (R)', 'parent (P)'];
    for (const c of [0, 1, 6]) if (!INT.test(f[c])) fail(lineNo, `${names[c]} must be an integer, found '${f[c]}'.`);
    for (const c of [2, 3, 4, 5]) if (!NUM.test(f[c])) fail(lineNo, `${names[c]} must be a number, found '${f[c]}'.`);
    const row: Row = { id: Number(f[0]), type: Number(f[1]), x: Number(f[2]), y: Number(f[3]), z: Number(f[4]), r: Number(f[5]), parent: Number(f[6]), line: lineNo };
    if (row.type < 0) fail(lineNo, `type (T) must be ≥ 0, found ${row.type}.`);
    if (![row.x, row.y, row.z, row.r].every(Number.isFinite)) fail(lineNo, 'coordinates out of range.');
    rows.push(row);
  }
  return { rows, named };
}

/** Soma from its rows (see the rules above); coordinates still in µm. */
function somaFromRows(root: Row, soma: Row[], children: Map<number, Row[]>): { kind: 'point'; x: number; y: number; z: number; r: number } | { kind: 'polygon'; points: Array<{ x: number; y: number }>; z: number } {
  if (soma.length >= 4) {
    // Chain test: every soma row has at most one soma child, following parent links from the first.
    const chain: Row[] = [root];
    let ok = true;
    for (;;) {
      const kids = (children.get(chain[chain.length - 1].id) ?? []).filter((c) => c.type === 1);
      if (kids.length > 1) {
        ok = false;
        break;
      }
      if (kids.length === 0) break;
      chain.push(kids[0]);
    }
    if (ok && chain.length === soma.length && soma.every((s) => s.z === soma[0].z)) {
      let twice = 0;
      let perimeter = 0;
      for (let i = 0; i < chain.length; i++) {
        const a = chain[i];
        const b = chain[(i + 1) % chain.length];
        twice += a.x * b.y - b.x * a.y;
        perimeter += Math.hypot(b.x - a.x, b.y - a.y);
      }
      if (perimeter > 0 && Math.abs(twice) / 2 >= 0.05 * (perimeter / 4) ** 2) {
        return { kind: 'polygon', points: chain.map((s) => ({ x: s.x, y: s.y })), z: soma[0].z };
      }
    }
  }
  const k = soma.length;
  return {
    kind: 'point',
    x: soma.reduce((s, r) => s + r.x, 0) / k,
    y: soma.reduce((s, r) => s + r.y, 0) / k,
    z: soma.reduce((s, r) => s + r.z, 0) / k,
    r: Math.max(...soma.map((s) => s.r)),
  };
}

/** Parses SWC text into a document (one neuron per tree). Throws RamifyError('swc-malformed') naming the line. */
export function parseSwc(text: string, options: SwcReadOptions = {}): SwcImport {
  const calibration: Calibration = options.calibration ?? { pixelWidth: 1, pixelHeight: 1, unit: 'µm', source: 'user' };
  const sx = calibration.pixelWidth;
  const sy = calibration.pixelHeight;
  const sz = calibration.voxelDepth ?? calibration.pixelWidth;
  const { rows, named } = parseRows(text);
  const warnings: string[] = [];
  if (rows.length === 0) throw new RamifyError('swc-empty', 'The SWC file has no sample rows.');

  const byId = new Map<number, Row>();
  for (const r of rows) {
    const prev = byId.get(r.id);
    if (prev) fail(r.line, `sample id ${r.id} is repeated (first defined on line ${prev.line}).`);
    byId.set(r.id, r);
  }
  const children = new Map<number, Row[]>();
  const roots: Row[] = [];
  for (const r of rows) {
    if (r.parent < 0) {
      roots.push(r);
      continue;
    }
    if (r.parent === r.id) fail(r.line, `sample ${r.id} is its own parent.`);
    const p = byId.get(r.parent);
    if (!p) fail(r.line, `sample ${r.id} has parent ${r.parent}, which is not in the file.`);
    if (r.type === 1 && p!.type !== 1) fail(r.line, `soma sample ${r.id} has parent ${r.parent} of type ${p!.type}; soma samples must form the root of a tree.`);
    const list = children.get(r.parent);
    if (list) list.push(r);
    else children.set(r.parent, [r]);
  }
  // Rows not reachable from any root sit on parent cycles.
  const reached = new Set<number>();
  const stack = [...roots];
  while (stack.length) {
    const r = stack.pop()!;
    reached.add(r.id);
    for (const c of children.get(r.id) ?? []) stack.push(c);
  }
  if (reached.size !== rows.length) {
    const bad = rows.find((r) => !reached.has(r.id))!;
    fail(bad.line, `sample ${bad.id} is part of a parent cycle (it never leads back to a root).`);
  }

  const doc: AnnotationDocument = { neurons: [], nextId: 1, calibration };
  const base = options.name ?? 'neuron';
  const newId = () => doc.nextId++;
  const half = text.includes(OLD_RAMIFY_HEADER) && !text.includes(SWC_CENTRES) ? 0 : 0.5;
  const toNode = (r: Row): TraceNode => ({ id: newId(), x: r.x / sx + half, y: r.y / sy + half, z: r.z / sz, r: r.r / sx });

  roots.forEach((root, t) => {
    const neuron: Neuron = {
      id: newId(),
      name: roots.length > 1 ? `${base} (tree ${t + 1})` : base,
      color: NEURON_COLORS[t % NEURON_COLORS.length],
      soma: null,
      branches: [],
    };
    doc.neurons.push(neuron);
    // Pending branch starts: the first row of a branch and what it hangs from.
    type Start = { row: Row; parent: Branch['parent'] };
    const starts: Start[] = [];
    if (root.type === 1) {
      const somaRows: Row[] = [];
      const walk = [root];
      while (walk.length) {
        const r = walk.pop()!;
        somaRows.push(r);
        for (const c of children.get(r.id) ?? []) if (c.type === 1) walk.push(c);
      }
      somaRows.sort((a, b) => a.line - b.line);
      const s = somaFromRows(root, somaRows, children);
      const soma: Soma =
        s.kind === 'point'
          ? { kind: 'point', x: s.x / sx + half, y: s.y / sy + half, z: s.z / sz, r: s.r / sx }
          : { kind: 'polygon', points: s.points.map((p) => ({ x: p.x / sx + half, y: p.y / sy + half })), z: s.z / sz };
      neuron.soma = soma;
      const somaIds = new Set(somaRows.map((r) => r.id));
      const neuriteRoots = rows.filter((r) => r.type !== 1 && somaIds.has(r.parent));
      for (const r of neuriteRoots) starts.push({ row: r, parent: { kind: 'soma' } });
    } else starts.push({ row: root, parent: { kind: 'none' } });

    // Depth-first: a branch is walked to its end, then the branches hanging from it in node order (the order
    // export writes, so import → export → import is the identity). An explicit stack, not recursion: hostile or
    // machine-made files can nest thousands of branches.
    const stack: Start[] = [...starts].reverse();
    while (stack.length) {
      const start = stack.pop()!;
      const label = labelFromSwcType(start.row.type, named);
      const branch: Branch = { id: newId(), label, parent: start.parent, nodes: [] };
      neuron.branches.push(branch);
      const pending: Start[] = [];
      let row: Row | undefined = start.row;
      while (row) {
        const node = toNode(row);
        branch.nodes.push(node);
        const kids = children.get(row.id) ?? [];
        let next: Row | undefined;
        for (const k of kids) {
          if (k.type === 1) continue;
          if (!next && k.type === row.type) next = k;
          else pending.push({ row: k, parent: { kind: 'node', nodeId: node.id } });
        }
        row = next;
      }
      for (let i = pending.length - 1; i >= 0; i--) stack.push(pending[i]);
    }
  });
  return { document: doc, warnings };
}

function swcType(label: BranchLabel, customNumbers: Map<string, number>): number {
  switch (label) {
    case 'undefined':
      return 0;
    case 'axon':
      return 2;
    case 'dendrite':
      return 3;
    case 'apical':
      return 4;
    default:
      return customNumbers.get(label) ?? 0;
  }
}

/** Shortest text that survives µm conversion: 12 significant digits drop float noise like 0.30000000000000004. */
const fmt = (v: number) => {
  const s = String(Number(v.toPrecision(12)));
  return s === '-0' ? '0' : s;
};

export interface SwcWriteOptions {
  /** Write an uncalibrated document with px as if they were µm (otherwise refused). */
  allowPixels?: boolean;
  /** Only these neurons (default: all). */
  neuronIds?: readonly number[];
  /** Extra header comment lines (without '#'). */
  header?: readonly string[];
}

/**
 * Writes SWC with µm from doc.calibration, x and y from pixel centres (x_µm = (x_px − ½) × pixel width; SWC_CENTRES
 * in the header). Rows are numbered from 1 in depth-first order (soma rows, then each
 * branch followed by the branches attached to it). Polygon somata are written as a chain of type-1 rows; neurites
 * on the soma hang from its first row. Detached branches become separate trees (parent −1). Named custom labels get
 * type numbers ≥ 5 not used by `custom:N` labels, recorded in `# ramify-label N custom:name` header lines.
 */
export function writeSwc(doc: AnnotationDocument, options: SwcWriteOptions = {}): string {
  const cal = doc.calibration;
  if (!cal && !options.allowPixels) {
    throw new RamifyError('swc-uncalibrated', 'The document has no pixel size, so SWC (µm) cannot be written; set the calibration first.');
  }
  const sx = cal?.pixelWidth ?? 1;
  const sy = cal?.pixelHeight ?? 1;
  const sz = cal?.voxelDepth ?? cal?.pixelWidth ?? 1;
  const wanted = options.neuronIds ? new Set(options.neuronIds) : null;
  const neurons = doc.neurons.filter((n) => !wanted || wanted.has(n.id));

  const customNumbers = new Map<string, number>();
  const used = new Set<number>();
  for (const n of neurons)
    for (const b of n.branches) {
      const m = /^custom:(\d+)$/.exec(b.label);
      if (m && Number(m[1]) >= 5) {
        customNumbers.set(b.label, Number(m[1]));
        used.add(Number(m[1]));
      }
    }
  const header: string[] = [
    OLD_RAMIFY_HEADER,
    `# units: µm${cal ? '' : ' (uncalibrated document: values are image px)'}`,
    ...(cal ? [`# Voxel separation (x,y,z): ${fmt(sx)}, ${fmt(sy)}, ${fmt(sz)}`] : []),
    SWC_CENTRES,
    ...(options.header ?? []).map((h) => `# ${h}`),
  ];
  let nextCustom = 5;
  for (const n of neurons)
    for (const b of n.branches) {
      if (b.label.startsWith('custom:') && !customNumbers.has(b.label)) {
        while (used.has(nextCustom)) nextCustom++;
        customNumbers.set(b.label, nextCustom);
        used.add(nextCustom);
        header.push(`# ramify-label ${nextCustom} ${b.label}`);
      }
    }
  header.push('# n T x y z R P');

  const out: string[] = [...header];
  let nextRow = 1;
  const row = (type: number, x: number, y: number, z: number, r: number, parent: number) => {
    const id = nextRow++;
    out.push(`${id} ${type} ${fmt((x - 0.5) * sx)} ${fmt((y - 0.5) * sy)} ${fmt(z * sz)} ${fmt(r * sx)} ${parent}`);
    return id;
  };
  for (const neuron of neurons) {
    const byNode = new Map<number, Branch[]>();
    const onSoma: Branch[] = [];
    const detached: Branch[] = [];
    for (const b of neuron.branches) {
      if (b.parent.kind === 'soma') onSoma.push(b);
      else if (b.parent.kind === 'none') detached.push(b);
      else {
        const l = byNode.get(b.parent.nodeId);
        if (l) l.push(b);
        else byNode.set(b.parent.nodeId, [b]);
      }
    }
    const written = new Set<Branch>();
    const writeBranch = (b: Branch, parentRow: number) => {
      if (written.has(b)) return;
      written.add(b);
      let prev = parentRow;
      const rowsOf: Array<[number, number]> = [];
      for (const node of b.nodes) {
        prev = row(swcType(b.label, customNumbers), node.x, node.y, node.z, node.r ?? 0, prev);
        rowsOf.push([node.id, prev]);
      }
      for (const [nodeId, rowId] of rowsOf) for (const child of byNode.get(nodeId) ?? []) writeBranch(child, rowId);
    };
    let somaRow = -1;
    const soma = neuron.soma;
    if (soma?.kind === 'point') somaRow = row(1, soma.x, soma.y, soma.z, soma.r ?? 0, -1);
    else if (soma?.kind === 'polygon' && soma.points.length > 0) {
      let prev = -1;
      for (const p of soma.points) {
        const id = row(1, p.x, p.y, soma.z, 0, prev);
        if (somaRow < 0) somaRow = id;
        prev = id;
      }
    }
    for (const b of onSoma) writeBranch(b, somaRow);
    for (const b of detached) writeBranch(b, -1);
  }
  return out.join('\n') + '\n';
}
