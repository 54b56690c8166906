import { viewer } from '../stores/viewer-store';
import { commands, gestures } from './commands';

export function ShortcutsDialog() {
  // Grouped in the order groups first appear; commands without keys (menu-only) are not shortcuts.
  const withKeys = commands.filter((c) => c.keys.length > 0);
  const shown = [...new Set(withKeys.map((c) => c.group))].flatMap((g) => withKeys.filter((c) => c.group === g));
  return (
    <div className="modal-backdrop" role="dialog" aria-label="Keyboard shortcuts" onClick={() => viewer.set({ dialog: null })}>
      <div className="modal wide scroll" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {shown.map((c, i) => (
              <tr key={c.id} className={i === 0 || shown[i - 1].group !== c.group ? 'group-start' : ''}>
                <td className="muted small">{i === 0 || shown[i - 1].group !== c.group ? c.group : ''}</td>
                <td>{c.keys.map((k) => <kbd key={k}>{k}</kbd>)}</td>
                <td>{c.label}</td>
              </tr>
            ))}
            {gestures.map((g) => (
              <tr key={g.keys}>
                <td className="muted small">{g === gestures[0] ? 'Navigate' : ''}</td>
                <td>
                  <kbd>{g.keys}</kbd>
                </td>
                <td>{g.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row end">
          <button type="button" onClick={() => viewer.set({ dialog: null })}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
