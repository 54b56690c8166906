/**
 * ImageJ's ImageDescription ("ImageJ=1.54f\nimages=…\nchannels=…"): the hyperstack shape and calibration unit that
 * ImageJ/Fiji write into the first page of a TIFF.
 */

/** Hyperstack shape and calibration to describe; pages are stored in ImageJ order (c fastest, then z, then t). */
export interface ImagejDescriptionOptions {
  channels?: number;
  slices?: number;
  frames?: number;
  /** Calibration unit as ImageJ writes it ('micron' is ImageJ's spelling of µm). */
  unit?: string;
  /** Pixel width in `unit`; ImageJ stores it as XResolution = 1/pixelWidth, so the caller writes resolution tags. */
  pixelWidth?: number;
  /** z spacing in `unit`. */
  spacing?: number;
  /** Display mode for multi-channel images. */
  mode?: 'composite' | 'color' | 'grayscale';
}

/** Builds the description ImageJ 1.54f writes; pair it with resolution tags of 1/pixelWidth pixels per unit. */
export function imagejDescription(o: ImagejDescriptionOptions): string {
  const c = o.channels ?? 1;
  const z = o.slices ?? 1;
  const t = o.frames ?? 1;
  const lines = ['ImageJ=1.54f', `images=${c * z * t}`];
  if (c > 1) lines.push(`channels=${c}`);
  if (z > 1) lines.push(`slices=${z}`);
  if (t > 1) lines.push(`frames=${t}`);
  if (c * z * t > 1 && (c > 1 ? 1 : 0) + (z > 1 ? 1 : 0) + (t > 1 ? 1 : 0) > 1) lines.push('hyperstack=true');
  if (c > 1) lines.push(`mode=${o.mode ?? 'composite'}`);
  if (o.unit) lines.push(`unit=${o.unit}`);
  if (o.spacing !== undefined) lines.push(`spacing=${o.spacing}`);
  if (o.pixelWidth !== undefined && o.spacing === undefined && z > 1) lines.push(`spacing=${o.pixelWidth}`);
  lines.push('loop=false');
  return lines.join('\n') + '\n';
}

/** Parsed key=value lines of an ImageJ description, or null when the text is not one. */
export function parseImagejDescription(text: string): Map<string, string> | null {
  if (!text.startsWith('ImageJ=')) return null;
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) map.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return map;
}
