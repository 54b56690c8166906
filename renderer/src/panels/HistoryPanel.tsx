import { useState } from 'react';
import { entriesForNeuron, type NeuronChange, type NeuronCounts } from '../../../shared/review/history';
import { describeChange } from '../../../shared/review/history-describe';
import { CHANGE_COLORS } from '../canvas/ChangesLayer';
import { toggleChanges, useChangesSinceReview, useHistory } from '../review/history-store';
import { useDoc } from '../stores/doc-store';
import { useViewer } from '../stores/viewer-store';
import { fmt } from './format';

const when = (iso: string) => new Date(iso).toLocaleString();
const who = (e: { by: string; role?: string }) => `${e.by || 'anonymous'}${e.role ? ` (${e.role})` : ''}`;

/**
 * The "Changes since review" switch (D) with its legend, for the Review panel: what was added since the last
 * approval or request for changes and what was removed, drawn on the canvas by ChangesLayer.
 */
export function ChangesSinceReviewToggle() {
  const show = useHistory((s) => s.showChanges);
  const changes = useChangesSinceReview();
  if (!changes) return <p className="small muted" data-testid="changes-since-review">Changes since review: shown once the tracing is approved or sent back.</p>;
  return (
    <div className="small" data-testid="changes-since-review">
      <label className="row">
        <input type="checkbox" checked={show} onChange={toggleChanges} aria-label="Show changes since review" /> Changes since review (D)
      </label>
      <p className="muted">
        Since {changes.reviewedBy || 'the reviewer'}, {when(changes.reviewedAt)}: {changes.nodesAdded} nodes added, {changes.nodesRemoved} removed, {changes.nodesMoved} moved.
      </p>
      {show && (
        <p className="row legend" aria-label="Legend">
          <svg width="28" height="10" aria-hidden="true">
            <line x1="2" y1="5" x2="26" y2="5" stroke={CHANGE_COLORS.added} strokeWidth="8" strokeLinecap="round" opacity="0.8" />
          </svg>
          added
          <svg width="28" height="10" aria-hidden="true">
            <line x1="2" y1="5" x2="26" y2="5" stroke={CHANGE_COLORS.removed} strokeWidth="2.5" strokeDasharray="6 4" />
          </svg>
          removed
        </p>
      )}
    </div>
  );
}

/** The old and new colour, left to right, beside "colour changed". */
function ColourSwatches({ change }: { change: { from: string; to: string } }) {
  const swatch = (c: string) => <span className="history-swatch" style={{ background: c }} title={c} />;
  return (
    <span className="history-colours" aria-label={`colour ${change.from} → ${change.to}`}>
      {swatch(change.from)}
      {swatch(change.to)}
    </span>
  );
}

const COUNT_LABELS: Array<[keyof NeuronCounts, string]> = [
  ['primaryDendrites', 'primary'],
  ['branchPoints', 'branch points'],
  ['tips', 'tips'],
  ['totalLength', 'length'],
  ['nmax', 'Nmax'],
];

function counts(c: NeuronChange): string {
  return COUNT_LABELS.map(([k, label]) => {
    const v = (x: NeuronCounts | null) => (x === null || x[k] === null ? '–' : `${fmt(x[k] as number)}${k === 'totalLength' ? ` ${x.unit}` : ''}`);
    return `${label} ${v(c.before)} → ${v(c.after)}`;
  }).join(' · ');
}

/**
 * What each save changed in the selected neuron (or in every neuron): who, when, what, and the counts before and
 * after; the last review marked where it falls. Main writes the history; this only reads it.
 */
export function HistoryPanel() {
  const hasImage = useViewer((s) => s.info !== null);
  const history = useHistory((s) => s.history);
  const neurons = useDoc((s) => s.history.present.neurons);
  const active = useDoc((s) => s.activeNeuronId);
  const [all, setAll] = useState(false);
  if (!hasImage) return null;
  const entries = all
    ? (history?.entries ?? []).flatMap((entry) => entry.neurons.map((change) => ({ entry, change }))).reverse()
    : active === null
      ? []
      : entriesForNeuron(history, active);
  const name = neurons.find((n) => n.id === active)?.name;
  const reviewed = history?.reviewed;
  // The review marker goes after the first (newest-first) entry older than it.
  const reviewIndex = reviewed ? entries.findIndex((x) => x.entry.at <= reviewed.at) : -1;
  const marker = reviewed && (
    <li key="reviewed" className="history-review" data-testid="history-reviewed">
      reviewed by {reviewed.by || 'anonymous'} · {when(reviewed.at)}
    </li>
  );
  return (
    <section className="panel" aria-label="History">
      <h2>History</h2>
      <label className="row small">
        <input type="checkbox" checked={all} onChange={() => setAll(!all)} /> Every neuron
      </label>
      {!all && <p className="small muted">{name ? `Saves that changed ${name}` : 'Select a neuron to see its history.'}</p>}
      {entries.length === 0 && (all || name) && <p className="small muted">No saved changes yet.</p>}
      <ol className="history small" aria-label="History entries">
        {entries.map(({ entry, change }, i) => [
          i === reviewIndex ? marker : null,
          <li key={`${entry.at}-${change.neuronId}`} data-testid="history-entry">
            <div className="muted">
              {who(entry)} · {when(entry.at)}
              {all ? ` · ${change.name}` : ''}
            </div>
            <div data-testid="history-what">
              {describeChange(change, entry)}
              {change.recoloured && <ColourSwatches change={change.recoloured} />}
            </div>
            <div data-testid="history-counts">{counts(change)}</div>
          </li>,
        ])}
        {reviewIndex === -1 && entries.length > 0 ? marker : null}
      </ol>
      {history?.dropped ? <p className="small muted">{history.dropped} older entries were dropped to keep the file small.</p> : null}
    </section>
  );
}
