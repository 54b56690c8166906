import { encodeTiff } from '../formats/tiff/encode';
import { RamifyError } from '../result';
import { escapeXml } from '../text/xml';
import { microscopeCalibration } from './calibration';
import type { Calibration, DecodedImage, PixelArray } from './types';

/** One channel of a merged image: a single-plane image, the file it came from, and its name when the file has none. */
export interface ChannelSource {
  image: DecodedImage;
  /** The file, as messages name it. */
  file: string;
  /** The channel's name when the file gives none (its wavelength: 'w2'). */
  fallbackName: string;
}

export interface MergedImage {
  /** An OME-TIFF: one page per channel, the channels named, the pixel size in µm. */
  bytes: Uint8Array;
  names: string[];
  calibration: Calibration | null;
}

const OME_TYPES: Record<string, string> = { 'uint-8': 'uint8', 'uint-16': 'uint16', 'uint-32': 'uint32', 'int-8': 'int8', 'int-16': 'int16', 'int-32': 'int32', 'float-32': 'float', 'float-64': 'double' };

/** Pixel sizes that differ by less than this share are one calibration (a float written in two files' XML). */
const SAME_PIXEL_SIZE = 1e-6;

/**
 * One multi-channel image of single-plane images taken of the same field (an ImageXpress site's wavelengths): the
 * values unchanged, channel after channel, written as an OME-TIFF whose channels carry the
 * files' names for them (MetaXpress's illumination setting: "DAPI", "FITC") and whose pixel size is theirs. Throws
 * when a source holds more than one plane, or when the sources differ in size, sample type or pixel size: no field
 * is resampled or converted.
 */
export function mergeChannels(sources: readonly ChannelSource[], title: string): MergedImage {
  if (sources.length < 2) throw new RamifyError('invalid-argument', 'Merging needs two or more images.');
  const first = sources[0].image.info;
  for (const { image, file } of sources) {
    const i = image.info;
    const planes = i.channels * i.slices * i.frames;
    if (planes !== 1 || i.samplesPerPixel !== 1) throw new RamifyError('invalid-argument', `${file} holds ${planes > 1 ? `${planes} planes` : 'a colour picture'}; only single-plane, single-channel images are merged.`);
    if (i.width !== first.width || i.height !== first.height) throw new RamifyError('invalid-argument', `${file} is ${i.width}×${i.height} px, ${sources[0].file} ${first.width}×${first.height}: a site's wavelengths are one size.`);
    if (image.planes[0].BYTES_PER_ELEMENT !== sources[0].image.planes[0].BYTES_PER_ELEMENT || i.sampleFormat !== first.sampleFormat) {
      throw new RamifyError('invalid-argument', `${file} holds ${sampleType(image)} samples, ${sources[0].file} ${sampleType(sources[0].image)}: merging would convert one of them.`);
    }
  }
  const calibration = commonCalibration(sources);
  const plane0 = sources[0].image.planes[0];
  const bits = (plane0.BYTES_PER_ELEMENT * 8) as 8 | 16 | 32 | 64;
  const names = sources.map((s) => s.image.info.channelNames?.[0]?.trim() || s.fallbackName);
  const type = OME_TYPES[`${first.sampleFormat}-${bits}`];
  const physical = calibration
    ? ` PhysicalSizeX="${calibration.pixelWidth}" PhysicalSizeXUnit="µm" PhysicalSizeY="${calibration.pixelHeight}" PhysicalSizeYUnit="µm"`
    : '';
  const xml = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openmicroscopy.org/Schemas/OME/2016-06 http://www.openmicroscopy.org/Schemas/OME/2016-06/ome.xsd" Creator="Ramify">',
    `<Image ID="Image:0" Name="${escapeXml(title)}">`,
    `<Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="${type}" SizeX="${first.width}" SizeY="${first.height}" SizeC="${sources.length}" SizeZ="1" SizeT="1"${physical} BigEndian="false">`,
    ...names.map((n, c) => `<Channel ID="Channel:0:${c}" Name="${escapeXml(n)}" SamplesPerPixel="1"/>`),
    ...names.map((_, c) => `<TiffData IFD="${c}" FirstC="${c}" FirstZ="0" FirstT="0" PlaneCount="1"/>`),
    '</Pixels>',
    '</Image>',
    '</OME>',
  ].join('\n');
  const bytes = encodeTiff({
    width: first.width,
    height: first.height,
    planes: sources.map((s) => s.image.planes[0] as PixelArray),
    bitsPerSample: bits,
    sampleFormat: first.sampleFormat,
    // Uncompressed, as MetaXpress saves the wavelengths: as fast to write and read as the files it replaces.
    compression: 'none',
    imagejDescription: xml,
  });
  return { bytes, names, calibration };
}

const sampleType = (image: DecodedImage) => `${image.planes[0].BYTES_PER_ELEMENT * 8}-bit ${image.info.sampleFormat}`;

/** The pixel size the sources share (those without one take it), or null when none has one; throws when two differ. */
function commonCalibration(sources: readonly ChannelSource[]): Calibration | null {
  let found: { cal: Calibration; file: string } | null = null;
  for (const { image, file } of sources) {
    const cal = microscopeCalibration(image.info.calibration);
    if (!cal) continue;
    if (!found) found = { cal, file };
    else if (!near(cal.pixelWidth, found.cal.pixelWidth) || !near(cal.pixelHeight, found.cal.pixelHeight)) {
      throw new RamifyError('invalid-argument', `${file} has ${cal.pixelWidth} × ${cal.pixelHeight} µm per px, ${found.file} ${found.cal.pixelWidth} × ${found.cal.pixelHeight}: a site's wavelengths share one pixel size.`);
    }
  }
  return found ? { pixelWidth: found.cal.pixelWidth, pixelHeight: found.cal.pixelHeight, unit: 'µm', source: found.cal.source } : null;
}

const near = (a: number, b: number) => Math.abs(a - b) <= SAME_PIXEL_SIZE * Math.max(Math.abs(a), Math.abs(b));
