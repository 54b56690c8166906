import { useMemo, useState } from 'react';
import type { AgreementMeasure } from '../../../shared/analysis/agreement';
import type { AgreementView } from '../../../shared/ipc/agreement-view';
import { blandAltmanSvg } from '../../../shared/plots/svg-plots';
import { openProjectImage } from '../controller/document-controller';
import { useSettings } from '../settings/settings-store';
import { agreementStore, assignAgreement, refreshAgreement, useAgreement } from './agreement-store';
import { plural } from '../../../shared/text/plural';

const LABELS: Record<AgreementMeasure, string> = {
  primary_dendrites: 'Primary dendrites',
  branch_points: 'Branch points',
  tips: 'Tips',
  total_length: 'Total length',
  nmax: 'Sholl Nmax',
};

const num = (v: number | null | undefined, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const signed = (v: number, digits = 0) => `${v > 0 ? '+' : ''}${v.toFixed(digits)}`;

/** Names two tracers and the share of images they trace twice. */
function AssignForm() {
  const me = useSettings((s) => s.settings.userName);
  const [share, setShare] = useState('10');
  const [a, setA] = useState(me);
  const [b, setB] = useState('');
  const submit = () => void assignAgreement(Number(share), [a.trim(), b.trim()]);
  return (
    <form
      className="agreement-assign"
      data-testid="agreement-assign"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <p>
        A share of the images is traced twice, by two people, each in a file of their own: the app opens the current user&apos;s own tracing of
        those images and never shows the other&apos;s. The tracers are named as they set their name in the review panel.
      </p>
      <label>
        Share of images (%) <input type="number" min={1} max={100} step={1} aria-label="Share of images (%)" value={share} onChange={(e) => setShare(e.target.value)} />
      </label>
      <label>
        Tracer A <input type="text" aria-label="Tracer A" value={a} onChange={(e) => setA(e.target.value)} />
      </label>
      <label>
        Tracer B <input type="text" aria-label="Tracer B" value={b} onChange={(e) => setB(e.target.value)} />
      </label>
      <button type="submit" disabled={!a.trim() || !b.trim() || !(Number(share) > 0)}>
        Assign images
      </button>
    </form>
  );
}

function IccTable({ view }: { view: AgreementView }) {
  return (
    <table className="agreement-table" data-testid="agreement-icc">
      <caption>ICC(2,1), two-way random, absolute agreement; Bland–Altman of B − A</caption>
      <thead>
        <tr>
          <th>Measure</th>
          <th>n</th>
          <th>ICC [95 % CI]</th>
          <th>Bias</th>
          <th>Limits of agreement</th>
        </tr>
      </thead>
      <tbody>
        {view.measures.map((m) => (
          <tr key={m.measure} data-measure={m.measure}>
            <th scope="row">
              {LABELS[m.measure]}
              {m.unit === 'count' ? '' : ` (${m.unit})`}
            </th>
            <td>{m.n}</td>
            <td data-testid={`icc-${m.measure}`}>{m.icc === null ? '—' : `${num(m.icc, 3)} [${num(m.ciLow, 3)}, ${num(m.ciHigh, 3)}]`}</td>
            <td>{num(m.bias)}</td>
            <td>{m.lower === null ? '—' : `${num(m.lower)} to ${num(m.upper)}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NeuronTable({ view }: { view: AgreementView }) {
  const units = [...new Set(view.rows.map((r) => r.unit))];
  const unit = units.length === 1 ? ` (${units[0]})` : '';
  return (
    <table className="agreement-table" data-testid="agreement-neurons">
      <caption>Per neuron (distances: Vaa3D SD / SSD / %SSD at 2 px; differences B − A)</caption>
      <thead>
        <tr>
          <th>Image</th>
          <th>{view.tracers[0]}</th>
          <th>{view.tracers[1]}</th>
          <th>SD{unit}</th>
          <th>SSD{unit}</th>
          <th>%SSD</th>
          <th>Δ primary</th>
          <th>Δ branch pts</th>
          <th>Δ tips</th>
          <th>Δ length{unit}</th>
          <th>Δ Nmax</th>
        </tr>
      </thead>
      <tbody>
        {view.rows.map((r, k) => (
          <tr key={k} className={r.match === 'both' ? '' : 'unpaired'}>
            <td>{r.displayName}</td>
            <td>{r.match === 'only_b' ? '(none)' : r.neuronA}</td>
            <td>{r.match === 'only_a' ? '(none)' : r.neuronB}</td>
            <td>
              {num(r.sd)}
              {unit ? '' : ` ${r.unit}`}
            </td>
            <td>{num(r.ssd)}</td>
            <td>{num(r.pctSsd, 1)}</td>
            <td>{r.diff ? signed(r.diff.primary_dendrites) : '—'}</td>
            <td>{r.diff ? signed(r.diff.branch_points) : '—'}</td>
            <td>{r.diff ? signed(r.diff.tips) : '—'}</td>
            <td>{r.diff ? signed(r.diff.total_length, 1) : '—'}</td>
            <td>{r.diff ? signed(r.diff.nmax) : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Summary({ view }: { view: AgreementView }) {
  const [a, b] = view.tracers;
  const done = view.images.filter((i) => i.tracedA && i.tracedB).length;
  return (
    <div className="agreement-summary">
      <p data-testid="agreement-summary">
        {a} (A) and {b} (B) trace {plural(view.images.length, 'image')} ({Math.round(view.share * 100)} %, seed {view.seed}); {done} traced by
        both.
        {view.you && ` You are tracer ${view.you.toUpperCase()}: these images open your own tracing.`}
      </p>
      <ul className="agreement-images">
        {view.images.map((i) => (
          <li key={i.imageId}>
            <button type="button" className="link" onClick={() => void openProjectImage(i.imageId)}>
              {i.displayName}
            </button>
            {i.condition && <span className="small"> ({i.condition})</span>}: {a} {i.tracedA ? '✓' : '—'}, {b} {i.tracedB ? '✓' : '—'}
            {i.pairs > 0 && `, ${plural(i.pairs, 'neuron pair')}`}
          </li>
        ))}
      </ul>
      {view.distances.map((d) => (
        <p key={d.unit} className="small" data-testid="agreement-distances">
          Mean over {plural(d.pairs, 'pair')}: SD {num(d.meanSd)} {d.unit}, SSD {num(d.meanSsd)} {d.unit}, %SSD {num(d.meanPctSsd, 1)}
        </p>
      ))}
      {view.warnings.map((w) => (
        <p key={w} className="small warning">
          {w}
        </p>
      ))}
    </div>
  );
}

/** Inter-tracer agreement of the open project: assignment, ICC per measure, Bland–Altman plot, per-neuron distances. */
export function AgreementPanel() {
  const { view, loading, error } = useAgreement();
  const [measure, setMeasure] = useState<AgreementMeasure>('total_length');
  const m = view?.measures.find((x) => x.measure === measure);
  const plot = useMemo(
    () =>
      m && m.points.length > 0
        ? blandAltmanSvg(m.points, { bias: m.bias ?? NaN, lower: m.lower, upper: m.upper }, { title: `Bland–Altman: ${LABELS[m.measure]}`, xLabel: `Mean of A and B${m.unit === 'count' ? '' : ` (${m.unit})`}`, yLabel: 'B − A' })
        : '',
    [m],
  );
  return (
    <section className="results-panel agreement-panel" aria-label="Tracer agreement" data-testid="agreement-panel">
      <header className="results-header">
        <h2>Tracer agreement</h2>
        {view?.blinded && <span className="results-blind">Blinded: images are coded</span>}
        {view && (
          <label>
            Plot{' '}
            <select aria-label="Bland–Altman measure" value={measure} onChange={(e) => setMeasure(e.target.value as AgreementMeasure)}>
              {view.measures.map((x) => (
                <option key={x.measure} value={x.measure}>
                  {LABELS[x.measure]}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" onClick={() => void refreshAgreement()}>
          Refresh
        </button>
        <button type="button" onClick={() => agreementStore.set({ open: false })} aria-label="Close agreement">
          Close
        </button>
      </header>
      {error && <p className="results-error" role="alert">{error}</p>}
      {loading && !view && <p>Comparing tracings…</p>}
      {!loading && !view && <AssignForm />}
      {view && (
        <div className="results-body">
          <div>
            <Summary view={view} />
            <IccTable view={view} />
          </div>
          {plot ? <figure className="results-figure results-plot" data-testid="bland-altman" dangerouslySetInnerHTML={{ __html: plot }} /> : <p className="small">The Bland–Altman plot appears once both tracers have traced an image.</p>}
          <NeuronTable view={view} />
        </div>
      )}
    </section>
  );
}
