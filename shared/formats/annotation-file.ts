/**
 * Ramify annotation files (`*.ramify.json`): a versioned JSON envelope around the annotation document.
 *
 * Reading is hostile-input safe: size limits come before deep work, every field is checked against the schema of
 * the current version (older versions are migrated first), then the model's structural invariants (unique ids,
 * existing parents, no cycles) are checked. Every failure is a RamifyError whose message names the field path and
 * the value found, e.g. `document.neurons[2].branches[0].nodes[5].x: expected a finite number, got "abc"`.
 *
 * Writing is canonical: fixed key order, 2-space indent, trailing newline, so saving the same document twice gives
 * identical bytes (content hashes then tell real changes from re-saves).
 */
import type { Calibration } from '../image/types';
import type { AnnotationDocument, Branch, BranchLabel, Neuron, Soma, TraceNode } from '../model/document';
import { validateDocument } from '../model/validate';
import { RamifyError } from '../result';
import { historyJson, readHistory } from './annotation/history-schema';
import { migrations } from './annotation/migrations';
import { annotationV1Schema, branchHeaderSchema, checkNode, checkPoint, commentSchema, neuronHeaderSchema, type ItemProblem } from './annotation/schema';
import { ANNOTATION_FORMAT, ANNOTATION_VERSION, type AnnotationFile, type CommentReply, type ImageIdentity, type ReviewComment, type Review, type ShollSettings } from './annotation/types';
import { plural } from '../text/plural';

export * from './annotation/types';
export { migrations } from './annotation/migrations';

/** Largest annotation text accepted (characters ≈ bytes): 200 MB. */
export const MAX_ANNOTATION_CHARS = 200 * 1024 * 1024;
/** Most nodes (and, separately, branches) accepted in one file. */
export const MAX_ANNOTATION_NODES = 5_000_000;

export interface AnnotationLimits {
  /** Text length limit (default MAX_ANNOTATION_CHARS). */
  maxChars?: number;
  /** Node count limit (default MAX_ANNOTATION_NODES). */
  maxNodes?: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

const calibrationJson = (c: Calibration) => ({
  pixelWidth: c.pixelWidth,
  pixelHeight: c.pixelHeight,
  ...(c.voxelDepth !== undefined ? { voxelDepth: c.voxelDepth } : {}),
  unit: c.unit,
  source: c.source,
});

const nodeJson = (p: TraceNode) => ({ id: p.id, x: p.x, y: p.y, z: p.z, ...(p.r !== undefined ? { r: p.r } : {}) });

const somaJson = (s: Soma) =>
  s.kind === 'point'
    ? { kind: s.kind, x: s.x, y: s.y, z: s.z, ...(s.r !== undefined ? { r: s.r } : {}) }
    : { kind: s.kind, points: s.points.map((q) => ({ x: q.x, y: q.y })), z: s.z };

const branchJson = (b: Branch) => ({
  id: b.id,
  label: b.label,
  parent: b.parent.kind === 'node' ? { kind: 'node', nodeId: b.parent.nodeId } : { kind: b.parent.kind },
  nodes: b.nodes.map(nodeJson),
});

const neuronJson = (n: Neuron) => ({
  id: n.id,
  name: n.name,
  color: n.color,
  soma: n.soma ? somaJson(n.soma) : null,
  branches: n.branches.map(branchJson),
  ...(n.auto ? { auto: { tracer: n.auto.tracer, parameters: { ...n.auto.parameters }, branches: n.auto.branches.map((b) => ({ branchId: b.branchId, signature: b.signature })) } } : {}),
});

/** The on-disk JSON value of a file, keys in canonical order (what serializeAnnotation prints). */
export function annotationToJson(file: AnnotationFile): Record<string, unknown> {
  const doc = file.document;
  const img = file.image;
  const r = file.review;
  return {
    format: ANNOTATION_FORMAT,
    version: ANNOTATION_VERSION,
    app: { name: file.app.name, version: file.app.version },
    image: img ? { fileName: img.fileName, byteSize: img.byteSize, sha256: img.sha256, width: img.width, height: img.height } : null,
    calibration: doc.calibration ? calibrationJson(doc.calibration) : null,
    document: { neurons: doc.neurons.map(neuronJson), nextId: doc.nextId },
    review: {
      status: r.status,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.reviewer ? { reviewer: r.reviewer } : {}),
      ...(r.reviewedAt ? { reviewedAt: r.reviewedAt } : {}),
      ...(r.neurons && r.neurons.length > 0 ? { neurons: r.neurons.map((n) => ({ neuronId: n.neuronId, status: n.status, reason: n.reason })) } : {}),
      comments: r.comments.map(commentJson),
      author: r.author,
      createdAt: r.createdAt,
      modifiedAt: r.modifiedAt,
    },
    ...(file.shollSettings ? { shollSettings: { start: file.shollSettings.start, step: file.shollSettings.step, end: file.shollSettings.end } } : {}),
    ...(file.history ? { history: historyJson(file.history) } : {}),
  };
}

