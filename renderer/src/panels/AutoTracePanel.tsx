import { useMemo } from 'react';
import { channelNames } from '../../../shared/display/opening-display';
import { findNeuron } from '../../../shared/model/queries';
import { ASSUMED_UM_PER_PX, printResolutionNote, tracingPixelSize } from '../../../shared/tracing/auto/pixel-size';
import { DETAIL_MAX_UM, DETAIL_STEP_UM } from '../../../shared/tracing/auto/detail-levels';
import { neuronOfSelection, useDoc } from '../stores/doc-store';
import { useViewer } from '../stores/viewer-store';
import { acceptAutoTrace, autoTrace, cancelAutoTrace, discardAutoTrace, keepDoubtful, notACell, reviewSavedTrace, setDepthPlacement, setDetail, setNucleusChannel, useAutoTrace } from '../tracing/autotrace-session';
import { selectedDoubt, stepDoubt } from '../tracing/doubt-review';
import { reviewHint, reviewMoveNow } from '../tracing/neuron-review';
import { showNeuron } from '../controller/document-controller';
import { savedTrace } from '../../../shared/tracing/auto/saved-trace';
import { useTrace } from '../tracing/trace-store';
import { fmt } from './format';
import { PathCount } from './PathCount';
import { plural } from '../../../shared/text/plural';
import { keepDetail, projectDetailUm } from '../project/tracing-sync';
import { useProject } from '../project/project-store';

