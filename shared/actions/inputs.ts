import { CALIBRATION_SOURCES, type Calibration } from '../image/types';
import type { BranchLabel, NodeId, Soma, TraceNode } from '../model/document';
import type { NodeInput } from './actions';

/**
 * Checks of action payloads. Actions may arrive over IPC or from scripts, so nothing is trusted: a payload that
 * fails a check makes the action invalid (the reducer returns the same document).
 */

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function isPoint(p: unknown): p is { x: number; y: number } {
  return typeof p === 'object' && p !== null && finite((p as { x?: unknown }).x) && finite((p as { y?: unknown }).y);
}

/** A TraceNode from an input with the given id, or undefined when a coordinate is not finite or r < 0. */
export function toNode(input: NodeInput, id: NodeId): TraceNode | undefined {
  if (!isPoint(input)) return undefined;
  const z = input.z ?? 0;
  if (!finite(z)) return undefined;
  const node: TraceNode = { id, x: input.x, y: input.y, z };
  if (input.r !== undefined) {
    if (!finite(input.r) || input.r < 0) return undefined;
    node.r = input.r;
  }
  return node;
}

/** Nodes with consecutive ids from firstId; undefined when the list is empty or any input is invalid. */
export function toNodes(inputs: readonly NodeInput[], firstId: NodeId): TraceNode[] | undefined {
  if (!Array.isArray(inputs) || inputs.length === 0) return undefined;
  const out: TraceNode[] = [];
  for (let i = 0; i < inputs.length; i++) {
    const n = toNode(inputs[i], firstId + i);
    if (!n) return undefined;
    out.push(n);
  }
  return out;
}

export function isColor(c: unknown): c is string {
  return typeof c === 'string' && /^#[0-9a-fA-F]{6}$/.test(c);
}

const STANDARD_LABELS: readonly string[] = ['dendrite', 'apical', 'axon', 'undefined'];

export function isLabel(label: unknown): label is BranchLabel {
  if (typeof label !== 'string') return false;
  return STANDARD_LABELS.includes(label) || (label.startsWith('custom:') && label.length > 'custom:'.length);
}

export function isSoma(s: unknown): s is Soma {
  if (typeof s !== 'object' || s === null) return false;
  const soma = s as Soma;
  if (!finite(soma.z)) return false;
  if (soma.kind === 'point') return finite(soma.x) && finite(soma.y) && (soma.r === undefined || (finite(soma.r) && soma.r >= 0));
  if (soma.kind === 'polygon') return Array.isArray(soma.points) && soma.points.length >= 3 && soma.points.every(isPoint);
  return false;
}

export function sameSoma(a: Soma | null, b: Soma | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.kind !== b.kind || a.z !== b.z) return false;
  if (a.kind === 'point' && b.kind === 'point') return a.x === b.x && a.y === b.y && a.r === b.r;
  if (a.kind === 'polygon' && b.kind === 'polygon') {
    return a.points.length === b.points.length && a.points.every((p, i) => p.x === b.points[i].x && p.y === b.points[i].y);
  }
  return false;
}

/** A copy holding only the soma's own fields, so that stray properties of a payload never enter the document. */
export function copySoma(s: Soma): Soma {
  if (s.kind === 'point') return s.r === undefined ? { kind: 'point', x: s.x, y: s.y, z: s.z } : { kind: 'point', x: s.x, y: s.y, z: s.z, r: s.r };
  return { kind: 'polygon', points: s.points.map((p) => ({ x: p.x, y: p.y })), z: s.z };
}

const positive = (v: unknown): boolean => finite(v) && v > 0;

export function isCalibration(c: unknown): c is Calibration | null {
  if (c === null) return true;
  if (typeof c !== 'object') return false;
  const cal = c as Calibration;
  return positive(cal.pixelWidth) && positive(cal.pixelHeight) && (cal.voxelDepth === undefined || positive(cal.voxelDepth))
    && cal.unit === 'µm' && Object.hasOwn(CALIBRATION_SOURCES, cal.source);
}

export function sameCalibration(a: Calibration | null, b: Calibration | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.pixelWidth === b.pixelWidth && a.pixelHeight === b.pixelHeight && a.voxelDepth === b.voxelDepth && a.unit === b.unit && a.source === b.source;
}
