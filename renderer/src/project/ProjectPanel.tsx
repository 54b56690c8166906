import { useEffect, useState } from 'react';
import { STATE_LABELS } from '../../../shared/review/status';
import { api } from '../api';
import { refreshTitle } from '../persistence/annotation-session';
import { viewer } from '../stores/viewer-store';
import { useProject, projectStore } from './project-store';
import { updateProject } from './project-actions';
import { autotraceProject, closeProject, openProjectImage, stepImage } from '../controller/document-controller';
import { useAutoTrace } from '../tracing/autotrace-session';
import { useTrace } from '../tracing/trace-store';
import { flushDetail } from './tracing-sync';
import { settingsText } from '../../../shared/tracing/auto/batch-note';
import { openResults } from '../results/results-store';
import { ReviewQueue } from '../review/ReviewQueue';
import { useQueue } from '../review/review-queue';
import { FILTER_LABELS, matchesFilter } from '../../../shared/review/queue';
import { openAgreement } from '../agreement/agreement-store';
import { openGallery, showGallery, useGallery } from '../gallery/gallery-store';

/** Blinding on or off; the open image takes its new name (its code, or its file name again) at once. */
async function setBlinding(enabled: boolean): Promise<void> {
  await updateProject({ op: 'setBlinding', enabled });
  const { view, currentImageId } = projectStore.get();
  const shown = view?.images.find((i) => i.id === currentImageId)?.displayName;
  const file = viewer.get().file;
  if (!shown || !file) return;
  viewer.set({ file: { ...file, name: shown } });
  refreshTitle();
}

/** The images of the open project with their status and neuron counts, progress per condition, blinding. */
export function ProjectPanel() {
  const view = useProject((s) => s.view);
  const current = useProject((s) => s.currentImageId);
  const autotrace = useProject((s) => s.autotrace);
  const nucleusChannel = useAutoTrace((s) => s.nucleusChannel);
  const traceChannel = useTrace((s) => s.channel);
  // The project's detail: the slider shows another while a batch-traced image is reviewed at the level it was traced at.
  const slider = useAutoTrace((s) => s.minBranchUm);
  const detail = view?.tracing?.minBranchUm ?? slider;
  // A project whose images have no pixel size is traced in px (the slider shows px): the branch said in px too.
  const noPixelSize = !!view && view.images.length > 0 && view.images.every((i) => !i.calibrated);
  const how = settingsText({ channel: traceChannel, nucleusChannel: nucleusChannel !== traceChannel ? nucleusChannel : null, minBranchUm: detail }, noPixelSize ? null : undefined);
  const filter = useQueue((s) => s.filter);
  const galleryKept = useGallery((s) => !s.open && s.view !== null);
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
          <input type="checkbox" aria-label="Blind mode" checked={view.blinded} onChange={(e) => void setBlinding(e.target.checked)} /> Blind mode
          {view.blinded && <span className="badge">names and conditions hidden</span>}
        </label>
        <table className="progress" data-testid="project-progress">
          <thead>
            <tr>
              <th>{view.blinded ? '' : 'Condition'}</th>
              <th title="Ready for review or approved (an automatic trace once it is checked)">done</th>
              <th>approved</th>
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
                <td>{p.approved}</td>
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
        <ReviewQueue images={view.images} />
        {cur && (
          <p className="row small" data-testid="current-status">
            This image: {STATE_LABELS[cur.status]} (change it under File and review)
          </p>
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
          <button type="button" onClick={openAgreement}>
            Agreement…
          </button>
          <button type="button" onClick={() => void openGallery()} title="Every neuron of the project as a tile, with its counts and outlier flags">
            Gallery…
          </button>
          {galleryKept && (
            <button type="button" onClick={showGallery} title="The gallery as you left it, with the tiles of images saved since redrawn">
              Back to gallery
            </button>
          )}
          <button type="button" onClick={() => void closeProject()}>
            Close
          </button>
        </div>
        <div className="row">
          {autotrace ? (
            <>
              <span className="small" data-testid="project-autotrace-progress">
                <progress max={Math.max(1, autotrace.total)} value={autotrace.done} /> Auto-tracing {autotrace.done}/{autotrace.total}
              </span>
              <button type="button" onClick={() => void api()['project:cancelAutotrace']()}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" title={`Trace every image without annotations automatically: ${how}. They are marked for review`} onClick={() => void flushDetail().then(() => autotraceProject(projectStore.get().view?.tracing?.minBranchUm ?? useAutoTrace.getState().minBranchUm, nucleusChannel))}>
              Auto-trace all images
            </button>
          )}
        </div>
      </section>
      <ul className="project-list" data-testid="project-images">
        {!view.images.some((img) => matchesFilter(img, filter)) && <li className="empty-filter">No image is {FILTER_LABELS[filter]}.</li>}
        {view.images.filter((img) => matchesFilter(img, filter)).map((img) => (
          <li key={img.id} className={`${img.id === current ? 'current' : ''} status-${img.status}`} onClick={() => void openProjectImage(img.id)} title={img.toCheck ? `${STATE_LABELS[img.status]}; traced by Auto-trace all images, nobody has checked the trace yet` : STATE_LABELS[img.status]}>
            <Thumbnail imageId={img.id} />
            <span className={`dot ${img.status}`} aria-label={STATE_LABELS[img.status]} />
            <span className="label">
              <span className="name">{img.displayName}</span>
              <span className="state">
                {/* The technician's question first: an automatic trace nobody has checked (its status stays on the dot). */}
                {img.toCheck ? <span className="to-check">auto-traced, unchecked</span> : STATE_LABELS[img.status]}
                {!view.blinded && img.metadata.condition && <span className="cond"> · {img.metadata.condition}</span>}
              </span>
            </span>
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
