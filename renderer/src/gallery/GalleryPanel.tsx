import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { GalleryTile, GalleryView } from '../../../shared/ipc/contract';
import { MEASURES } from '../../../shared/report/measures';
import { describeFlag } from '../../../shared/review/outliers';
import { REVIEW_STATES, STATE_LABELS, type ReviewState } from '../../../shared/review/status';
import { openProjectNeuron } from '../controller/document-controller';
import { orderTiles, type SortKey } from './gallery-order';
import { cancelThumbnails, closeGallery, galleryStore, gridScroll, THUMB_PX, useGallery } from './gallery-store';
import './gallery.css';

/** Tile box in CSS px (thumbnail, then three lines of text). */
const TILE_W = THUMB_PX + 16;
const TILE_H = THUMB_PX + 92;
const GAP = 8;
/** Rows drawn beyond the visible ones, so fast scrolling does not show blanks. */
const OVERSCAN = 2;

const LABELS = new Map(MEASURES.map((m) => [m.column, m.label]));
const label = (c: string) => LABELS.get(c) ?? c;

const fmt = (v: number | null | undefined, digits = 0) => (v === null || v === undefined ? '–' : v.toFixed(digits));

const Tile = memo(function Tile({ tile, view }: { tile: GalleryTile; view: GalleryView }) {
  const v = (c: string) => tile.values[view.columns.indexOf(c)];
  const flagged = tile.flags.length > 0;
  return (
    <button
      type="button"
      className={`gallery-tile${flagged ? ' flagged' : ''} status-${tile.status}`}
      data-testid="gallery-tile"
      data-key={tile.key}
      title={`Open ${tile.imageName} with ${tile.neuronName} selected`}
      onClick={() => {
        galleryStore.set({ open: false });
        void openProjectNeuron(tile.imageId, tile.neuronId);
      }}
    >
      <span className="gallery-thumb">{tile.thumb ? <img src={tile.thumb} alt={`${tile.neuronName} in ${tile.imageName}`} draggable={false} /> : <span className="gallery-thumb-pending" />}</span>
      <span className="gallery-name">
        <span className="gallery-image">{tile.imageName}</span> · {tile.neuronName}
      </span>
      <span className="gallery-meta">
        <span className={`dot ${tile.status}`} /> {STATE_LABELS[tile.status]}
        {tile.condition !== null && <span className="gallery-condition"> · {tile.condition}</span>}
      </span>
      <span className="gallery-counts" data-testid="gallery-counts">
        <span title="Primary dendrites">P {fmt(v('primary_branches'))}</span> <span title="Branch points">BP {fmt(v('branch_points'))}</span> <span title="Tips">T {fmt(v('tips'))}</span>{' '}
        <span title="Total length (µm)">{fmt(v('total_length_um'), 1)} µm</span> <span title="Nmax">Nmax {fmt(v('sholl_nmax'))}</span>
      </span>
      {flagged && (
        <span className="gallery-flag" data-testid="gallery-flag" title="Far from its condition's median (robust z beyond ±3): check the tracing">
          ⚠ {tile.flags.map(describeFlag).join('; ')}
        </span>
      )}
    </button>
  );
});

