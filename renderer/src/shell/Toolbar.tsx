import { useEffect, useState } from 'react';
import type { RecentEntry } from '../../../shared/ipc/contract';
import { api } from '../api';
import { camera, reportError } from '../image/image-session';
import { openImage } from '../controller/document-controller';
import { useViewer, viewer } from '../stores/viewer-store';
import { undoLabel, redoLabel } from '../../../shared/actions/history';
import { docStore, useDoc } from '../stores/doc-store';
import type { Tool } from '../stores/viewer-store';
import { commands, openWithDialog } from './commands';

const TOOLS: Array<{ tool: Tool; label: string; title: string; key: string }> = [
  { tool: 'navigate', label: 'Hand', title: 'Pan and look', key: 'H' },
  { tool: 'soma', label: 'Soma', title: 'Click the cell body centre', key: 'S' },
  { tool: 'outline', label: 'Outline', title: 'Outline the cell body', key: 'O' },
  { tool: 'trace', label: 'Trace', title: 'Live-wire tracing', key: 'T' },
  { tool: 'auto', label: 'Auto', title: 'Click a soma to trace its whole tree automatically', key: 'A' },
  { tool: 'edit', label: 'Edit', title: 'Select and edit', key: 'E' },
];

/** File and view actions that the native menu also offers, for keyboard-free and menu-less use. */
export function Toolbar() {
  const file = useViewer((s) => s.file);
  const tool = useViewer((s) => s.tool);
  const canUndo = useDoc((s) => s.history.past !== null);
  const canRedo = useDoc((s) => s.history.future !== null);
  const undoTitle = useDoc((s) => (s.history.past ? `Undo ${undoLabel(s.history)} (Ctrl+Z)` : 'Nothing to undo'));
  const redoTitle = useDoc((s) => (s.history.future ? `Redo ${redoLabel(s.history)} (Ctrl+Y)` : 'Nothing to redo'));
  const [recent, setRecent] = useState<RecentEntry[] | null>(null);
  const [projectMenu, setProjectMenu] = useState(false);

  const menuOpen = recent !== null || projectMenu;
  useEffect(() => {
    if (!menuOpen) return;
    // A click anywhere else or Esc closes an open menu (Esc then does nothing more: it was meant for the menu).
    const close = () => {
      setRecent(null);
      setProjectMenu(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.stopPropagation();
      close();
    };
    window.addEventListener('pointerdown', close);
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('pointerdown', close);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [menuOpen]);

  const toggleProjectMenu = () => {
    setRecent(null);
    setProjectMenu(!projectMenu);
  };
  const showRecent = async () => {
    setProjectMenu(false);
    const r = await api()['recent:list']();
    if (r.ok) setRecent(r.value);
    else reportError(r.error.message);
  };
  const openRecent = async (id: string) => {
    setRecent(null);
    const r = await api()['image:openRecent']({ id });
    if (r.ok) await openImage(r.value);
    else reportError(r.error.message);
  };

  return (
    <header className="toolbar">
      <div className="group">
        <span className="brand">Ramify</span>
        <button type="button" onClick={() => void openWithDialog()} title="Open an image (Ctrl+O)">
          Open…
        </button>
        <div className="dropdown">
          <button type="button" onPointerDown={(e) => e.stopPropagation()} onClick={() => (recent ? setRecent(null) : void showRecent())} aria-haspopup="menu" aria-expanded={recent !== null}>
            Recent ▾
          </button>
          {recent && (
            <ul className="menu" role="menu" onPointerDown={(e) => e.stopPropagation()}>
              {recent.length === 0 && <li className="muted">No recent files</li>}
              {recent.map((r) => (
                <li key={r.id} role="menuitem" tabIndex={0} onClick={() => void openRecent(r.id)} title={r.folder}>
                  {r.name}
                </li>
              ))}
            </ul>
          )}
        </div>
        <div className="dropdown">
          <button type="button" onPointerDown={(e) => e.stopPropagation()} onClick={toggleProjectMenu} aria-haspopup="menu" aria-expanded={projectMenu}>
            Project ▾
          </button>
          {projectMenu && (
            <ul className="menu" role="menu" onPointerDown={(e) => e.stopPropagation()} onClick={() => setProjectMenu(false)}>
              <li role="menuitem" tabIndex={0} onClick={() => commands.find((c) => c.id === 'project:new')?.run()}>
                New project from folder…
              </li>
              <li role="menuitem" tabIndex={0} onClick={() => commands.find((c) => c.id === 'project:open')?.run()}>
                Open project…
              </li>
            </ul>
          )}
        </div>
        <span className="sep" />
      </div>
      <div className="group">
        <div className="tools" role="toolbar" aria-label="Tools">
          {TOOLS.map((t) => (
            <button key={t.tool} type="button" aria-pressed={tool === t.tool} title={`${t.title} (${t.key})`} onClick={() => commands.find((c) => c.id === `tool:${t.tool}`)?.run()}>
              {t.label}
            </button>
          ))}
        </div>
        <span className="sep" />
      </div>
      <div className="group">
        <button type="button" onClick={() => commands.find((c) => c.id === 'edit:undo')?.run()} disabled={!canUndo} title={undoTitle}>
          Undo
        </button>
        <button type="button" onClick={() => docStore.redo()} disabled={!canRedo} title={redoTitle}>
          Redo
        </button>
        <span className="sep" />
      </div>
      <div className="group">
        <button type="button" onClick={() => camera.zoom(Math.SQRT1_2)} title="Zoom out (-)" aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={() => camera.zoom(Math.SQRT2)} title="Zoom in (+)" aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={() => camera.fit()} title="Fit (0)">
          Fit
        </button>
        <button type="button" onClick={() => camera.actualSize()} title="100 % (1)">
          100 %
        </button>
      </div>
      <div className="group title-group">
        <span className="title" data-testid="file-name">
          {file?.name ?? ''}
        </span>
        <button type="button" onClick={() => viewer.set({ dialog: 'shortcuts' })} title="Keyboard shortcuts (?)">
          ?
        </button>
      </div>
    </header>
  );
}