const replyJson = (c: CommentReply) => ({ author: c.author, ...(c.role ? { role: c.role } : {}), text: c.text, at: c.at });

/** A comment with only the fields it has (a comment of an earlier build is written as that build wrote it). */
function commentJson(c: ReviewComment): Record<string, unknown> {
  return {
    ...(c.id ? { id: c.id } : {}),
    ...replyJson(c),
    ...(c.anchor ? { anchor: { x: c.anchor.x, y: c.anchor.y, ...(c.anchor.nodeId !== undefined ? { nodeId: c.anchor.nodeId } : {}) } } : {}),
    ...(c.replies?.length ? { replies: c.replies.map(replyJson) } : {}),
    ...(c.resolved !== undefined ? { resolved: c.resolved } : {}),
    ...(c.resolvedBy ? { resolvedBy: c.resolvedBy } : {}),
    ...(c.resolvedAt ? { resolvedAt: c.resolvedAt } : {}),
  };
}

function isLeafObject(v: object): boolean {
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object') return false;
  }
  return true;
}

/**
 * JSON with 2-space indent where objects holding only plain values (a node, a parent, the calibration) stay on
 * one line: one node per line keeps files ~3× smaller than fully indented JSON and diffs readable.
 */
function printJson(v: unknown, indent: string, out: string[]): void {
  if (v === null || typeof v !== 'object' || isLeafObject(v)) {
    out.push(JSON.stringify(v));
    return;
  }
  const inner = indent + '  ';
  const sep = ',\n' + inner;
  if (Array.isArray(v)) {
    out.push('[\n', inner);
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(sep);
      printJson(v[i], inner, out);
    }
    out.push('\n', indent, ']');
    return;
  }
  out.push('{\n', inner);
  let first = true;
  for (const k in v) {
    if (!first) out.push(sep);
    first = false;
    out.push(JSON.stringify(k), ': ');
    printJson((v as Record<string, unknown>)[k], inner, out);
  }
  out.push('\n', indent, '}');
}

/** Canonical text of a file: stable key order, 2-space indent (plain-valued objects on one line), trailing newline. */
export function serializeAnnotation(file: AnnotationFile): string {
  const out: string[] = [];
  printJson(annotationToJson(file), '', out);
  out.push('\n');
  return out.join('');
}

/**
 * True when two files hold the same work: what every save or autosave stamps afresh (the modified time, main's
 * history) aside. A recovery journal that holds the saved work is nothing to restore. Main asks at every autosave:
 * nodes that differ answer at once, without writing either file out (100k nodes: 0.3 s each time).
 */
export function sameWork(a: AnnotationFile, b: AnnotationFile): boolean {
  const bare = ({ history: _h, ...f }: AnnotationFile) => JSON.stringify(annotationToJson({ ...f, review: { ...f.review, modifiedAt: '' } }));
  return sameNodes(a.document, b.document) && bare(a) === bare(b);
}