/** The automatic tracer: detect the field, the detail slider (re-prunes instantly), progress, accept or discard. */
export function AutoTracePanel() {
  const info = useViewer((s) => s.info);
  const onProjection = useViewer((s) => s.view.mip && !s.tiled && (s.info?.slices ?? 1) > 1);
  const tool = useViewer((s) => s.tool);
  const a = useAutoTrace();
  const traceChannel = useTrace((s) => s.channel);
  // Read on each render: the project's level changes with the slider (a write pending until it rests) or its file.
  useProject((s) => s.view?.tracing?.minBranchUm);
  const inProject = useProject((s) => s.currentImageId !== null);
  const doc = useDoc((s) => s.history.present);
  const selection = useDoc((s) => s.selection);
  // Neurons traced before (a project's batch, or accepted earlier) and unchanged since: they can be reviewed again.
  // Worked out only while the panel can offer it (not on every edit of a drag while it is hidden).
  const offer = tool === 'auto' && !a.busy && a.pending.length === 0;
  const saved = useMemo(() => (offer ? savedTrace(doc) : null), [offer, doc]);
  if (!info || (tool !== 'auto' && a.pending.length === 0 && !a.busy)) return null;
  // Uncalibrated (or at a print resolution), the tracer reads lengths at an assumed pixel size (pixel-size.ts): the
  // slider shows and takes px.
  const calibration = doc.calibration ?? info.calibration;
  const calibrated = tracingPixelSize(calibration) !== null;
  const printNote = printResolutionNote(calibration, 'set its pixel size under Calibration');
  const unit = calibrated ? 'µm' : 'px';
  // The channel traced here: a project's may be past this image's last (the trace reads its last then).
  const tracedChannel = Math.min(traceChannel, info.channels - 1);
  const names = channelNames(info);
  const umPer = calibrated ? 1 : ASSUMED_UM_PER_PX;
  // A trace under review at another level than the project's (a batch's made before the level changed, or a slider
  // move undone): Auto-trace all images traces at the project's, and traces its unchecked images again at it.
  const projectAt = inProject && a.pending.length > 0 ? projectDetailUm() : null;
  const projectLevel = projectAt !== null && Math.abs(projectAt - a.minBranchUm) > 1e-9 ? projectAt : null;
  const checking = selectedDoubt(doc, a.doubtful, selection?.kind === 'branch' ? selection.branchId : null);
  const pending = a.pending.map((id) => findNeuron(doc, id)?.neuron).filter((n) => n !== undefined);
  // Not a cell traces the field again: it needs two neurons with the current trace behind them (not reviewed as saved).
  const traced = pending.filter((n) => !a.asSaved.has(n.id)).length;
  const shown = neuronOfSelection(doc, selection);
  // What V does next, worked out on each render: the panel renders on every change of the document, selection and doubts it reads.
  const vHint = pending.length > 0 && !a.busy ? reviewHint(reviewMoveNow(true)) : null;
  return (
    <section className="panel" aria-label="Automatic tracing">
      <h2>Automatic tracing</h2>
      <p className="small muted">
        {pending.length > 0
          ? `${tool === 'auto' ? 'Click' : 'With the Auto tool (A), click'} a cell body the trace missed to add it${traced > 0 ? ': its neighbours give up its dendrites' : ''}.`
          : 'Click a cell body (or the start of a fibre) to trace its whole tree.'}
      </p>
      {printNote && (
        <p className="small warning" data-testid="autotrace-print-resolution">
          {printNote}
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => void autoTrace([])} disabled={a.busy}>
          Detect neurons
        </button>
        {saved && (
          <button type="button" onClick={() => void reviewSavedTrace()} title="Trace the field again with the settings it was traced with, so the detail slider, Not a cell and Add a cell work on these neurons">
            Review {plural(saved.neurons.length, 'traced neuron')}
          </button>
        )}
        {a.busy && (
          <button type="button" onClick={cancelAutoTrace}>
            Cancel
          </button>
        )}
      </div>
      {a.busy && (
        <div className="small" data-testid="autotrace-progress">
          <progress max={1} value={a.fraction} /> {a.stage ?? ''} {Math.round(a.fraction * 100)} %
        </div>
      )}
      <label className="small">
        Detail: shortest branch{' '}
        <input type="range" aria-label="Shortest branch kept" min={0} max={DETAIL_MAX_UM / umPer} step={DETAIL_STEP_UM / umPer} value={a.minBranchUm / umPer} onChange={(e) => (void setDetail(e.target.valueAsNumber * umPer), keepDetail(e.target.valueAsNumber * umPer))} />{' '}
        <span data-testid="autotrace-detail">{fmt(a.minBranchUm / umPer, 3)}</span> {unit}
      </label>
      {projectLevel !== null && (
        <p className="small muted" data-testid="autotrace-project-detail">
          This image is traced at {fmt(a.minBranchUm / umPer, 3)} {unit}; the project traces its images at {fmt(projectLevel / umPer, 3)} {unit}.
        </p>
      )}
      {info.channels > 1 && (
        <div className="row small">
          <label>
            Cell bodies{' '}
            <select aria-label="Cell bodies" value={a.nucleusChannel !== null && a.nucleusChannel < info.channels && a.nucleusChannel !== tracedChannel ? a.nucleusChannel : ''} onChange={(e) => setNucleusChannel(e.target.value === '' ? null : Number(e.target.value))} title="With a nuclear stain (DAPI, Hoechst), a cell body is found only on a nucleus, and one the dendrite stain leaves dark is still found. From the next trace on; an open project keeps it for all its images.">
              <option value="">any compact blob</option>
              {Array.from({ length: info.channels }, (_, c) => c)
                .filter((c) => c !== tracedChannel)
                .map((c) => (
                  <option key={c} value={c}>
                    on the nuclei of channel {c + 1}
                    {names ? ` (${names[c]})` : ''}
                  </option>
                ))}
            </select>
          </label>
        </div>
      )}
      {onProjection && (
        <div className="row small">
          <label>
            <input type="checkbox" checked={a.depth} onChange={(e) => setDepthPlacement(e.target.checked)} /> Place nodes at their depth in the stack (3D tracing)
          </label>
        </div>
      )}
      {a.message && (
        <p className={`small ${a.messageKind === 'info' ? 'muted' : 'warning'}`} data-testid="autotrace-message">
          {a.message}
        </p>
      )}
      {a.lastMs !== null && !a.busy && <p className="small muted" data-testid="autotrace-status" title={a.lastReused ? 'This plane was read by the trace before: its foreground and distances were reused, only the search ran.' : undefined}>Last run {fmt(a.lastMs, 3)} ms{a.doubtful.size > 0 ? ` · ${plural(a.doubtful.size, 'uncertain path')} drawn dotted` : ''}</p>}
      {a.doubtful.size > 0 && !a.busy && (
        <div role="group" aria-label="Uncertain paths">
          {checking ? (
            <p className="small" data-testid="autotrace-doubt">
              Uncertain path {checking.index + 1} of {checking.count}: {checking.why}. Delete removes it (with the paths on it); Keep draws it solid.
            </p>
          ) : null}
          <div className="row">
            <button type="button" onClick={() => stepDoubt(-1)} title="The previous uncertain path (Shift+U)" aria-label="Previous uncertain path">
              ◀
            </button>
            <button type="button" onClick={() => stepDoubt(1)} title="Select the next uncertain path and centre the view on the place in doubt, ringed (U)">
              {checking ? 'Next uncertain (U)' : 'Check uncertain paths (U)'}
            </button>
            {checking && selection?.kind === 'branch' && (
              <button type="button" onClick={() => keepDoubtful(selection.branchId)} title="Looked at and right: drawn solid from now on">
                Keep
              </button>
            )}
          </div>
        </div>
      )}
      {pending.length > 1 && (
        <div className="row">
          <button type="button" onClick={() => acceptAutoTrace()}>
            Accept all
          </button>
          <button type="button" onClick={() => discardAutoTrace()}>
            Discard all
          </button>
        </div>
      )}
      {pending.length > 0 && (
        <ul className="small review-list" aria-label="Traced neurons awaiting review">
          {pending.map((n) => {
            const uncertain = n.branches.filter((b) => a.doubtful.has(b.id)).length;
            return (
              <li key={n.id} className={n.id === shown ? 'shown' : undefined} aria-current={n.id === shown ? 'true' : undefined}>
                <span className="label">
                  <button type="button" className="link" onClick={() => showNeuron(n.id)} title="Select this neuron and fit the view to it">
                    {n.name}
                  </button>{' '}
                  · <PathCount count={n.branches.length} />
                  {uncertain > 0 && <span title="Paths of this neuron the tracer is unsure of (dotted): U from the neuron brings each to view"> · {uncertain} uncertain</span>}
                  {a.asSaved.has(n.id) && (
                    <span className="muted" title="Listed as the file has it: the field traced again does not give it back, so the detail slider and Not a cell leave it">
                      {' '}
                      · as saved
                    </span>
                  )}
                </span>
                <span className="actions">
                  <button type="button" onClick={() => acceptAutoTrace(n.id)}>
                    Accept
                  </button>
                  <button type="button" onClick={() => discardAutoTrace(n.id)}>
                    Discard
                  </button>
                  {traced > 1 && !a.asSaved.has(n.id) && (
                    <button type="button" onClick={() => void notACell(n.id)} disabled={a.busy} title="Not a cell body (a swelling or a junction of a dendrite): trace again without it, so the neurons around take its branches">
                      Not a cell
                    </button>
                  )}
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {vHint && (
        <p className="small muted" data-testid="autotrace-review-keys">
          {vHint}
        </p>
      )}
    </section>
  );
}
