import { useEffect, useState } from 'react';
import { api } from '../api';
import { useProject, projectStore } from './project-store';
import { closeProject, openProjectImage, stepImage, updateProject } from './project-actions';
import { openResults } from '../results/results-store';

const STATUS_LABEL = { 'not-started': 'not started', 'in-progress': 'in progress', done: 'done', excluded: 'excluded' } as const;

/** The images of the open project with their status and neuron counts, progress per condition, blinding. */
export function ProjectPanel() {
  const view = useProject((s) => s.view);
  const current = useProject((s) => s.currentImageId);
  useEffect(() => {
    document.querySelector('.project-list li.current')?.scrollIntoView({ block: 'nearest' });
  }, [current]);
  if (!view) return null;
  const cur = view.images.find((i) => i.id === current);
  return (
    <aside className="project-sidebar" aria-label="Project">
      <section className="panel">
        <h2>Project</h2>
        <p className="project-name" data-testid="project-name">
          {view.name}
        </p>
        <label className="row small">
          <input type="checkbox" aria-label="Blind mode" checked={view.blinded} onChange={(e) => void updateProject({ op: 'setBlinding', enabled: e.target.checked })} /> Blind mode
          {view.blinded && <span className="badge">names and conditions hidden</span>}
        </label>
        <table className="progress" data-testid="project-progress">
          <thead>
            <tr>
              <th>{view.blinded ? '' : 'Condition'}</th>
              <th>done</th>
              <th>neurons</th>
            </tr>
          </thead>
          <tbody>
            {view.progress.map((p) => (
              <tr key={p.condition}>
                <td>{p.condition}</td>
                <td>
                  {p.done}/{p.images}
                </td>
                <td>{p.neurons}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="row">
          <button type="button" onClick={() => void stepImage(-1)} title="Previous image (PageUp)">
            ◀ Prev
          </button>
          <button type="button" onClick={() => void stepImage(1)} title="Next image (PageDown)">
            Next ▶
          </button>
        </div>
        {cur && (
          <div className="row small">
            <span>Mark</span>
            <button type="button" aria-pressed={cur.status === 'done'} onClick={() => void updateProject({ op: 'setStatus', imageId: cur.id, status: cur.status === 'done' ? 'in-progress' : 'done' })}>
              Done
            </button>
            <button type="button" aria-pressed={cur.status === 'excluded'} onClick={() => void updateProject({ op: 'setStatus', imageId: cur.id, status: cur.status === 'excluded' ? 'in-progress' : 'excluded' })}>
              Excluded
            </button>
          </div>
        )}
        <div className="row">
          <button type="button" onClick={() => projectStore.set({ dialog: 'metadata' })}>
            Metadata…
          </button>
          <button type="button" onClick={() => projectStore.set({ dialog: 'export' })}>
            Export…
          </button>
          <button type="button" onClick={openResults}>
            Results…
          </button>
          <button type="button" onClick={() => void closeProject()}>
            Close
          </button>
        </div>
      </section>
      <ul className="project-list" data-testid="project-images">
        {view.images.map((img) => (
          <li key={img.id} className={`${img.id === current ? 'current' : ''} status-${img.status}`} onClick={() => void openProjectImage(img.id)} title={STATUS_LABEL[img.status]}>
            <Thumbnail imageId={img.id} />
            <span className={`dot ${img.status}`} aria-label={STATUS_LABEL[img.status]} />
            <span className="name">{img.displayName}</span>
            {!view.blinded && img.metadata.condition && <span className="cond">{img.metadata.condition}</span>}
            <span className="count">{img.neurons}</span>
          </li>
        ))}
      </ul>
    </aside>
  );
}

// Previews are made one at a time in main; the list asks in order, so the first rows fill in first.
let thumbQueue: Promise<unknown> = Promise.resolve();
const thumbCache = new Map<string, string>();

function Thumbnail({ imageId }: { imageId: string }) {
  const [url, setUrl] = useState(thumbCache.get(imageId) ?? null);
  useEffect(() => {
    if (url) return;
    let live = true;
    thumbQueue = thumbQueue.then(async () => {
      if (!live || thumbCache.has(imageId)) return;
      const r = await api()['project:thumbnail']({ imageId });
      if (r.ok) {
        thumbCache.set(imageId, r.value.url);
        if (live) setUrl(r.value.url);
      }
    });
    return () => {
      live = false;
    };
  }, [imageId, url]);
  return url ? <img className="thumb" src={url} alt="" /> : <span className="thumb" />;
}