/** False as soon as two documents' neurons, branches or nodes differ in number, id or position. */
function sameNodes(a: AnnotationDocument, b: AnnotationDocument): boolean {
  if (a.nextId !== b.nextId || a.neurons.length !== b.neurons.length) return false;
  for (let i = 0; i < a.neurons.length; i++) {
    const p = a.neurons[i].branches;
    const q = b.neurons[i].branches;
    if (p.length !== q.length) return false;
    for (let j = 0; j < p.length; j++) {
      const u = p[j].nodes;
      const v = q[j].nodes;
      if (u.length !== v.length) return false;
      for (let k = 0; k < u.length; k++) if (u[k].id !== v[k].id || u[k].x !== v[k].x || u[k].y !== v[k].y || u[k].z !== v[k].z) return false;
    }
  }
  return true;
}

/** A new file around a document (in progress, or to do while it has no neuron; created and modified now). */
export function newAnnotationFile(
  document: AnnotationDocument,
  o: { appVersion: string; now?: Date; author?: string; image?: ImageIdentity | null; shollSettings?: ShollSettings },
): AnnotationFile {
  const at = (o.now ?? new Date()).toISOString();
  const review: Review = { status: document.neurons.length > 0 ? 'in-progress' : 'to-do', comments: [], author: o.author ?? '', createdAt: at, modifiedAt: at };
  return {
    format: ANNOTATION_FORMAT,
    version: ANNOTATION_VERSION,
    app: { name: 'Ramify', version: o.appVersion },
    image: o.image ?? null,
    document,
    review,
    ...(o.shollSettings ? { shollSettings: o.shollSettings } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

const invalid = (message: string) => new RamifyError('annotation-invalid', message);

/** `document.neurons[2].x` from ['document', 'neurons', 2, 'x']. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s === '' ? '(file)' : s;
}

/** A short, safe description of a found value (never stringifies containers, which may be huge or deep). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing (the field is missing)';
  if (v === null) return 'null';
  if (typeof v === 'string') return v.length > 60 ? `${JSON.stringify(v.slice(0, 60))}… (${v.length} characters)` : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${plural(v.length, 'item')}`;
  return 'an object';
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = Object.prototype.hasOwnProperty.call(v, k) ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  }
  return v;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Counts nodes and branches without trusting the structure, so huge files are refused before the deep check. */
function countElements(data: Record<string, unknown>): { nodes: number; branches: number } {
  let nodes = 0;
  let branches = 0;
  const doc = data.document;
  if (!isObject(doc) || !Array.isArray(doc.neurons)) return { nodes, branches };
  for (const n of doc.neurons) {
    if (!isObject(n) || !Array.isArray(n.branches)) continue;
    branches += n.branches.length;
    for (const b of n.branches) if (isObject(b) && Array.isArray(b.nodes)) nodes += b.nodes.length;
  }
  return { nodes, branches };
}

/**
 * Parses annotation-file text into the current version. Throws RamifyError with codes annotation-too-large,
 * annotation-malformed (not JSON / not this format), annotation-newer, annotation-version, annotation-invalid.
 */
export function parseAnnotation(text: string, limits: AnnotationLimits = {}): AnnotationFile {
  const maxChars = limits.maxChars ?? MAX_ANNOTATION_CHARS;
  if (typeof text !== 'string') throw new RamifyError('annotation-malformed', 'Not a Ramify annotation file: expected text.');
  if (text.length > maxChars) {
    throw new RamifyError('annotation-too-large', `The annotation file is too large (${(text.length / 1048576).toFixed(0)} MB; at most ${(maxChars / 1048576).toFixed(0)} MB are read).`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (e) {
    const why = e instanceof Error ? e.message.slice(0, 200) : String(e);
    throw new RamifyError('annotation-malformed', `Not a Ramify annotation file: the text is not valid JSON (${why}).`);
  }
  return annotationFromJson(data, limits);
}

/** Checks and migrates an already JSON-parsed value (e.g. embedded in a recovery journal); see parseAnnotation. */
export function annotationFromJson(data: unknown, limits: AnnotationLimits = {}): AnnotationFile {
  const maxNodes = limits.maxNodes ?? MAX_ANNOTATION_NODES;
  if (!isObject(data)) throw new RamifyError('annotation-malformed', `Not a Ramify annotation file: expected a JSON object, got ${describeValue(data)}.`);
  if (data.format !== ANNOTATION_FORMAT) {
    throw new RamifyError('annotation-malformed', `Not a Ramify annotation file: format: expected "${ANNOTATION_FORMAT}", got ${describeValue(data.format)}.`);
  }
  const version = data.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new RamifyError('annotation-version', `version: expected a format version number (0, 1, …), got ${describeValue(version)}.`);
  }
  if (version > ANNOTATION_VERSION) {
    throw new RamifyError('annotation-newer', `This annotation file was made by a newer Ramify (format version ${version}); update Ramify to open it (this version reads up to format version ${ANNOTATION_VERSION}).`);
  }
  let current: Record<string, unknown> = data;
  for (let v = version; v < ANNOTATION_VERSION; v++) {
    const step = migrations[v];
    if (!step) throw new RamifyError('annotation-version', `Annotation format version ${v} cannot be upgraded by this Ramify.`);
    current = step(current);
  }
  const upgraded = version < ANNOTATION_VERSION ? ` (after upgrading from format version ${version})` : '';

  const { nodes, branches } = countElements(current);
  if (nodes > maxNodes || branches > maxNodes) {
    throw new RamifyError('annotation-too-large', `The annotation file holds ${Math.max(nodes, branches).toLocaleString('en-US')} ${nodes >= branches ? 'nodes' : 'branches'}; at most ${maxNodes.toLocaleString('en-US')} are read.`);
  }

  const fail = (path: ReadonlyArray<PropertyKey>, message: string): never => {
    throw invalid(`${formatFieldPath(path)}: ${message}, got ${describeValue(valueAt(current, path))}${upgraded}.`);
  };
  /** zod's first issue, at `prefix` + its path. */
  const check = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown, prefix: PropertyKey[]): T => {
    const r = schema.safeParse(value);
    if (r.success) return r.data;
    const issue = r.error.issues[0];
    return fail([...prefix, ...issue.path], issue.message);
  };
  const item = <T extends object>(result: ItemProblem | T, at: PropertyKey[]): T => {
    if ('message' in result && 'field' in result) return fail(result.field === null ? at : [...at, result.field], result.message);
    return result as T;
  };

  const v = check(annotationV1Schema, current, []);
  const neurons: Neuron[] = v.document.neurons.map((rawNeuron, i) => {
    const at = ['document', 'neurons', i];
    const n = check(neuronHeaderSchema, rawNeuron, at);
    let soma: Soma | null = null;
    if (n.soma?.kind === 'point') soma = n.soma;
    else if (n.soma?.kind === 'polygon') soma = { kind: 'polygon', points: n.soma.points.map((p, k) => item(checkPoint(p), [...at, 'soma', 'points', k])), z: n.soma.z };
    const branches: Branch[] = n.branches.map((rawBranch, j) => {
      const bat = [...at, 'branches', j];
      const b = check(branchHeaderSchema, rawBranch, bat);
      const nodes: TraceNode[] = b.nodes.map((p, k) => item(checkNode(p), [...bat, 'nodes', k]));
      return { id: b.id, label: b.label as BranchLabel, parent: b.parent, nodes };
    });
    const neuron: Neuron = { id: n.id, name: n.name, color: n.color, soma, branches };
    if (n.auto) neuron.auto = n.auto;
    return neuron;
  });
  const comments = v.review.comments.map((c, i) => check(commentSchema, c, ['review', 'comments', i]));
  const history = v.history === undefined ? undefined : readHistory(v.history, ['history'], fail);
  const document: AnnotationDocument = { neurons, nextId: v.document.nextId, calibration: v.calibration };
  // Fail fast on the commonest corruption (copied or duplicated elements) before the full validator, which lists
  // every problem and would spend time on each of thousands of duplicates; same wording as validateDocument.
  const seen = new Set<number>();
  const claim = (id: number, what: string) => {
    if (seen.has(id)) throw invalid(`document: Id ${id} is used more than once (${what} #${id})${upgraded}.`);
    seen.add(id);
  };
  for (const n of neurons) {
    claim(n.id, 'Neuron');
    for (const b of n.branches) {
      claim(b.id, 'Branch');
      for (const p of b.nodes) claim(p.id, 'Node');
    }
  }
  const shape = branchStructure(document);
  // validateDocument walks each branch's parent chain (cost = sum of branch depths): authoritative and fine for real
  // neurons, quadratic for a hostile chain of a million branches. Beyond the budget, the linear check above stands.
  const problems = shape.chainSteps <= MAX_VALIDATION_STEPS ? validateDocument(document) : shape.problem ? [shape.problem] : [];
  if (problems.length > 0) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    throw invalid(`document: ${problems[0].replace(/\.$/, '')}${more}${upgraded}.`);
  }
  return {
    format: ANNOTATION_FORMAT,
    version: ANNOTATION_VERSION,
    app: v.app,
    image: v.image,
    document,
    review: { ...v.review, comments } as Review,
    ...(v.shollSettings ? { shollSettings: v.shollSettings } : {}),
    ...(history ? { history } : {}),
  };
}

/** Work budget (parent-chain steps) for running the model's validator; real files need a tiny fraction. */
const MAX_VALIDATION_STEPS = 20_000_000;

/**
 * Linear-time check of branch attachment (parent node in the same neuron, no cycles, no empty branches) plus the
 * cost validateDocument would have: the sum over branches of their depth in the branch tree.
 */
function branchStructure(doc: AnnotationDocument): { problem: string | null; chainSteps: number } {
  let problem: string | null = null;
  let chainSteps = 0;
  const note = (p: string) => (problem ??= p);
  for (const neuron of doc.neurons) {
    const branchOfNode = new Map<number, number>();
    for (const b of neuron.branches) for (const p of b.nodes) branchOfNode.set(p.id, b.id);
    const up = new Map<number, number | null>();
    for (const b of neuron.branches) {
      if (b.nodes.length === 0) note(`Branch #${b.id} has no nodes.`);
      if (b.parent.kind !== 'node') up.set(b.id, null);
      else {
        const host = branchOfNode.get(b.parent.nodeId);
        if (host === undefined) note(`Branch #${b.id} starts at node #${b.parent.nodeId}, which is not in neuron #${neuron.id}.`);
        up.set(b.id, host ?? null);
      }
    }
    // Depth of every branch, iteratively; a branch met again on the current walk closes a cycle.
    const depth = new Map<number, number>();
    for (const start of neuron.branches) {
      const path: number[] = [];
      const onPath = new Set<number>();
      let id: number | null = start.id;
      let base = 0;
      while (id !== null && !depth.has(id)) {
        if (onPath.has(id)) {
          note(`Branch #${id} is part of a cycle of branches.`);
          base = path.length; // a cycle costs the validator one lap per member
          break;
        }
        onPath.add(id);
        path.push(id);
        id = up.get(id) ?? null;
      }
      if (id !== null && depth.has(id)) base = depth.get(id)!;
      for (let k = path.length - 1; k >= 0; k--) depth.set(path[k], ++base);
    }
    for (const d of depth.values()) chainSteps += d;
  }
  return { problem, chainSteps };
}

// ---------------------------------------------------------------------------------------------------------------
// Image identity (hashing happens in Node: electron/services/annotation-store.ts imageIdentityOf)

const describeImage = (i: ImageIdentity) => `${i.fileName} (${i.width}×${i.height}, sha256 ${i.sha256.slice(0, 8)}…)`;

/**
 * A warning when an annotation file belongs to another image than the one open, else null. The content hash
 * decides (a renamed copy is the same image); a file without identity (converted, pre-release) never warns.
 */
export function identityMismatch(fileIdentity: ImageIdentity | null, imageIdentity: ImageIdentity): string | null {
  if (!fileIdentity || fileIdentity.sha256 === imageIdentity.sha256) return null;
  return `These annotations were made on ${describeImage(fileIdentity)}, not on this image, ${describeImage(imageIdentity)}.`;
}
