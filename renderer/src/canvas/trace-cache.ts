import type { BranchId, Neuron, NeuronId } from '../../../shared/model/document';
import { paintNeuron, paintNeurons, type ScreenView } from './trace-painter';

function whenIdle(f: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(f, { timeout: 250 });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(f, 100);
  return () => clearTimeout(id);
}

/** Screen px drawn beyond each edge of the view, so a pan reuses the bitmap until it has moved this far. */
const PAD_PX = 256;

interface Key {
  neurons: readonly Neuron[];
  doubtful: ReadonlySet<BranchId>;
  scale: number;
  x: number;
  y: number;
  width: number;
  height: number;
  dpr: number;
}

/**
 * The tracings of every neuron except the one being edited, painted once into an offscreen bitmap a little larger
 * than the view and copied to the screen while the zoom stays the same: a pan or an edit of the live neuron costs one
 * bitmap copy plus the live neuron. Copies are made only at whole device-pixel offsets, so a copied frame has the
 * same pixels as a fresh paint. While the zoom changes, frames paint directly (a bitmap would be stale at once).
 * The live neuron is drawn above the others.
 */
export class TraceBitmapCache {
  private canvas: HTMLCanvasElement | null = null;
  private key: Key | null = null;
  private lastScale = NaN;
  /** Cancels the pending idle-time paint. */
  private idle: (() => void) | null = null;

  paint(c: CanvasRenderingContext2D, neurons: readonly Neuron[], liveId: NeuronId | null, v: ScreenView, doubtful: ReadonlySet<BranchId>, dpr: number): void {
    const settled = v.scale === this.lastScale;
    this.lastScale = v.scale;
    const live = neurons.find((n) => n.id === liveId);
    const rest = live ? neurons.filter((n) => n !== live) : neurons;
    if (!settled) {
      // Zooming: painting straight to the screen is cheaper than painting a padded bitmap that is stale next frame.
      // Once the zoom rests, the bitmap is made while the browser is idle, so the first pan frame is a copy too.
      paintNeurons(c, rest, v, doubtful, 'fast');
      this.idle?.();
      this.idle = whenIdle(() => {
        this.idle = null;
        if (this.lastScale === v.scale && !this.reusable(rest, v, doubtful, dpr)) this.render(rest, v, doubtful, dpr);
      });
    } else {
      if (!this.reusable(rest, v, doubtful, dpr)) this.render(rest, v, doubtful, dpr);
      const k = this.key!;
      c.save();
      c.setTransform(1, 0, 0, 1, 0, 0);
      c.drawImage(this.canvas!, Math.round((v.x - k.x - PAD_PX) * dpr), Math.round((v.y - k.y - PAD_PX) * dpr));
      c.restore();
    }
    if (live) paintNeuron(c, live, v, doubtful, 'fast');
  }

  private reusable(neurons: readonly Neuron[], v: ScreenView, doubtful: ReadonlySet<BranchId>, dpr: number): boolean {
    const k = this.key;
    if (!k || k.scale !== v.scale || k.dpr !== dpr || k.width !== v.width || k.height !== v.height || k.doubtful !== doubtful) return false;
    if (k.neurons.length !== neurons.length || k.neurons.some((n, i) => n !== neurons[i])) return false;
    const dx = (v.x - k.x) * dpr;
    const dy = (v.y - k.y) * dpr;
    const whole = (d: number) => Math.abs(d - Math.round(d)) < 1e-6;
    return whole(dx) && whole(dy) && Math.abs(v.x - k.x) <= PAD_PX && Math.abs(v.y - k.y) <= PAD_PX;
  }

  private render(neurons: readonly Neuron[], v: ScreenView, doubtful: ReadonlySet<BranchId>, dpr: number): void {
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
