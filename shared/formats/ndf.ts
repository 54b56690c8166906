import type { Branch, BranchLabel, Neuron } from '../model/document';
import { NEURON_COLORS } from '../model/document';
import { RamifyError } from '../result';

/**
 * NeuronJ Data File (.ndf), the text format NeuronJ (E. Meijering) saves tracings in. One value per line, sections
 * introduced by comment lines:
 *
 *   // NeuronJ Data File - DO NOT CHANGE
 *   <version>
 *   // Parameters            (tracing settings, one per line; not needed here)
 *   // Type names and colors (name, colour-index pairs; a tracing's type indexes this list)
 *   // Cluster names
 *   // Tracing N             then id, type, cluster, label
 *   // Segment K of Tracing N  then x, y, x, y, … (integer pixel indices; consecutive segments share their joint)
 *   // End of NeuronJ Data File
 */

/** One NeuronJ tracing: an open polyline in NeuronJ's pixel indices. */
export interface NdfTracing {
  /** NeuronJ's tracing id (N1, N2, … in its UI). */
  id: number;
  /** Index into `types`. */
  type: number;
  /** Name of the type, or `Type <n>` when the file lists fewer types. */
  typeName: string;
  /** Index into the cluster names (0 = Default). */
  cluster: number;
  /** Free text label NeuronJ shows. */
  label: string;
  /** Vertices as NeuronJ's pixel indices (pixel (i, j); its centre is (i + 0.5, j + 0.5) in document coordinates). */
  points: Array<{ x: number; y: number }>;
}

/** A parsed .ndf file. */
export interface NdfFile {
  /** Format version as written in the file (e.g. "1.0", "1.4.2"). */
  version: string;
  /** Type names in file order. */
  types: string[];
  /** Tracings in file order. */
  tracings: NdfTracing[];
}

const HEADER = '// NeuronJ Data File';

function fail(line: number, what: string): never {
  throw new RamifyError('bad-ndf', `NeuronJ file line ${line}: ${what}`);
}

/** Parses .ndf text; anything malformed throws RamifyError('bad-ndf') naming the 1-based line. */
export function parseNdf(text: string): NdfFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  // Drop trailing empty lines only; an empty line inside the data is an error.
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  let i = 0;
  const lineNo = () => i + 1;
  const at = (k: number) => lines[k].trim();
  const isComment = (k: number) => k < lines.length && at(k).startsWith('//');
  const need = (what: string): string => {
    if (i >= lines.length) fail(lines.length + 1, `expected ${what}, found the end of the file.`);
    return at(i);
  };
  const integer = (what: string): number => {
    const s = need(what);
    if (!/^[+-]?\d+$/.test(s)) fail(lineNo(), `expected ${what} (an integer), found '${s.slice(0, 40)}'.`);
    i++;
    return Number(s);
  };

  if (lines.length === 0 || !at(0).startsWith(HEADER)) fail(1, `not a NeuronJ data file (the first line should start with '${HEADER}').`);
  i = 1;
  const version = need('the format version');
  if (version.startsWith('//') || !/^\d+(\.\d+)*$/.test(version)) fail(lineNo(), `expected the format version, found '${version.slice(0, 40)}'.`);
  i++;

  // Sections before the tracings: skip parameters, read type names, skip cluster names.
  const types: string[] = [];
  let section = '';
  while (i < lines.length) {
    const s = at(i);
    if (s.startsWith('// Tracing') || s.startsWith('// End of NeuronJ')) break;
    if (s.startsWith('//')) {
      section = s.toLowerCase();
      i++;
      continue;
    }
    if (section.startsWith('// type names')) {
      if (s === '') fail(lineNo(), 'expected a type name, found an empty line.');
      types.push(s);
      i++;
      integer(`the colour index of type '${s}'`);
      continue;
    }
    if (section === '') fail(lineNo(), `expected a section comment such as '// Parameters', found '${s.slice(0, 40)}'.`);
    i++;
  }

  const tracings: NdfTracing[] = [];
  let ended = false;
  while (i < lines.length) {
    const s = at(i);
    if (s.startsWith('// End of NeuronJ')) {
      ended = true;
      i++;
      break;
    }
    if (!s.startsWith('// Tracing')) fail(lineNo(), `expected '// Tracing', found '${s.slice(0, 40)}'.`);
    i++;
    const id = integer('the tracing id');
    const type = integer('the tracing type');
    const cluster = integer('the tracing cluster');
    const label = need('the tracing label');
    if (label.startsWith('//')) fail(lineNo(), 'expected the tracing label, found a section comment.');
    i++;
    const points: Array<{ x: number; y: number }> = [];
    let segments = 0;
    while (i < lines.length && at(i).startsWith('// Segment')) {
      i++;
      segments++;
      let first = true;
      while (i < lines.length && !isComment(i)) {
        const x = integer('an x coordinate');
        const y = integer('a y coordinate');
        const last = points[points.length - 1];
        // A segment starts where the previous one ended; keep that joint once.
        if (!(first && last && last.x === x && last.y === y)) points.push({ x, y });
        first = false;
      }
    }
    if (segments === 0) fail(lineNo(), `tracing ${id} has no '// Segment' block.`);
    if (points.length === 0) fail(lineNo(), `tracing ${id} has no points.`);
    const typeName = types[type] ?? `Type ${type}`;
    tracings.push({ id, type, typeName, cluster, label, points });
  }
  if (!ended) fail(lines.length + 1, "missing the closing '// End of NeuronJ Data File' line (the file may be truncated).");
  if (i < lines.length) fail(lineNo(), 'unexpected content after the end of the data.');
  return { version, types, tracings };
}

/** Branch label for a NeuronJ type name: Axon and Dendrite map to SWC types, Default to undefined, others stay named. */
export function ndfTypeLabel(typeName: string): BranchLabel {
  const t = typeName.trim();
  const lower = t.toLowerCase();
  if (lower === 'axon') return 'axon';
  if (lower === 'dendrite') return 'dendrite';
  if (lower === 'default' || t === '') return 'undefined';
  return `custom:${t}`;
}

/**
 * Detached branches (parent { kind: 'none' }) for NeuronJ tracings, ids taken from `nextId` onwards (branch id, then
 * its nodes). Vertices move to pixel centres (+0.5) because NeuronJ stores pixel indices. Returns the next free id.
 */
export function ndfToBranches(ndf: NdfFile, nextId: number): { branches: Branch[]; nextId: number } {
  let id = nextId;
  const branches: Branch[] = [];
  for (const t of ndf.tracings) {
    const branchId = id++;
    const nodes = t.points.map((p) => ({ id: id++, x: p.x + 0.5, y: p.y + 0.5, z: 0 }));
    branches.push({ id: branchId, label: ndfTypeLabel(t.typeName), parent: { kind: 'none' }, nodes });
  }
  return { branches, nextId: id };
}

/**
 * A neuron without soma holding all tracings of the file as detached branches, ready to be appended to a document
 * whose `nextId` was passed in (neuron id first). The user attaches the branches to a soma later.
 */
export function ndfToNeuron(ndf: NdfFile, nextId: number, name = 'NeuronJ import', color: string = NEURON_COLORS[0]): { neuron: Neuron; nextId: number } {
  const neuronId = nextId;
  const { branches, nextId: after } = ndfToBranches(ndf, nextId + 1);
  return { neuron: { id: neuronId, name, color, soma: null, branches }, nextId: after };
}
