import { useEffect, useRef } from 'react';
import { displayBins, type Histogram } from '../../../shared/display/histogram';

/** Log-scaled histogram of a channel over its data range, with the display range marked. */
export function HistogramView({ histogram, min, max, color }: { histogram: Histogram | null; min: number; max: number; color: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const w = canvas.width;
    const h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = '#0d0f13';
    ctx.fillRect(0, 0, w, h);
    if (!histogram || histogram.total === 0) return;
    const lo = histogram.min;
    const hi = histogram.max > histogram.min ? histogram.max : histogram.min + 1;
    const bins = displayBins(histogram, lo, hi + (histogram.binWidth === 1 ? 1 : 0), w);
    let peak = 0;
    for (const b of bins) peak = Math.max(peak, Math.log1p(b));
    ctx.fillStyle = color;
    for (let x = 0; x < w; x++) {
      const bh = peak ? (Math.log1p(bins[x]) / peak) * (h - 2) : 0;
      ctx.fillRect(x, h - bh, 1, bh);
    }
    const toX = (v: number) => ((v - lo) / (hi - lo)) * w;
    ctx.strokeStyle = '#ffffff';
    ctx.beginPath();
    ctx.moveTo(toX(min), h);
    ctx.lineTo(toX(max), 0);
    ctx.stroke();
  }, [histogram, min, max, color]);
  return <canvas ref={ref} className="histogram" width={240} height={64} />;
}
