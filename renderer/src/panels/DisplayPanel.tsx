import { autoChannel, colorHex, requestRender, setView, updateChannel } from '../image/image-session';
import { updateProject } from '../project/project-actions';
import { useProject } from '../project/project-store';
import { useViewer, viewer, type ChannelColor } from '../stores/viewer-store';
import { HistogramView } from './HistogramView';
import { fmt } from './format';

const COLORS: ChannelColor[] = ['grey', 'green', 'magenta', 'red', 'blue', 'cyan', 'yellow'];
const CSS: Record<ChannelColor, string> = { grey: '#cfd3da', green: '#3ddc5a', magenta: '#f04ff0', red: '#ff5050', blue: '#5a7dff', cyan: '#39e0f0', yellow: '#f5e04a', palette: '#cfd3da' };

/** Brightness/contrast per channel, colours, composite vs single channel, stack position and projection. */
export function DisplayPanel() {
  const info = useViewer((s) => s.info);
  const channels = useViewer((s) => s.channels);
  const mode = useViewer((s) => s.mode);
  const active = useViewer((s) => s.activeChannel);
  const view = useViewer((s) => s.view);
  const inProject = useProject((s) => s.view !== null);
  const projectDisplay = useProject((s) => s.view?.display ?? null);
  if (!info) return null;
  const step = info.sampleFormat === 'float' ? 'any' : '1';
  // Only the file's own names: a colour picture's channel is already named by its colour select.
  const names = info.channelNames?.length === info.channels ? info.channelNames : null;

  return (
    <section className="panel" aria-label="Display">
      <h2>Display</h2>
      {channels.length > 1 && (
        <div className="row" role="radiogroup" aria-label="View mode">
          <label>
            <input type="radio" checked={mode === 'composite'} onChange={() => (viewer.set({ mode: 'composite' }), requestRender())} /> Composite
          </label>
          <label>
            <input type="radio" checked={mode === 'single'} onChange={() => (viewer.set({ mode: 'single' }), requestRender())} /> Single channel
          </label>
        </div>
      )}
      {channels.map((ch, c) => (
        <div key={c} className={`channel ${mode === 'single' && c === active ? 'active' : ''}`} data-testid={`channel-${c + 1}`}>
          <div className="row">
            {mode === 'composite' ? (
              <input type="checkbox" aria-label={`Show channel ${c + 1}`} checked={ch.visible} onChange={(e) => updateChannel(c, { visible: e.target.checked })} />
            ) : (
              <input type="radio" aria-label={`Show only channel ${c + 1}`} checked={c === active} onChange={() => (viewer.set({ activeChannel: c }), requestRender())} />
            )}
            <strong className="channel-name" title={names?.[c]}>
              {names ? `${c + 1} · ${names[c]}` : `Channel ${c + 1}`}
            </strong>
            {ch.color !== 'palette' ? (
              <select aria-label={`Colour of channel ${c + 1}`} value={ch.color} onChange={(e) => updateChannel(c, { color: e.target.value as ChannelColor })}>
                {COLORS.map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            ) : (
              <span className="muted">colour map</span>
            )}
            <button type="button" onClick={() => autoChannel(c)} title="Saturate 0.35 % of pixels, as ImageJ's Auto">
              Auto
            </button>
          </div>
          <HistogramView histogram={ch.histogram} min={ch.min} max={ch.max} color={CSS[ch.color]} />
          <div className="row small muted">
            <span>data {ch.histogram ? `${fmt(ch.histogram.min)} – ${fmt(ch.histogram.max)}` : ''}</span>
          </div>
          <div className="row">
            <label>
              Min <input type="number" aria-label={`Minimum of channel ${c + 1}`} step={step} value={fmt(ch.min, 6)} onChange={(e) => Number.isFinite(e.target.valueAsNumber) && updateChannel(c, { min: e.target.valueAsNumber })} />
            </label>
            <label>
              Max <input type="number" aria-label={`Maximum of channel ${c + 1}`} step={step} value={fmt(ch.max, 6)} onChange={(e) => Number.isFinite(e.target.valueAsNumber) && updateChannel(c, { max: e.target.valueAsNumber })} />
            </label>
          </div>
          {ch.histogram && ch.histogram.max > ch.histogram.min && (
            <>
              <input className="range" type="range" aria-label={`Minimum slider of channel ${c + 1}`} min={ch.histogram.min} max={ch.histogram.max} step={step} value={ch.min} onChange={(e) => updateChannel(c, { min: e.target.valueAsNumber })} />
              <input className="range" type="range" aria-label={`Maximum slider of channel ${c + 1}`} min={ch.histogram.min} max={ch.histogram.max} step={step} value={ch.max} onChange={(e) => updateChannel(c, { max: e.target.valueAsNumber })} />
            </>
          )}
          <label className="small">
            <input type="checkbox" checked={ch.inverted} onChange={(e) => updateChannel(c, { inverted: e.target.checked })} /> Invert
          </label>
        </div>
      ))}
      {inProject && (
        <div className="row small">
          <button
            type="button"
            title="Every image of the project opens with these channel ranges and colours"
            onClick={() => void updateProject({ op: 'setDisplay', display: { channels: channels.map((ch) => ({ min: ch.min, max: ch.max, color: colorHex(ch.color) })) } })}
          >
            Use for all project images
          </button>
          {projectDisplay && (
            <button type="button" onClick={() => void updateProject({ op: 'setDisplay', display: null })}>
              Per image
            </button>
          )}
        </div>
      )}
      {info.slices > 1 && (
        <div className="row">
          <label>
            Slice {view.z + 1}/{info.slices}
            <input type="range" aria-label="Slice" min={0} max={info.slices - 1} value={view.z} disabled={view.mip} onChange={(e) => void setView({ z: e.target.valueAsNumber })} />
          </label>
          <label title="The brightest slice per pixel, or the darkest on a bright background: the neurites either way">
            <input type="checkbox" checked={view.mip} onChange={(e) => void setView({ mip: e.target.checked })} /> Z projection
          </label>
        </div>
      )}
      {info.frames > 1 && (
        <div className="row">
          <label>
            Frame {view.t + 1}/{info.frames}
            <input type="range" aria-label="Frame" min={0} max={info.frames - 1} value={view.t} onChange={(e) => void setView({ t: e.target.valueAsNumber })} />
          </label>
        </div>
      )}
    </section>
  );
}
