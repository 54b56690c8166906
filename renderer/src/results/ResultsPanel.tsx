import { useMemo } from 'react';
import { MEASURES } from '../../../shared/report/measures';
import { measurePlotSvg, shollModelSvg } from '../../../shared/report/report-html';
import { formatNumber, formatP } from '../../../shared/stats/report-format';
import type { GroupComparison } from '../../../shared/stats/analyze';
import { savePng, saveSvg } from './plot-export';
import { exportReport, resultsStore, setResultsOptions, useResults } from './results-store';

const num = formatNumber;

function TestLines({ c, control }: { c: GroupComparison; control: string | null }) {
  if (c.kind === 'two-groups') {
    const [a, b] = c.groups;
    return (
      <ul className="results-tests" data-testid="results-tests">
        <li>
          {c.t_test.welch ? "Welch's" : "Student's"} t test, {b.name} − {a.name}: t({num(c.t_test.df)}) = {num(c.t_test.t)}, p = {formatP(c.t_test.p)}
        </li>
        <li>
          Mann–Whitney U = {c.mann_whitney.U}, p = {formatP(c.mann_whitney.p)}
        </li>
      </ul>
    );
  }
  return (
    <ul className="results-tests" data-testid="results-tests">
      <li>
        One-way ANOVA: F({c.anova.df_between}, {c.anova.df_within}) = {num(c.anova.F)}, p = {formatP(c.anova.p)}
      </li>
      {c.comparisons.map((r) => (
        <li key={`${r.group}-${r.control}`}>
          {r.method}
          {r.method === 'Dunnett' ? ` vs ${control}` : ''}: {r.group} − {r.control} = {num(r.difference)} [{num(r.ci_low)}, {num(r.ci_high)}], adjusted p = {formatP(r.p_adjusted)}
        </li>
      ))}
      <li>
        Kruskal–Wallis: H({c.kruskal.df}) = {num(c.kruskal.H)}, p = {formatP(c.kruskal.p)}
      </li>
    </ul>
  );
}

/** Results of the open project: Sholl curves per condition and one per-neuron measure compared across conditions. */
export function ResultsPanel() {
  const { view, loading, error, control, unit, measure, perNeuron } = useResults();
  const model = view?.model;
  const shollSvg = useMemo(() => (model ? shollModelSvg(model, perNeuron) : ''), [model, perNeuron]);
  const m = model?.measures.find((x) => x.column === measure) ?? model?.measures[0];
  const dotSvg = useMemo(() => (m ? measurePlotSvg(m, `one dot per ${model?.unit === 'neuron' ? 'neuron' : model?.unit}; mean ± SEM`) : ''), [m, model]);
  const close = () => resultsStore.set({ open: false });
  return (
    <section className="results-panel" aria-label="Results" data-testid="results-panel">
      <header className="results-header">
        <h2>Results</h2>
        {view?.blinded && <span className="results-blind" data-testid="results-blinded">Blinded: groups are coded</span>}
        <label>
          Unit of analysis{' '}
          <select aria-label="Unit of analysis" value={unit} onChange={(e) => setResultsOptions({ unit: e.target.value })}>
            {(view?.units ?? ['neuron']).map((u) => (
              <option key={u} value={u}>
                {u === 'neuron' ? 'neuron' : `mean per ${u}`}
              </option>
            ))}
          </select>
        </label>
        <label>
          Control{' '}
          <select aria-label="Control" value={control ?? model?.control ?? ''} onChange={(e) => setResultsOptions({ control: e.target.value })}>
            {(model?.conditions ?? []).map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void exportReport()}>
          Export report…
        </button>
        <button type="button" onClick={close} aria-label="Close results">
          Close
        </button>
      </header>
      {loading && !model && <p>Computing…</p>}
      {error && (
        <p className="results-error" role="alert">
          {error}
        </p>
      )}
      {model && model.conditions.length === 0 && <p>No traced neurons with a condition yet.</p>}
      {model && model.conditions.length > 0 && (
        <div className="results-body">
          <figure className="results-figure">
            <div className="results-plot" data-testid="results-sholl" dangerouslySetInnerHTML={{ __html: shollSvg }} />
            <div className="row">
              <label>
                <input type="checkbox" checked={perNeuron} onChange={(e) => resultsStore.set({ perNeuron: e.target.checked })} /> per neuron
              </label>
              <button type="button" onClick={() => saveSvg(shollSvg, 'sholl')}>
                SVG
              </button>
              <button type="button" onClick={() => void savePng(shollSvg, 'sholl')}>
                PNG
              </button>
            </div>
          </figure>
          {m && (
            <figure className="results-figure">
              <label>
                Measure{' '}
                <select aria-label="Measure" value={m.column} onChange={(e) => resultsStore.set({ measure: e.target.value })}>
                  {MEASURES.map((x) => (
                    <option key={x.column} value={x.column}>
                      {x.label}
                    </option>
                  ))}
                </select>
              </label>
              <div className="results-plot" data-testid="results-dots" dangerouslySetInnerHTML={{ __html: dotSvg }} />
              <div className="row">
                <button type="button" onClick={() => saveSvg(dotSvg, m.column)}>
                  SVG
                </button>
                <button type="button" onClick={() => void savePng(dotSvg, m.column)}>
                  PNG
                </button>
              </div>
              {m.comparison ? <TestLines c={m.comparison} control={model.control} /> : <p data-testid="results-tests">No test: {m.note}</p>}
            </figure>
          )}
        </div>
      )}
    </section>
  );
}