/** Only the rows in view are in the DOM: a thousand tiles scroll as smoothly as twenty. */
function TileGrid({ tiles, view }: { tiles: GalleryTile[]; view: GalleryView }) {
  const ref = useRef<HTMLDivElement>(null);
  const [box, setBox] = useState({ width: 800, height: 600, top: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = gridScroll.top;
    const measure = () => {
      gridScroll.top = el.scrollTop;
      setBox({ width: el.clientWidth, height: el.clientHeight, top: el.scrollTop });
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    return () => {
      ro.disconnect();
      el.removeEventListener('scroll', measure);
    };
  }, []);
  const perRow = Math.max(1, Math.floor((box.width - GAP) / (TILE_W + GAP)));
  const rows = Math.ceil(tiles.length / perRow);
  const first = Math.max(0, Math.floor(box.top / (TILE_H + GAP)) - OVERSCAN);
  const last = Math.min(rows, Math.ceil((box.top + box.height) / (TILE_H + GAP)) + OVERSCAN);
  const shown = tiles.slice(first * perRow, last * perRow);
  return (
    <div className="gallery-scroll" ref={ref} data-testid="gallery-grid">
      <div className="gallery-space" style={{ height: rows * (TILE_H + GAP) + GAP }}>
        {shown.map((t, i) => {
          const k = first * perRow + i;
          return (
            <div key={t.key} className="gallery-cell" style={{ left: GAP + (k % perRow) * (TILE_W + GAP), top: GAP + Math.floor(k / perRow) * (TILE_H + GAP), width: TILE_W, height: TILE_H }}>
              <Tile tile={t} view={view} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

function ColumnOptions({ columns }: { columns: string[] | undefined }) {
  return (
    <>
      {columns?.map((c) => (
        <option key={c} value={c}>
          {label(c)}
        </option>
      ))}
    </>
  );
}

const num = (s: string) => (s.trim() === '' ? NaN : Number(s));

/** Every neuron of the project as a tile: crop with tracing, key counts, status, outlier flags; sort and filter. */
export function GalleryPanel() {
  const { view, loading, error, progress, sort, descending, filter } = useGallery();
  const tiles = useMemo(() => (view ? orderTiles(view, filter, sort, descending) : []), [view, filter, sort, descending]);
  const setFilter = (patch: Partial<typeof filter>) => galleryStore.set({ filter: { ...filter, ...patch } });
  const flagged = view?.tiles.filter((t) => t.flags.length > 0).length ?? 0;
  const statuses = [...new Set(view?.tiles.map((t) => t.status))];
  return (
    <section className="gallery-panel" aria-label="Gallery" data-testid="gallery-panel">
      <header className="gallery-header">
        <h2>Gallery</h2>
        {view?.blinded && <span className="results-blind">Blinded: names and conditions hidden</span>}
        <span className="small" data-testid="gallery-count">
          {view ? `${tiles.length} of ${view.tiles.length} neurons` : ''}
          {flagged > 0 && ` · ${flagged} flagged`}
        </span>
        {progress && (
          <span className="small" data-testid="gallery-progress">
            <progress max={Math.max(1, progress.total)} value={progress.done} /> Thumbnails {progress.done}/{progress.total}{' '}
            <button type="button" onClick={() => void cancelThumbnails()}>
              Stop
            </button>
          </span>
        )}
        <button type="button" onClick={closeGallery} aria-label="Close gallery">
          Close
        </button>
      </header>
      <div className="gallery-controls">
        <label>
          Sort by{' '}
          <select aria-label="Sort by" value={sort} onChange={(e) => galleryStore.set({ sort: e.target.value as SortKey })}>
            <option value="project">project order</option>
            <option value="outlier">outlier strength</option>
            {!view?.blinded && <option value="condition">condition</option>}
            <option value="status">status</option>
            <ColumnOptions columns={view?.columns} />
          </select>
        </label>
        <label>
          <input type="checkbox" aria-label="Descending" checked={descending} onChange={(e) => galleryStore.set({ descending: e.target.checked })} /> descending
        </label>
        {!view?.blinded && (
          <label>
            Condition{' '}
            <select aria-label="Condition filter" value={filter.condition} onChange={(e) => setFilter({ condition: e.target.value })}>
              <option value="">all</option>
              {view?.conditions.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          Status{' '}
          <select aria-label="Status filter" value={filter.status} onChange={(e) => setFilter({ status: e.target.value as ReviewState | '' })}>
            <option value="">all</option>
            {REVIEW_STATES.filter((s) => statuses.includes(s)).map((s) => (
              <option key={s} value={s}>
                {STATE_LABELS[s]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" aria-label="Flagged only" checked={filter.flaggedOnly} onChange={(e) => setFilter({ flaggedOnly: e.target.checked })} /> flagged only
        </label>
        <label>
          Where{' '}
          <select aria-label="Filter column" value={filter.column} onChange={(e) => setFilter({ column: e.target.value })}>
            <option value="">(no range)</option>
            <ColumnOptions columns={view?.columns} />
          </select>
        </label>
        <label>
          ≥ <input type="number" aria-label="Minimum" className="gallery-bound" defaultValue={Number.isNaN(filter.min) ? '' : filter.min} onChange={(e) => setFilter({ min: num(e.target.value) })} />
        </label>
        <label>
          ≤ <input type="number" aria-label="Maximum" className="gallery-bound" defaultValue={Number.isNaN(filter.max) ? '' : filter.max} onChange={(e) => setFilter({ max: num(e.target.value) })} />
        </label>
      </div>
      {error && (
        <p className="results-error" role="alert">
          {error}
        </p>
      )}
      {view?.warnings.map((w) => (
        <p key={w} className="small">
          {w}
        </p>
      ))}
      {loading && !view && <p>Reading the project's neurons…</p>}
      {view && view.tiles.length === 0 && <p>No traced neurons in this project yet.</p>}
      {view && <TileGrid tiles={tiles} view={view} />}
    </section>
  );
}
