import { useState } from 'react';
import { printResolutionDpi } from '../../../shared/image/calibration';
import { CALIBRATION_SOURCES } from '../../../shared/image/types';
import { setCalibration } from '../image/image-session';
import { useDoc } from '../stores/doc-store';
import { useViewer, viewer } from '../stores/viewer-store';
import { fmt } from './format';

/** Shows the pixel size in force and where it came from; lets the user type one or draw a line of known length. */
export function CalibrationPanel() {
  const info = useViewer((s) => s.info);
  const cal = useDoc((s) => s.history.present.calibration);
  const fileCal = useViewer((s) => s.fileCalibration);
  const tool = useViewer((s) => s.tool);
  if (!info) return null;
  const dpi = printResolutionDpi(cal);
  return (
    <section className="panel" aria-label="Calibration">
      <h2>Calibration</h2>
      {cal ? (
        <p data-testid="calibration-summary">
          {fmt(cal.pixelWidth, 5)} × {fmt(cal.pixelHeight, 5)} µm/px
          {cal.voxelDepth !== undefined && info.slices > 1 && <>, slices {fmt(cal.voxelDepth, 5)} µm apart</>}
          <br />
          <span className="muted small">from {CALIBRATION_SOURCES[cal.source]}</span>
          {dpi !== null && (
            <>
              <br />
              <span className="warning small" data-testid="calibration-print-resolution">
                That is a print resolution ({dpi} dpi), not a microscope&apos;s pixel size: set the right one.
              </span>
            </>
          )}
        </p>
      ) : (
        <p className="warning" data-testid="calibration-summary">
          Uncalibrated: lengths are in pixels.
        </p>
      )}
      <div className="row">
        <button type="button" onClick={() => viewer.set({ dialog: 'calibration', calibrationLinePx: null })}>
          Set…
        </button>
        <button type="button" aria-pressed={tool === 'calibrate'} onClick={() => viewer.set({ tool: tool === 'calibrate' ? 'navigate' : 'calibrate' })}>
          Draw known length
        </button>
        {fileCal && cal?.source === 'user' && (
          <button type="button" onClick={() => setCalibration(fileCal)}>
            Use file's
          </button>
        )}
      </div>
      {tool === 'calibrate' && <p className="small muted">Drag along a feature of known length, then enter its length.</p>}
    </section>
  );
}

/** Modal for typing a pixel size, or the length of the line just drawn. */
export function CalibrationDialog() {
  const linePx = useViewer((s) => s.calibrationLinePx);
  const cal = useDoc((s) => s.history.present.calibration);
  const [value, setValue] = useState(() => (linePx ? '' : cal ? String(cal.pixelWidth) : ''));
  const [error, setError] = useState<string | null>(null);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const v = Number(value);
    if (!(v > 0) || !Number.isFinite(v)) return setError('Enter a positive number.');
    const size = linePx ? v / linePx : v;
    // Only x and y are set here: a stack keeps its slice spacing (the z step of the microscope), which no length
    // drawn in the plane can give.
    setCalibration({ pixelWidth: size, pixelHeight: size, ...(cal?.voxelDepth !== undefined ? { voxelDepth: cal.voxelDepth } : {}), unit: 'µm', source: 'user' });
  };
  return (
    <div className="modal-backdrop" role="dialog" aria-label="Set calibration">
      <form className="modal" onSubmit={submit}>
        <h2>Set calibration</h2>
        {linePx ? (
          <label>
            The line is {fmt(linePx, 5)} px long. Its length in µm:
            <input autoFocus type="text" inputMode="decimal" aria-label="Known length in µm" value={value} onChange={(e) => setValue(e.target.value)} />
          </label>
        ) : (
          <label>
            Pixel size (µm per pixel):
            <input autoFocus type="text" inputMode="decimal" aria-label="Pixel size in µm" value={value} onChange={(e) => setValue(e.target.value)} />
          </label>
        )}
        {error && <p className="warning">{error}</p>}
        <div className="row end">
          <button type="button" onClick={() => viewer.set({ dialog: null, calibrationLinePx: null })}>
            Cancel
          </button>
          <button type="submit" className="primary">
            Apply
          </button>
        </div>
      </form>
    </div>
  );
}
