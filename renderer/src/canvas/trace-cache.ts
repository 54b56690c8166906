import type { Neuron, NeuronId } from '../../../shared/model/document';
import { paintNeuron, paintNeurons, type DottedBranches, type ScreenView } from './trace-painter';

/** Screen px painted beyond each edge of the view, so a pan or a zoom-out reuses the bitmap for a while. */
const PAD_PX = 256;
/** Zoom ratios over which a bitmap is shown scaled while the wheel turns; beyond, the frame paints afresh. */
const MAX_ZOOM_IN = 1.6;
const MAX_ZOOM_OUT = 1 / 1.6;
/** Quiet time after the last scaled frame before the crisp paint. */
const SETTLE_MS = 120;

interface Key {
  neurons: readonly Neuron[];
  doubtful: DottedBranches;
  scale: number;
  x: number;
  y: number;
  width: number;
  height: number;
  dpr: number;
}

/**
 * The tracings of every neuron except the one being edited (the live neuron, painted afresh above them every
 * frame, so an edit re-renders only its own neuron), painted into an
 * offscreen bitmap a little larger than the view:
 * - at the same zoom (a pan, an edit of the live neuron) the bitmap is copied at a whole device-pixel offset;
 * - while the zoom changes, the bitmap is shown scaled (up to ×1.6 either way, then one fresh paint);
 * - SETTLE_MS after the last copied frame, one fresh paint: a copied or scaled frame is never left on screen.
 */
export class TraceBitmapCache {
  private canvas: HTMLCanvasElement | null = null;
  private key: Key | null = null;
  private settle: ReturnType<typeof setTimeout> | null = null;
  /** The next frame paints afresh (set when the view has rested after copied frames). */
  private crisp = false;

  private seen = new Map<NeuronId, Neuron>();
  private edited: NeuronId | null = null;

  /** `redraw` asks for another frame (after the crisp paint). */
  constructor(private readonly redraw: () => void) {}

  /**
   * `editingId`: the neuron the current tool edits, if any. The live neuron is the one an edit last replaced on its
   * own (a drag step, an undo), else `editingId`; after an import or any change to several neurons, none.
   */
  paint(c: CanvasRenderingContext2D, neurons: readonly Neuron[], editingId: NeuronId | null, v: ScreenView, doubtful: DottedBranches, dpr: number): void {
    this.noteEdits(neurons);
    const liveId = this.edited ?? editingId;
    const live = neurons.find((n) => n.id === liveId);
    const rest = live ? neurons.filter((n) => n !== live) : neurons;
    const k = this.key;
    const same = k !== null && this.sameContent(k, rest, v, doubtful, dpr);
    if (this.crisp) {
      // At rest: a fresh paint, so what stays on screen is exactly what painting the document gives.
      this.crisp = false;
      paintNeurons(c, rest, v, doubtful, 'fast');
      if (!(same && k.scale === v.scale && this.shiftable(k, v, dpr))) this.render(rest, v, doubtful, dpr);
    } else {
      if (!(same && (k.scale === v.scale ? this.shiftable(k, v, dpr) : this.scalable(k, v)))) this.render(rest, v, doubtful, dpr);
      this.copy(c, this.key!, v, dpr);
      if (this.settle) clearTimeout(this.settle);
      this.settle = setTimeout(() => {
        this.settle = null;
        this.crisp = true;
        this.redraw();
      }, SETTLE_MS);
    }
    if (live) paintNeuron(c, live, v, doubtful, 'fast');
  }

  private noteEdits(neurons: readonly Neuron[]): void {
    let changed: NeuronId | null | 'several' = neurons.length === this.seen.size ? null : 'several';
    for (const n of neurons) if (this.seen.get(n.id) !== n) changed = changed === null ? n.id : 'several';
    if (changed === null) return;
    this.edited = changed === 'several' ? null : changed;
    this.seen = new Map(neurons.map((n) => [n.id, n]));
  }

  /** Drops the pending crisp paint (the view is going away). */
  dispose(): void {
    if (this.settle) clearTimeout(this.settle);
    this.settle = null;
  }

  private sameContent(k: Key, neurons: readonly Neuron[], v: ScreenView, doubtful: DottedBranches, dpr: number): boolean {
    if (k.dpr !== dpr || k.width !== v.width || k.height !== v.height || k.doubtful !== doubtful) return false;
    return k.neurons.length === neurons.length && k.neurons.every((n, i) => n === neurons[i]);
  }

  private shiftable(k: Key, v: ScreenView, dpr: number): boolean {
    const whole = (d: number) => Math.abs(d - Math.round(d)) < 1e-6;
    return whole((v.x - k.x) * dpr) && whole((v.y - k.y) * dpr) && Math.abs(v.x - k.x) <= PAD_PX && Math.abs(v.y - k.y) <= PAD_PX;
  }

  /** True when the bitmap, scaled to the new zoom, still covers the whole view. */
  private scalable(k: Key, v: ScreenView): boolean {
    const r = v.scale / k.scale;
    if (!(r <= MAX_ZOOM_IN && r >= MAX_ZOOM_OUT)) return false;
    // The view's corners in the bitmap's screen px.
    const left = (0 - v.x) / r + k.x;
    const top = (0 - v.y) / r + k.y;
    const right = (v.width - v.x) / r + k.x;
    const bottom = (v.height - v.y) / r + k.y;
    return left >= -PAD_PX && top >= -PAD_PX && right <= k.width + PAD_PX && bottom <= k.height + PAD_PX;
  }

  /** Draws the bitmap so that image point p lands where the view puts it (exact copy when the zoom is the same). */
  private copy(c: CanvasRenderingContext2D, k: Key, v: ScreenView, dpr: number): void {
    const r = v.scale / k.scale;
    c.save();
    if (r === 1) {
      c.setTransform(1, 0, 0, 1, 0, 0);
      c.drawImage(this.canvas!, Math.round((v.x - k.x - PAD_PX) * dpr), Math.round((v.y - k.y - PAD_PX) * dpr));
    } else {
      c.setTransform(r, 0, 0, r, dpr * (v.x - r * (k.x + PAD_PX)), dpr * (v.y - r * (k.y + PAD_PX)));
      c.drawImage(this.canvas!, 0, 0);
    }
    c.restore();
  }

  private render(neurons: readonly Neuron[], v: ScreenView, doubtful: DottedBranches, dpr: number): void {
    const w = v.width + 2 * PAD_PX;
    const h = v.height + 2 * PAD_PX;
    this.canvas ??= document.createElement('canvas');
    if (this.canvas.width !== Math.round(w * dpr) || this.canvas.height !== Math.round(h * dpr)) {
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
    }
    const c = this.canvas.getContext('2d')!;
    c.setTransform(1, 0, 0, 1, 0, 0);
    c.clearRect(0, 0, this.canvas.width, this.canvas.height);
    c.setTransform(dpr, 0, 0, dpr, 0, 0);
    paintNeurons(c, neurons, { scale: v.scale, x: v.x + PAD_PX, y: v.y + PAD_PX, width: w, height: h }, doubtful, 'fast');
    this.key = { neurons, doubtful, scale: v.scale, x: v.x, y: v.y, width: v.width, height: v.height, dpr };
  }
}
