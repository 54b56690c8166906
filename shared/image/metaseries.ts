import { unescapeXml } from '../text/xml';
import { micrometresPerUnit } from './calibration';

/**
 * The pixel size MetaMorph, MetaXpress and MetaSeries (Molecular Devices: the ImageXpress high-content imagers many
 * culture labs run) write into a TIFF's ImageDescription: `<MetaData>` XML whose `<prop id="spatial-calibration-x"
 * type="float" value="0.65"/>`, `-y` and `spatial-calibration-units` give it, in force when `spatial-calibration-state`
 * is on. Layout as Molecular Devices documents it and tifffile reads it (metaseries_description_metadata).
 */
export function metaSeriesPixelSize(description: string): { x: number; y: number } | null {
  const prop = metaSeriesProps(description);
  if (!prop) return null;
  if (prop('spatial-calibration-state') === 'off') return null;
  const factor = micrometresPerUnit(prop('spatial-calibration-units') ?? '');
  const x = Number(prop('spatial-calibration-x'));
  const y = Number(prop('spatial-calibration-y') ?? x);
  if (factor === null || !(x > 0) || !Number.isFinite(x)) return null;
  return { x: x * factor, y: (y > 0 && Number.isFinite(y) ? y : x) * factor };
}

/**
 * The illumination setting a MetaSeries plane was taken with (`_IllumSetting_`: the filter set or channel the
 * acquisition names, "DAPI", "FITC", "4. GREEN penta"): the name of an ImageXpress wavelength's channel. Null when
 * the description is not MetaSeries XML or names none.
 */
export function metaSeriesIllumination(description: string): string | null {
  const name = metaSeriesProps(description)?.('_IllumSetting_')?.trim();
  return name ? unescapeXml(name) : null;
}

/** A reader of the `<prop id=… value=…>` elements of MetaSeries XML, or null when the text is not that. */
function metaSeriesProps(description: string): ((id: string) => string | undefined) | null {
  const text = description.trim();
  if (!text.startsWith('<MetaData>') || !text.endsWith('</MetaData>')) return null;
  return (id: string) => {
    const tag = new RegExp(`<prop\\s+id="${id}"[^>]*>`).exec(text)?.[0];
    return tag ? /\bvalue="([^"]*)"/.exec(tag)?.[1] : undefined;
  };
}
