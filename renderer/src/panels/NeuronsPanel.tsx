import { useState } from 'react';
import type { BranchLabel } from '../../../shared/model/document';
import { scaleOf } from '../../../shared/analysis/tree';
import { summarisePath } from '../../../shared/analysis/path-summary';
import { findBranch, findNode } from '../../../shared/model/queries';
import { docStore, useDoc } from '../stores/doc-store';
import { selectionCommands } from '../tools/edit-tool';
import { fmt } from './format';
import { PathCount } from './PathCount';

const LABELS: BranchLabel[] = ['dendrite', 'apical', 'axon', 'undefined'];

/** Neurons of the image: pick the active one, rename, recolour, delete. */
export function NeuronsPanel() {
  const neurons = useDoc((s) => s.history.present.neurons);
  const active = useDoc((s) => s.activeNeuronId);
  const [editing, setEditing] = useState<number | null>(null);
  return (
    <section className="panel" aria-label="Neurons">
      <h2>Neurons</h2>
      {neurons.length === 0 && <p className="muted small">Trace a cell automatically (A), or place a soma (S) and trace by hand (T).</p>}
      <ul className="neuron-list">
        {neurons.map((n) => (
          <li key={n.id} className={n.id === active ? 'active' : ''} onClick={() => docStore.select({ kind: 'neuron', neuronId: n.id })} data-testid={`neuron-${n.id}`}>
            <input type="color" aria-label={`Colour of ${n.name}`} value={n.color} onClick={(e) => e.stopPropagation()} onChange={(e) => docStore.dispatch({ type: 'setNeuronColor', neuronId: n.id, color: e.target.value })} />
            {editing === n.id ? (
              <input
                autoFocus
                aria-label="Neuron name"
                defaultValue={n.name}
                onClick={(e) => e.stopPropagation()}
                onBlur={(e) => {
                  setEditing(null);
                  if (e.target.value.trim() && e.target.value !== n.name) docStore.dispatch({ type: 'renameNeuron', neuronId: n.id, name: e.target.value.trim() });
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') (e.target as HTMLInputElement).blur();
                  if (e.key === 'Escape') setEditing(null);
                }}
              />
            ) : (
              <span className="name" onDoubleClick={() => setEditing(n.id)} title="Double-click to rename">
                {n.name}
              </span>
            )}
            <PathCount count={n.branches.length} className="muted small" />
            <button
              type="button"
              aria-label={`Delete ${n.name}`}
              title="Delete neuron"
              onClick={(e) => {
                e.stopPropagation();
                docStore.dispatch({ type: 'deleteNeuron', neuronId: n.id });
              }}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What is selected and what can be done with it. A traced polyline is a "path"; "branch" is topological. */
export function SelectionPanel() {
  const doc = useDoc((s) => s.history.present);
  const sel = useDoc((s) => s.selection);
  if (!sel || sel.kind === 'neuron') return null;
  const at = sel.kind === 'node' ? findNode(doc, sel.nodeId) : undefined;
  const loc = at ?? (sel.kind === 'branch' ? findBranch(doc, sel.branchId) : undefined);
  if (!loc) return null;
  const branch = loc.branch;
  const scale = scaleOf(doc.calibration);
  const path = summarisePath(loc.neuron, branch, scale);
  const start = path.start.kind === 'soma' ? 'starts at the soma' : path.start.kind === 'path' ? `branches off path ${path.start.ordinal}` : 'not attached to the neuron';
  return (
    <section className="panel" aria-label="Selection" data-testid="selection-panel">
      <h2>Selection</h2>
      <p className="small">
        {at ? (
          <>
            Node {at.index + 1} of {branch.nodes.length} at ({fmt(at.node.x, 5)}, {fmt(at.node.y, 5)}) px
            <br />
          </>
        ) : null}
        Path {path.ordinal} of {path.of} in {loc.neuron.name} · {fmt(path.length, 4)} {scale.unit} · {start}
      </p>
      <div className="row">
        <label>
          Label{' '}
          <select aria-label="Path label" value={LABELS.includes(branch.label) ? branch.label : 'custom'} onChange={(e) => selectionCommands.setLabel(e.target.value as BranchLabel)}>
            {LABELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
            {!LABELS.includes(branch.label) && <option value="custom">{branch.label}</option>}
          </select>
        </label>
      </div>
      <div className="row">
        {at && (
          <button type="button" onClick={() => selectionCommands.delete()} title="Delete">
            Delete node
          </button>
        )}
        <button type="button" onClick={() => selectionCommands.deleteBranch()} title="Shift+Delete">
          Delete path
        </button>
        {at && (
          <button type="button" onClick={() => selectionCommands.split()} title="Y">
            Split here
          </button>
        )}
        {at && (
          <button type="button" onClick={() => selectionCommands.startJoin()} title="J">
            Join…
          </button>
        )}
        <button type="button" onClick={() => selectionCommands.startReparent()} title="R">
          Reattach…
        </button>
      </div>
    </section>
  );
}
