import { scaleOf, type NeuronMeasurements } from '../../../shared/analysis';
import type { BranchLabel } from '../../../shared/model/document';
import { findBranch, findNode } from '../../../shared/model/queries';
import { fmt } from '../panels/format';
import { useDoc } from '../stores/doc-store';
import { analysisStore, useAnalysis } from './analysis-store';
import { useMeasurements } from './measurements';
import { ShollPlot } from './ShollPlot';
import { plural } from '../../../shared/text/plural';

const LABELS: BranchLabel[] = ['dendrite', 'apical', 'axon', 'undefined'];

const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '–' : fmt(v, digits));

function Row({ id, label, value, unit }: { id: string; label: string; value: string; unit?: string }) {
  return (
    <tr data-testid={`metric-${id}`}>
      <th>{label}</th>
      <td className="value">{value}</td>
      <td className="muted small">{unit ?? ''}</td>
    </tr>
  );
}

/** Live morphometrics and Sholl analysis of the active neuron, and the selected branch. */
export function MeasurementsPanel() {
  const { results, error, ms } = useMeasurements();
  const activeId = useDoc((s) => s.activeNeuronId);
  const settings = useAnalysis();
  const m = results.find((r) => r.neuronId === activeId) ?? results[0];
  return (
    <section className="panel measurements" aria-label="Measurements">
      <h2>
        Measurements {m && <span className="muted small">· {m.name}</span>}
      </h2>
      <ShollSettings />
      {error && <p className="warning" role="status">{error}</p>}
      {!error && !m && <p className="muted small">Trace a neuron to see its numbers.</p>}
      {m && <NeuronNumbers m={m} showFit={settings.showFit} />}
      {m && <SelectedBranch m={m} />}
      <p className="muted small" data-testid="measure-time">
        {results.length > 0 ? `${plural(results.length, 'neuron')} measured in ${fmt(ms, 2)} ms` : ''}
      </p>
    </section>
  );
}

function ShollSettings() {
  const s = useAnalysis();
  const unit = useDoc((d) => scaleOf(d.history.present.calibration).unit);
  const setNum = (key: 'start' | 'step') => (e: React.ChangeEvent<HTMLInputElement>) => {
    const v = e.target.valueAsNumber;
    if (Number.isFinite(v)) analysisStore.set({ [key]: v });
  };
  return (
    <div className="sholl-settings">
      <p className="muted small">Sholl circles, {unit}</p>
      <div className="row">
        <label>
          Start <input type="number" aria-label="Sholl start radius" min={0} step="any" value={s.start} onChange={setNum('start')} />
        </label>
        <label>
          Step <input type="number" aria-label="Sholl step" min={0} step="any" value={s.step} onChange={setNum('step')} />
        </label>
        <label>
          End{' '}
          <input
            type="number"
            aria-label="Sholl end radius"
            min={0}
            step="any"
            placeholder="auto"
            value={s.end ?? ''}
            onChange={(e) => analysisStore.set({ end: e.target.value === '' ? null : Number.isFinite(e.target.valueAsNumber) ? e.target.valueAsNumber : s.end })}
          />
        </label>
      </div>
      <div className="row small">
        {LABELS.map((l) => (
          <label key={l}>
            <input
              type="checkbox"
              checked={s.labels === null || s.labels.includes(l)}
              onChange={(e) => {
                const current = s.labels ?? LABELS;
                const next = e.target.checked ? [...current, l] : current.filter((x) => x !== l);
                analysisStore.set({ labels: next.length === LABELS.length ? null : next });
              }}
            />{' '}
            {l}
          </label>
        ))}
      </div>
      <div className="row small">
        <label>
          <input type="checkbox" checked={s.showCircles} onChange={(e) => analysisStore.set({ showCircles: e.target.checked })} /> Sholl circles on image
        </label>
        <label>
          <input type="checkbox" checked={s.showFit} onChange={(e) => analysisStore.set({ showFit: e.target.checked })} /> Fitted curve
        </label>
      </div>
    </div>
  );
}

