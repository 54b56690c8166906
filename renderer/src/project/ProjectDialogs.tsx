import { useEffect, useRef, useState } from 'react';
import type { ChosenFolder, ConditionChoice } from '../../../shared/ipc/contract';
import { isAcquisitionFolder } from '../../../shared/image/wavelength-sets';
import { plural } from '../../../shared/text/plural';
import { api } from '../api';
import { reportError } from '../image/image-session';
import { exportProject, updateProject } from './project-actions';
import { createProject } from '../controller/document-controller';
import { projectStore, useProject } from './project-store';

/** Merging a plate's wavelengths from the New project dialog: under way (sites done), or what it did or why it failed. */
type MergeState = null | { running: boolean; done: number; total: number; lines: string[]; error: string | null };

/**
 * New project: pick the folder, say where conditions come from, create. A plate whose wavelengths are one file each
 * is merged first, on request, into a folder the user picks, and the project is made of that folder.
 */
export function NewProjectDialog() {
  const [folder, setFolder] = useState<null | ChosenFolder>(null);
  const [kind, setKind] = useState<ConditionChoice['kind']>('subfolder');
  const [pattern, setPattern] = useState('^([A-Za-z]+)_');
  const [csv, setCsv] = useState<null | { csvToken: string; name: string }>(null);
  const [busy, setBusy] = useState(false);
  const [merge, setMerge] = useState<MergeState>(null);
  // A merge under way stops when the dialog goes (Cancel, Esc): its images written so far stay.
  const merging = useRef(false);
  useEffect(() => () => void (merging.current && api()['project:cancelMerge']()), []);
  const take = (chosen: ChosenFolder) => {
    setFolder(chosen);
    // Subfolders name conditions unless there are none, or they are the imager's own (a plate's TimePoint_1).
    if (chosen.subfolders.every(isAcquisitionFolder) && kind === 'subfolder') setKind('none');
  };
  const choose = async () => {
    const r = await api()['project:chooseFolder']();
    if (!r.ok) return reportError(r.error.message);
    if (r.value) {
      setMerge(null);
      take(r.value);
    }
  };
  const mergeWavelengths = async (plate: ChosenFolder) => {
    setMerge({ running: true, done: 0, total: plate.wavelengthSites, lines: [], error: null });
    merging.current = true;
    const stop = api().on('project:mergeProgress', ({ done, total }) => setMerge((m) => (m?.running ? { ...m, done, total } : m)));
    const r = await api()['project:mergeWavelengths']({ folderToken: plate.folderToken });
    merging.current = false;
    stop();
    if (!r.ok) return setMerge({ running: false, done: 0, total: 0, lines: [], error: r.error.message });
    if (!r.value) return setMerge(null);
    setMerge({ running: false, done: 0, total: 0, lines: r.value.lines, error: null });
    take(r.value.folder);
  };
  const chooseCsv = async () => {
    const r = await api()['project:chooseCsv']();
    if (r.ok && r.value) setCsv(r.value);
  };
  useEffect(() => {
    void choose();
  }, []);
  const conditions: ConditionChoice | null =
    kind === 'subfolder' ? { kind } : kind === 'regex' ? { kind, pattern } : kind === 'csv' ? (csv ? { kind, csvToken: csv.csvToken } : null) : { kind: 'none' };
  return (
    <div className="modal-backdrop" role="dialog" aria-label="New project">
      <div className="modal wide">
        <h2>New project from a folder of images</h2>
        <div className="row">
          <button type="button" onClick={() => void choose()} disabled={merge?.running}>
            Choose folder…
          </button>
          <span data-testid="new-project-folder">{folder ? `${folder.name}: ${plural(folder.images, 'image')}${folder.subfolders.length ? ` in ${plural(folder.subfolders.length, 'subfolder')}` : ''}` : 'No folder chosen'}</span>
        </div>
        {folder?.notes.map((n) => (
          <p key={n} className="warning small">
            {n}
          </p>
        ))}
        {folder && folder.wavelengthSites > 0 && (
          <div className="row">
            <button type="button" disabled={merge?.running || busy} onClick={() => void mergeWavelengths(folder)}>
              Merge wavelengths…
            </button>
            {merge?.running && (
              <>
                <progress aria-label="Merging wavelengths" value={merge.done} max={Math.max(1, merge.total)} />
                <span className="small">
                  {merge.done} of {plural(merge.total, 'site')}
                </span>
                <button type="button" onClick={() => void api()['project:cancelMerge']()}>
                  Stop
                </button>
              </>
            )}
          </div>
        )}
        {merge && !merge.running && (merge.lines.length > 0 || merge.error) && (
          <pre className="merge-report small" data-testid="merge-report" role={merge.error ? 'alert' : 'status'}>
            {merge.error ?? merge.lines.join('\n')}
          </pre>
        )}
        <fieldset className="conditions">
          <legend>Conditions come from</legend>
          <label>
            <input type="radio" name="cond" checked={kind === 'subfolder'} onChange={() => setKind('subfolder')} /> Subfolder names{folder?.subfolders.length ? ` (${folder.subfolders.join(', ')})` : ''}
          </label>
          <label>
            <input type="radio" name="cond" checked={kind === 'regex'} onChange={() => setKind('regex')} /> File-name pattern (one capture group){' '}
            <input type="text" aria-label="Condition pattern" value={pattern} onChange={(e) => setPattern(e.target.value)} disabled={kind !== 'regex'} />
          </label>
          <label>
            <input type="radio" name="cond" checked={kind === 'csv'} onChange={() => setKind('csv')} /> A CSV mapping (file or well, condition, …){' '}
            <button type="button" onClick={() => void chooseCsv()} disabled={kind !== 'csv'}>
              {csv ? csv.name : 'Choose CSV…'}
            </button>
          </label>
          <label>
            <input type="radio" name="cond" checked={kind === 'none'} onChange={() => setKind('none')} /> Set them later in the metadata table
          </label>
        </fieldset>
        <div className="row end">
          <button type="button" onClick={() => projectStore.set({ dialog: null })}>
            Cancel
          </button>
          <button
            type="button"
            className="primary"
            disabled={!folder || !conditions || busy || merge?.running}
            onClick={async () => {
              if (!folder || !conditions) return;
              setBusy(true);
              await createProject(folder.folderToken, conditions);
              setBusy(false);
            }}
          >
            Create project
          </button>
        </div>
      </div>
    </div>
  );
}

