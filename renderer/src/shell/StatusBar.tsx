import { useDoc } from '../stores/doc-store';
import { useViewer } from '../stores/viewer-store';
import { fmt } from '../panels/format';

/** Cursor position in px and µm and the raw sample values under it, one per channel. */
export function StatusBar() {
  const cursor = useViewer((s) => s.cursor);
  const info = useViewer((s) => s.info);
  const cal = useDoc((s) => s.history.present.calibration);
  const scale = useViewer((s) => s.camera.scale);
  const file = useViewer((s) => s.file);
  const inside = cursor && info && cursor.x >= 0 && cursor.y >= 0 && cursor.x < info.width && cursor.y < info.height;
  const px = inside && cursor ? { x: Math.floor(cursor.x), y: Math.floor(cursor.y), values: cursor.values } : null;
  return (
    <footer className="statusbar" data-testid="statusbar">
      {info && file ? (
        <>
          <span data-testid="status-image">
            {info.width}×{info.height} · {info.bitsPerSample}-bit {info.sampleFormat} · {info.channels} ch
            {info.slices > 1 ? ` · ${info.slices} z` : ''}
            {info.frames > 1 ? ` · ${info.frames} t` : ''}
          </span>
          <span data-testid="status-zoom">{fmt(scale * 100, 4)} %</span>
          {px ? (
            <>
              <span data-testid="status-xy">
                x {px.x}, y {px.y} px
              </span>
              {cal && (
                <span data-testid="status-um">
                  {fmt((px.x + 0.5) * cal.pixelWidth, 5)}, {fmt((px.y + 0.5) * cal.pixelHeight, 5)} µm
                </span>
              )}
              <span data-testid="status-value">
                {px.values ? (px.values.length === 1 ? `value ${fmt(px.values[0], 6)}` : px.values.map((v, i) => `c${i + 1} ${fmt(v, 6)}`).join('  ')) : ''}
              </span>
            </>
          ) : (
            <span className="muted">Move over the image to read values</span>
          )}
          {!cal && <span className="badge warn">Uncalibrated</span>}
        </>
      ) : (
        <span className="muted">No image</span>
      )}
    </footer>
  );
}