function NeuronNumbers({ m, showFit }: { m: NeuronMeasurements; showFit: boolean }) {
  const u = m.unit;
  const k = m.morphometrics;
  const s = m.sholl;
  const color = useDoc((st) => st.history.present.neurons.find((n) => n.id === m.neuronId)?.color ?? '#ffd400');
  return (
    <>
      {u === 'px' && <p className="warning small">Uncalibrated image: lengths in pixels.</p>}
      {m.warnings.map((w) => (
        <p key={w} className="warning small">
          {w}
        </p>
      ))}
      <table className="metrics">
        <tbody>
          <Row id="primary_branches" label="Primary dendrites" value={String(k.primaryBranches)} />
          <Row id="branch_points" label="Branch points" value={String(k.branchPoints)} />
          <Row id="tips" label="Tips" value={String(k.tips)} />
          <Row id="branches" label="Branches" value={String(k.branches)} />
          <Row id="total_length" label="Total length" value={num(k.totalLength, 5)} unit={u} />
          <Row id="stem_length" label="Stem length" value={num(k.stemLength, 4)} unit={u} />
          <Row id="mean_branch_length" label="Mean branch length" value={num(k.meanBranchLength)} unit={u} />
          <Row id="max_branch_order" label="Max / mean order" value={`${k.maxBranchOrder} / ${num(k.meanBranchOrder, 3)}`} />
          <Row id="strahler_order" label="Strahler number" value={String(k.strahlerNumber)} />
          <Row id="longest_path" label="Longest path" value={num(k.longestPath, 5)} unit={u} />
          {k.somaArea !== null && <Row id="soma_area" label="Soma area / perimeter" value={`${num(k.somaArea)} / ${num(k.somaPerimeter)}`} unit={`${u}², ${u}`} />}
        </tbody>
      </table>
      {s && (
        <>
          <h3>Sholl</h3>
          <ShollPlot sholl={s} color={color} showFit={showFit} />
          <table className="metrics">
            <tbody>
              <Row id="sholl_nmax" label="Nmax (at radius)" value={`${s.maxCrossings} (${num(s.maxCrossingsRadius)})`} unit={u} />
              <Row id="sholl_enclosing_radius" label="Enclosing radius" value={num(s.enclosingRadius)} unit={u} />
              <Row id="sholl_sum" label="Sum / mean crossings" value={`${s.sumCrossings} / ${num(s.meanCrossings, 3)}`} />
              <Row id="sholl_intersecting_radii" label="Intersecting radii" value={String(s.intersectingRadii)} />
              <Row id="sholl_ramification_index" label="Ramification index" value={num(s.ramificationIndex, 3)} />
              <Row id="sholl_critical" label="Critical value (radius)" value={s.polynomial ? `${num(s.polynomial.criticalValue, 3)} (${num(s.polynomial.criticalRadius, 4)})` : '–'} unit={u} />
              <Row id="sholl_poly" label="Polynomial degree, R²" value={s.polynomial ? `${s.polynomial.degree}, ${num(s.polynomial.rSquared, 3)}` : '–'} />
              <Row id="sholl_semilog" label="Semi-log k, R²" value={s.semiLog ? `${num(s.semiLog.decay, 3)}, ${num(s.semiLog.rSquared, 3)}` : '–'} />
              <Row id="sholl_loglog" label="Log-log k, R²" value={s.logLog ? `${num(s.logLog.decay, 3)}, ${num(s.logLog.rSquared, 3)}` : '–'} />
              <Row id="sholl_determination_ratio" label="Determination ratio" value={num(s.determinationRatio, 3)} />
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

function SelectedBranch({ m }: { m: NeuronMeasurements }) {
  const doc = useDoc((s) => s.history.present);
  const sel = useDoc((s) => s.selection);
  const branchId = sel?.kind === 'branch' ? findBranch(doc, sel.branchId)?.branch.id : sel?.kind === 'node' ? findNode(doc, sel.nodeId)?.branch.id : undefined;
  if (branchId === undefined) return null;
  const parts = m.branches.filter((b) => b.pathId === branchId);
  if (parts.length === 0) return null;
  return (
    <>
      <h3>Branches of the selected path</h3>
      <table className="metrics" data-testid="selected-branch-metrics">
        <thead>
          <tr>
            <th>#</th>
            <th>order</th>
            <th>length ({m.unit})</th>
            <th>ends in</th>
          </tr>
        </thead>
        <tbody>
          {parts.map((b) => (
            <tr key={b.id}>
              <td>{b.id}</td>
              <td>{b.order}</td>
              <td>{num(b.length, 5)}</td>
              <td>{b.end === 'tip' ? 'tip' : 'branch point'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
