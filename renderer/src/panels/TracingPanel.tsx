import { channelNames } from '../../../shared/display/opening-display';
import type { PixelRect } from '../../../shared/tracing/auto/window';
import { useViewer } from '../stores/viewer-store';
import { ensureLiveWire } from '../tracing/live-wire-session';
import { traceStore, useTrace } from '../tracing/trace-store';
import { fmt } from './format';

/** The window a large image's live-wire reads: it moves when a click leaves it. */
const around = (w: PixelRect) => `${w.width} × ${w.height} px from (${w.x}, ${w.y})`;

/** Live-wire settings: which channel to follow, the ridge scale, snapping; and what the worker is doing. */
export function TracingPanel() {
  const info = useViewer((s) => s.info);
  const tool = useViewer((s) => s.tool);
  const t = useTrace();
  if (!info) return null;
  const names = channelNames(info);
  const recompute = () => {
    if (tool === 'trace') void ensureLiveWire().catch(() => undefined);
  };
  return (
    <section className="panel" aria-label="Tracing">
      <h2>Tracing</h2>
      <div className="row">
        {info.channels > 1 && (
          <label>
            Channel{' '}
            <select aria-label="Tracing channel" title="The channel the live-wire and the automatic tracer follow; an open project keeps it for all its images" value={Math.min(t.channel, info.channels - 1)} onChange={(e) => (traceStore.set({ channel: Number(e.target.value) }), recompute())}>
              {Array.from({ length: info.channels }, (_, c) => (
                <option key={c} value={c}>
                  {names ? `${c + 1} · ${names[c]}` : c + 1}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Scale σ{' '}
          <input type="number" aria-label="Ridge scale in px" min={0.5} max={20} step={0.5} value={t.scale} onChange={(e) => e.target.valueAsNumber > 0 && (traceStore.set({ scale: e.target.valueAsNumber }), recompute())} /> px
        </label>
      </div>
      <label className="small">
        <input type="checkbox" checked={t.snap} onChange={(e) => traceStore.set({ snap: e.target.checked })} /> Snap cursor to the ridge (G)
      </label>
      <p className="small muted" data-testid="trace-status">
        {t.status === 'computing' && `Computing ridge filter${t.window ? ` for ${around(t.window)}` : ''}…`}
        {t.status === 'ready' && `Live-wire ready${t.window ? ` on ${around(t.window)}` : ''}${t.costMs !== null ? ` · filter ${fmt(t.costMs, 3)} ms` : ''}${t.searchMs !== null ? ` · search ${fmt(t.searchMs, 3)} ms` : ''}${t.refineMs !== null ? ` · centre line ${fmt(t.refineMs, 2)} ms` : ''}`}
        {t.status === 'error' && <span className="warning">{t.statusMessage}</span>}
        {t.status === 'idle' && 'Choose the trace tool (T) to start.'}
      </p>
      {t.pick && <p className="warning small">Click the {t.pick.kind === 'join' ? 'node or soma to join to' : 'new parent node or the soma'} (Esc cancels).</p>}
    </section>
  );
}
