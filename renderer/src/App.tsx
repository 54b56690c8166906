import { useEffect, useState } from 'react';
import { MeasurementsPanel } from './analysis/MeasurementsPanel';
import { api } from './api';
import { openImage, reloadFromDisk, startDocumentController } from './controller/document-controller';
import { startCommentFollow } from './review/comment-actions';
import { startAutoTraceFollow, startAutoTracePrepare } from './tracing/autotrace-session';
import { fileStore, useFile } from './persistence/file-store';
import { AskDialog } from './shell/ask';
import { ExportDialog, MetadataDialog, NewProjectDialog } from './project/ProjectDialogs';
import { ProjectPanel } from './project/ProjectPanel';
import { ResultsPanel } from './results/ResultsPanel';
import { GalleryPanel } from './gallery/GalleryPanel';
import { useGallery } from './gallery/gallery-store';
import { useResults } from './results/results-store';
import { AgreementPanel } from './agreement/AgreementPanel';
import { useAgreement } from './agreement/agreement-store';
import { projectStore, useProject } from './project/project-store';
import { ViewerCanvas } from './canvas/ViewerCanvas';
import { reportError } from './image/image-session';
import { CalibrationDialog, CalibrationPanel } from './panels/CalibrationPanel';
import { DisplayPanel } from './panels/DisplayPanel';
import { ReviewPanel } from './panels/ReviewPanel';
import { HistoryPanel } from './panels/HistoryPanel';
import { NeuronsPanel, SelectionPanel } from './panels/NeuronsPanel';
import { TracingPanel } from './panels/TracingPanel';
import { AutoTracePanel } from './panels/AutoTracePanel';
import { handleChange, handleKeyDown, runMenuCommand } from './shell/commands';
import { ShortcutsDialog } from './shell/ShortcutsDialog';
import { cover, uncoverForImage } from './shell/cover';
import { useNarrowWindow } from './shell/narrow-window';
import { StatusBar } from './shell/StatusBar';
import { Toolbar } from './shell/Toolbar';
import { useViewer, viewer } from './stores/viewer-store';

export function App() {
  const error = useViewer((s) => s.error);
  const loading = useViewer((s) => s.loading);
  const dialog = useViewer((s) => s.dialog);
  const hasImage = useViewer((s) => s.info !== null);
  const hasProject = useProject((s) => s.view !== null);
  const projectDialog = useProject((s) => s.dialog);
  const resultsOpen = useResults((s) => s.open);
  const agreementOpen = useAgreement((s) => s.open);
  const galleryOpen = useGallery((s) => s.open);
  const notice = useViewer((s) => s.notice);
  const [dropping, setDropping] = useState(false);
  const viewOpen = hasProject && (resultsOpen || agreementOpen || galleryOpen);
  // In a narrow window a project view takes the image's side panels' room as well as the canvas's.
  const narrowWindow = useNarrowWindow();
  const panelsCovered = viewOpen && narrowWindow;

  useEffect(() => {
    const a = api();
    const offs = [
      a.on('menu:command', ({ command }) => runMenuCommand(command)),
      a.on('project:exportProgress', ({ done, total }) => projectStore.set({ export: { done, total, running: true } })),
      a.on('project:autotraceProgress', ({ done, total }) => projectStore.set({ autotrace: { done, total } })),
      startDocumentController(),
      startCommentFollow(),
      startAutoTraceFollow(),
      startAutoTracePrepare(),
    ];
    window.addEventListener('keydown', handleKeyDown);
    window.addEventListener('change', handleChange);
    return () => {
      offs.forEach((off) => off());
      window.removeEventListener('keydown', handleKeyDown);
      window.removeEventListener('change', handleChange);
    };
  }, []);

  const onDrop = async (e: React.DragEvent) => {
    e.preventDefault();
    setDropping(false);
    const file = e.dataTransfer.files[0];
    if (!file || !uncoverForImage()) return;
    const r = await api().openDroppedFile(file);
    if (r.ok) await openImage(r.value);
    else reportError(r.error.message);
  };

  return (
    <div
      className="app"
      onDragOver={(e) => {
        e.preventDefault();
        // Over a dialog a drop opens nothing (the dialog waits for its answer): no hint, and the pointer says so.
        const waits = cover() === 'dialog';
        e.dataTransfer.dropEffect = waits ? 'none' : 'copy';
        setDropping(!waits);
      }}
      onDragLeave={() => setDropping(false)}
      onDrop={(e) => void onDrop(e)}
    >
      <Toolbar />
      <main className={`workspace${hasProject ? ' with-project' : ''}`}>
        {hasProject && <ProjectPanel />}
        <div className="canvas-area" inert={viewOpen}>
          <ViewerCanvas />
          {!hasImage && !loading && <div className="empty">Open a micrograph (Ctrl+O) or drop a file here.</div>}
          {loading && (
            <div className="loading" role="progressbar" aria-label={`Loading ${loading.name}`} aria-valuenow={Math.round(loading.fraction * 100)}>
              <span>
                {loading.phase === 'reading' ? 'Reading' : 'Decoding'} {loading.name}…
              </span>
              <div className="bar">
                <div style={{ width: `${Math.round(loading.fraction * 100)}%` }} />
              </div>
            </div>
          )}
        </div>
        <aside className="sidebar" inert={panelsCovered}>
          <AutoTracePanel />
          <NeuronsPanel />
          <SelectionPanel />
          <MeasurementsPanel />
          <TracingPanel />
          <DisplayPanel />
          <CalibrationPanel />
          <ReviewPanel />
          <HistoryPanel />
        </aside>
        {viewOpen && (
          <div className={`project-views${panelsCovered ? ' over-panels' : ''}`}>
            {resultsOpen && <ResultsPanel />}
            {agreementOpen && <AgreementPanel />}
            {galleryOpen && <GalleryPanel />}
          </div>
        )}
        {/* Over a project view too: a file dropped there closes the views and opens. */}
        {dropping && <div className={`drop-hint${viewOpen ? ' over-view' : ''}${panelsCovered ? ' over-panels' : ''}`}>Drop to open</div>}
      </main>
      <StatusBar />
      {error && (
        <div className="error-banner" role="alert">
          <span>{error}</span>
          <button type="button" onClick={() => viewer.set({ error: null })} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {notice && !error && (
        <div className="notice-banner" role="status" data-testid="notice">
          <span>{notice}</span>
          <button type="button" onClick={() => viewer.set({ notice: null })} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {projectDialog === 'new' && <NewProjectDialog />}
      {projectDialog === 'metadata' && <MetadataDialog />}
      {projectDialog === 'export' && <ExportDialog />}
      <ExternalChangeBanner />
      <AskDialog />
      {dialog === 'shortcuts' && <ShortcutsDialog />}
      {dialog === 'calibration' && <CalibrationDialog />}
    </div>
  );
}

/** Someone else changed the saved file while it is open with unsaved edits here. */
function ExternalChangeBanner() {
  const change = useFile((s) => s.externalChange);
  const name = useFile((s) => s.fileName);
  if (!change) return null;
  return (
    <div className="info-banner" role="status" data-testid="external-change">
      <span>
        {name} was {change.kind === 'deleted' ? 'deleted' : 'changed'} by another program.{change.kind === 'changed' ? ' Saving will ask before overwriting it.' : ' Saving will write it again.'}
      </span>
      {change.kind === 'changed' && (
        <button type="button" onClick={() => void reloadFromDisk()}>
          Load theirs
        </button>
      )}
      <button type="button" onClick={() => fileStore.set({ externalChange: null })}>
        Keep mine
      </button>
    </div>
  );
}
