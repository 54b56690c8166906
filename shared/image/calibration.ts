import type { Calibration } from './types';
import type { OmePixels } from './ome';

/** µm per one of `unit`, for the spellings ImageJ, OME and SCIFIO write; null for 'pixel' or anything unknown. */
export function micrometresPerUnit(unit: string): number | null {
  const u = unit.trim().replace(/\\u00b5/gi, 'µ').replace(/\u03bc/g, 'µ').toLowerCase();
  switch (u) {
    case 'µm': case 'um': case 'micron': case 'microns': case 'micrometer': case 'micrometers': case 'micrometre': case 'micrometres':
      return 1;
    case 'nm': case 'nanometer': case 'nanometers': case 'nanometre':
      return 1e-3;
    case 'mm': case 'millimeter': case 'millimeters': case 'millimetre':
      return 1e3;
    case 'cm': case 'centimeter': case 'centimeters': case 'centimetre':
      return 1e4;
    case 'm': case 'meter': case 'meters': case 'metre':
      return 1e6;
    case 'inch': case 'inches': case 'in':
      return 25400;
    case 'å': case 'angstrom': case 'ångström':
      return 1e-4;
    default:
      return null;
  }
}

/** The calibration-relevant fields of a TIFF's first page. */
export interface TiffCalibrationInput {
  /** Parsed ImageJ description (key → value), when there is one. */
  imagej: Map<string, string> | null;
  ome: OmePixels | null;
  /** A Zeiss LSM's voxel size, µm (0 where its record says nothing). */
  lsm?: { x: number; y: number; z: number };
  /** The pixel size, µm, a MetaMorph/MetaSeries description gives (metaseries.ts), when it gives one. */
  metaSeries?: { x: number; y: number } | null;
  /** XResolution/YResolution in pixels per ResolutionUnit; 0 or undefined when absent. */
  xResolution?: number;
  yResolution?: number;
  /** Denominators of the XResolution/YResolution RATIONALs, when they are rationals (their precision). */
  xResolutionDenominator?: number;
  yResolutionDenominator?: number;
  /** TIFF ResolutionUnit: 1 none, 2 inch, 3 cm (pass 1 when the tag is missing: writers that omit it rarely mean inches). */
  resolutionUnit: number;
}

/**
 * How far the pixels-per-unit value of a resolution tag may lie from what its writer meant. The tag is a RATIONAL
 * num/den, read exactly (in double). A power-of-ten denominator ≥ 1000 is a decimal kept to that many places
 * (ImageJ truncates 1/pixelWidth to 6 decimals: 1/0.325 → 3076923/1000000), so the value is known to ±1/den. An
 * integer is exact (72 dpi). Anything else came from a binary float (libtiff converts a float32 to a rational), so it is
 * known to half a float32 step.
 */
export function resolutionTolerance(pixelsPerUnit: number, denominator?: number): number {
  if (Number.isInteger(pixelsPerUnit) && (denominator === undefined || denominator === 1)) return 0;
  if (denominator !== undefined && denominator >= 1000 && Number.isInteger(Math.log10(denominator))) return 1 / denominator;
  const f = Math.fround(pixelsPerUnit);
  const exp = Math.floor(Math.log2(Math.abs(f)));
  return 2 ** (exp - 24);
}

/** The decimal with the fewest significant digits in [lo, hi] (lo ≤ hi, both > 0). */
export function shortestDecimalIn(lo: number, hi: number): number {
  const mid = (lo + hi) / 2;
  for (let digits = 1; digits <= 17; digits++) {
    // The d-digit number nearest the centre is in the interval whenever any d-digit number is.
    const d = Number(mid.toPrecision(digits));
    if (d >= lo && d <= hi) return d;
  }
  return mid;
}

/** Significant digits of a decimal as JavaScript prints it (0.325 → 3, 352.7777777777778 → 16). */
const significantDigits = (x: number) => x.toExponential().replace(/e.*$/, '').replace(/[-.]/g, '').length;

/**
 * Pixel size (in the tag's unit × `perUnit`) from a resolution tag, as its writer meant it. Within the tag's
 * precision (resolutionTolerance) the writer typed either the resolution (72 dpi, 118.11 px/cm) or the pixel size
 * (ImageJ: 0.325 µm, stored as 1/0.325 = 3076923/1000000): whichever of the two is the shorter decimal is taken as
 * written, and the pixel size follows from it. So ImageJ's 0.325 stays 0.325 (not 0.32500000325), a float32 turned
 * into a rational gives 0.325 (not 0.3250000081), and 72 dpi gives 25400/72 µm exactly. Decimal text in metadata
 * (ImageJ spacing, OME PhysicalSize) is used as written and never goes through here.
 */
