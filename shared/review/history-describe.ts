import type { HistoryEntry, NeuronChange } from './history';
import { plural } from '../text/plural';


/** "+1 path, −1 path, 2 nodes moved, renamed 'A' → 'B'": only what happened to one neuron in one save. */
export function describeChange(c: NeuronChange, e: Pick<HistoryEntry, 'calibrationChanged'>): string {
  if (c.change === 'added') return `neuron traced: ${plural(c.branches.added, 'path')}, ${plural(c.nodes.added, 'node')}`;
  if (c.change === 'removed') return `neuron deleted (${plural(c.branches.removed, 'path')}, ${plural(c.nodes.removed, 'node')})`;
  const parts = [
    c.branches.added && `+${plural(c.branches.added, 'path')}`,
    c.branches.removed && `−${plural(c.branches.removed, 'path')}`,
    c.branches.changed && `${plural(c.branches.changed, 'path')} changed`,
    c.nodes.added && `+${plural(c.nodes.added, 'node')}`,
    c.nodes.removed && `−${plural(c.nodes.removed, 'node')}`,
    c.nodes.moved && `${plural(c.nodes.moved, 'node')} moved`,
    c.soma && `soma ${c.soma}`,
    e.calibrationChanged && 'new pixel size',
    c.renamed && `renamed '${c.renamed.from}' → '${c.renamed.to}'`,
    c.recoloured && 'colour changed',
  ].filter(Boolean);
  return parts.join(', ');
}
