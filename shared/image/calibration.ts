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
  /** XResolution/YResolution in pixels per ResolutionUnit; 0 or undefined when absent. */
  xResolution?: number;
  yResolution?: number;
  /** TIFF ResolutionUnit: 1 none, 2 inch, 3 cm (pass 1 when the tag is missing: writers that omit it rarely mean inches). */
  resolutionUnit: number;
}

/** Pixel size from, in order of trust: ImageJ description + resolution, OME-XML, plain resolution tags. */
export function tiffCalibration(i: TiffCalibrationInput): Calibration | null {
  if (i.imagej?.has('unit')) {
    const factor = micrometresPerUnit(i.imagej.get('unit') ?? '');
    if (factor !== null) {
      // ImageJ stores pixels per unit; with no resolution tags its pixel size defaults to 1 unit.
      const px = i.xResolution && i.xResolution > 0 ? 1 / i.xResolution : 1;
      const py = i.yResolution && i.yResolution > 0 ? 1 / i.yResolution : px;
      const spacing = Number(i.imagej.get('spacing'));
      const cal: Calibration = { pixelWidth: px * factor, pixelHeight: py * factor, unit: 'µm', source: 'imagej' };
      if (Number.isFinite(spacing) && spacing > 0) cal.voxelDepth = spacing * factor;
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
  const perUnit = i.resolutionUnit === 2 ? 25400 : i.resolutionUnit === 3 ? 10000 : 0;
  if (perUnit > 0 && i.xResolution && i.xResolution > 0 && Number.isFinite(i.xResolution)) {
    const yr = i.yResolution && i.yResolution > 0 && Number.isFinite(i.yResolution) ? i.yResolution : i.xResolution;
    return { pixelWidth: perUnit / i.xResolution, pixelHeight: perUnit / yr, unit: 'µm', source: 'resolution' };
  }
  return null;
}