export function pixelSizeFromResolution(pixelsPerUnit: number, perUnit = 1, denominator?: number): number {
  const tol = resolutionTolerance(pixelsPerUnit, denominator);
  if (tol === 0 || !(pixelsPerUnit - tol > 0)) return perUnit / pixelsPerUnit;
  const resolution = shortestDecimalIn(pixelsPerUnit - tol, pixelsPerUnit + tol);
  const size = shortestDecimalIn(perUnit / (pixelsPerUnit + tol), perUnit / (pixelsPerUnit - tol));
  return significantDigits(size) < significantDigits(resolution) ? size : perUnit / resolution;
}

/** A product of two decimals without binary noise (0.325 × 1e-3 → 0.000325, not 0.00032500000000000004). */
const scaled = (value: number, factor: number) => Number((value * factor).toPrecision(12));

/**
 * Pixel size from, in order of trust: ImageJ description + resolution, OME-XML, a Zeiss LSM record, a MetaMorph
 * description, plain resolution tags.
 */
export function tiffCalibration(i: TiffCalibrationInput): Calibration | null {
  if (i.imagej?.has('unit')) {
    const factor = micrometresPerUnit(i.imagej.get('unit') ?? '');
    if (factor !== null) {
      // ImageJ stores pixels per unit; with no resolution tags its pixel size defaults to 1 unit.
      const px = i.xResolution && i.xResolution > 0 ? pixelSizeFromResolution(i.xResolution, 1, i.xResolutionDenominator) : 1;
      const py = i.yResolution && i.yResolution > 0 ? pixelSizeFromResolution(i.yResolution, 1, i.yResolutionDenominator) : px;
      const spacing = Number(i.imagej.get('spacing'));
      const cal: Calibration = { pixelWidth: scaled(px, factor), pixelHeight: scaled(py, factor), unit: 'µm', source: 'imagej' };
      if (Number.isFinite(spacing) && spacing > 0) cal.voxelDepth = scaled(spacing, factor);
      return cal;
    }
  }
  if (i.ome?.physicalSizeX) {
    const fx = micrometresPerUnit(i.ome.physicalSizeX.unit);
    if (fx !== null) {
      const y = i.ome.physicalSizeY ?? i.ome.physicalSizeX;
      const fy = micrometresPerUnit(y.unit) ?? fx;
      const cal: Calibration = { pixelWidth: i.ome.physicalSizeX.value * fx, pixelHeight: y.value * fy, unit: 'µm', source: 'ome' };
      const z = i.ome.physicalSizeZ;
      const fz = z ? micrometresPerUnit(z.unit) : null;
      if (z && fz !== null) cal.voxelDepth = z.value * fz;
      return cal;
    }
  }
  if (i.lsm && i.lsm.x > 0) {
    const cal: Calibration = { pixelWidth: i.lsm.x, pixelHeight: i.lsm.y > 0 ? i.lsm.y : i.lsm.x, unit: 'µm', source: 'lsm' };
    if (i.lsm.z > 0) cal.voxelDepth = i.lsm.z;
    return cal;
  }
  if (i.metaSeries) return { pixelWidth: i.metaSeries.x, pixelHeight: i.metaSeries.y, unit: 'µm', source: 'metamorph' };
  const perUnit = i.resolutionUnit === 2 ? 25400 : i.resolutionUnit === 3 ? 10000 : 0;
  if (perUnit > 0 && i.xResolution && i.xResolution > 0 && Number.isFinite(i.xResolution)) {
    const yr = i.yResolution && i.yResolution > 0 && Number.isFinite(i.yResolution) ? i.yResolution : i.xResolution;
    const yDen = i.yResolution && i.yResolution > 0 ? i.yResolutionDenominator : i.xResolutionDenominator;
    return { pixelWidth: pixelSizeFromResolution(i.xResolution, perUnit, i.xResolutionDenominator), pixelHeight: pixelSizeFromResolution(yr, perUnit, yDen), unit: 'µm', source: 'resolution' };
  }
  return null;
}

/**
 * Pixel size, µm, from which one read from plain resolution tags is a print resolution (≤ 2,540 dpi: 72 dpi is
 * 352.8 µm, 300 dpi 84.7 µm), not a microscope's: image editors, MATLAB's imwrite and many exports write 72 dpi
 * into every TIFF they save, while even a 1.25× objective gives about 5 µm per px.
 */
const PRINT_RESOLUTION_UM = 10;

/** The dots per inch of a calibration that is a print resolution (see PRINT_RESOLUTION_UM); null for any other. */
export function printResolutionDpi(cal: Calibration | null | undefined): number | null {
  return cal?.source === 'resolution' && cal.pixelWidth >= PRINT_RESOLUTION_UM ? Math.round(25400 / cal.pixelWidth) : null;
}

/** True when a calibration is a print resolution from a file's resolution tags (see PRINT_RESOLUTION_UM). */
export function isPrintResolution(cal: Calibration | null | undefined): boolean {
  return printResolutionDpi(cal) !== null;
}

/** A calibration to place and measure by: the file's or the user's, null for none or only a print resolution. */
export function microscopeCalibration(cal: Calibration | null | undefined): Calibration | null {
  return cal && !isPrintResolution(cal) ? cal : null;
}
