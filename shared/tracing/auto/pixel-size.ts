import { microscopeCalibration, printResolutionDpi } from '../../image/calibration';
import type { Calibration } from '../../image/types';

/** µm per px the tracer reads its µm settings at on an image with no microscope calibration: a typical 20× culture image. */
export const ASSUMED_UM_PER_PX = 0.5;

/**
 * The pixel size the tracer reads its lengths in µm at (shortest branch, cell body radius, background scale): the
 * image's, or null (ASSUMED_UM_PER_PX stands in) when it has none or only a print resolution (isPrintResolution: at
 * 72 dpi the shortest branch of 5 µm would be 0.014 px, and every spur of noise a branch).
 */
export function tracingPixelSize(cal: Calibration | null | undefined): number | null {
  return microscopeCalibration(cal)?.pixelWidth ?? null;
}

/**
 * What to tell the user when the image's pixel size is a print resolution the tracer does not read lengths at; `fix`
 * says how to give the right one (the app's Calibration panel, the CLI's option).
 */
export function printResolutionNote(cal: Calibration | null | undefined, fix: string): string | null {
  const dpi = printResolutionDpi(cal);
  if (dpi === null || !cal) return null;
  return `The image's pixel size, ${Number(cal.pixelWidth.toPrecision(4))} µm, comes from its resolution tags (${dpi} dpi): a print resolution, not a microscope's. Automatic tracing reads lengths at an assumed ${ASSUMED_UM_PER_PX} µm per px; ${fix} to trace in µm.`;
}
