import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ShollResult } from '../../../shared/analysis';

/** Crossings against radius, with the best-fit polynomial when asked. */
export function ShollPlot({ sholl, color, showFit, width = 262, height = 170 }: { sholl: ShollResult; color: string; showFit: boolean; width?: number; height?: number }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const unit = sholl.unit;

  useEffect(() => {
    const opts: uPlot.Options = {
      width,
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
      axes: [
        { stroke: '#9aa1ad', grid: { stroke: '#2c3038' }, ticks: { stroke: '#2c3038' }, label: `radius (${unit})`, labelSize: 16, font: '11px system-ui', labelFont: '11px system-ui' },
        { stroke: '#9aa1ad', grid: { stroke: '#2c3038' }, ticks: { stroke: '#2c3038' }, label: 'crossings', labelSize: 16, size: 36, font: '11px system-ui', labelFont: '11px system-ui' },
      ],
      series: [{}, { stroke: color, width: 1.5, points: { show: false } }, { stroke: '#ffffff', width: 1, dash: [4, 3], points: { show: false } }],
    };
    plot.current = new uPlot(opts, [[], [], []], host.current!);
    return () => {
      plot.current?.destroy();
      plot.current = null;
    };
  }, [width, height, unit, color]);

  useEffect(() => {
    const xs = sholl.profile.map((s) => s.radius);
    const ys = sholl.profile.map((s) => s.crossings);
    const fit = sholl.profile.map((s) => (showFit ? s.fitted : null));
    plot.current?.setData([xs, ys, fit]);
  }, [sholl, showFit]);

  return <div ref={host} className="sholl-plot" data-testid="sholl-plot" data-points={sholl.profile.length} />;
}