/** The metadata table: one row per image, one column per metadata field; edits are saved as they are made. */
export function MetadataDialog() {
  const view = useProject((s) => s.view);
  const [newColumn, setNewColumn] = useState('');
  if (!view) return null;
  return (
    <div className="modal-backdrop" role="dialog" aria-label="Image metadata">
      <div className="modal wide metadata">
        <h2>Image metadata</h2>
        {view.blinded && <p className="small muted">Blind mode: conditions are hidden and cannot be edited.</p>}
        <div className="table-scroll">
          <table className="metadata-table">
            <thead>
              <tr>
                <th>Image</th>
                {view.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.images.map((img) => (
                <tr key={img.id}>
                  <td>{img.displayName}</td>
                  {view.columns.map((c) => (
                    <td key={c}>
                      <input
                        type="text"
                        aria-label={`${c} of ${img.displayName}`}
                        defaultValue={img.metadata[c] ?? ''}
                        onBlur={(e) => e.target.value !== (img.metadata[c] ?? '') && void updateProject({ op: 'setMetadata', imageId: img.id, column: c, value: e.target.value })}
                      />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="row">
          <input type="text" aria-label="New column name" placeholder="New column (e.g. DIV, plate, dose)" value={newColumn} onChange={(e) => setNewColumn(e.target.value)} />
          <button
            type="button"
            disabled={!newColumn.trim()}
            onClick={() => {
              void updateProject({ op: 'addColumn', column: newColumn.trim() });
              setNewColumn('');
            }}
          >
            Add column
          </button>
          <span className="sep-flex" />
          <button type="button" className="primary" onClick={() => projectStore.set({ dialog: null })}>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}

/** Export options, then a progress bar that can be cancelled. */
export function ExportDialog() {
  const progress = useProject((s) => s.export);
  const [px, setPx] = useState(false);
  const [swc, setSwc] = useState(false);
  const [approvedOnly, setApprovedOnly] = useState(false);
  return (
    <div className="modal-backdrop" role="dialog" aria-label="Export project">
      <div className="modal">
        <h2>Export for statistics</h2>
        <p className="small">
          neurons.csv, sholl.csv, branches.csv, Prism-ready Sholl and Nmax tables and a data dictionary, with the true conditions (also when blinded).
        </p>
        <label className="row">
          <input type="checkbox" checked={px} onChange={(e) => setPx(e.target.checked)} /> Also pixel columns for uncalibrated images
        </label>
        <label className="row">
          <input type="checkbox" checked={swc} onChange={(e) => setSwc(e.target.checked)} /> One SWC file per neuron
        </label>
        <label className="row" title="Neurons ready for review, in progress or sent back are left out; the summary says how many">
          <input type="checkbox" checked={approvedOnly} onChange={(e) => setApprovedOnly(e.target.checked)} /> Approved neurons only
        </label>
        {progress && (
          <div className="loading-inline" role="progressbar" aria-label="Export progress" aria-valuenow={Math.round((100 * progress.done) / Math.max(1, progress.total))}>
            <div className="bar">
              <div style={{ width: `${Math.round((100 * progress.done) / Math.max(1, progress.total))}%` }} />
            </div>
          </div>
        )}
        <div className="row end">
          {progress ? (
            <button type="button" onClick={() => void api()['project:cancelExport']()}>
              Cancel export
            </button>
          ) : (
            <>
              <button type="button" onClick={() => projectStore.set({ dialog: null })}>
                Close
              </button>
              <button type="button" className="primary" onClick={() => void exportProject(px, swc, approvedOnly)}>
                Choose folder and export…
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
