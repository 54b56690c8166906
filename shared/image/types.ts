/** Numeric kind of the stored samples, as TIFF's SampleFormat tag names them. */
export type SampleFormat = 'uint' | 'int' | 'float';

/** One plane of samples in row-major order, width*height long. */
export type PixelArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export type ImageFormat = 'tiff' | 'png' | 'jpeg';

/** Where a pixel size came from, and how the user is told it (beside the scale, in `ramify inspect`). */
export const CALIBRATION_SOURCES = {
  imagej: 'ImageJ metadata',
  ome: 'OME-XML metadata',
  lsm: 'the Zeiss LSM header',
  metamorph: 'MetaMorph metadata',
  resolution: 'TIFF resolution tags',
  user: 'set by hand',
} as const;
export type CalibrationSource = keyof typeof CALIBRATION_SOURCES;
export const CALIBRATION_SOURCE_NAMES = Object.keys(CALIBRATION_SOURCES) as [CalibrationSource, ...CalibrationSource[]];

/** Physical size of one pixel. Always in micrometres: other units are converted on read. */
export interface Calibration {
  /** µm per pixel along x. */
  pixelWidth: number;
  /** µm per pixel along y. */
  pixelHeight: number;
  /** µm between z-slices, when the file says. */
  voxelDepth?: number;
  unit: 'µm';
  source: CalibrationSource;
}

/** What a file holds, known after decoding; planes are indexed by plane index = c + channels * (z + slices * t). */
export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  /** Pages (IFDs) in a TIFF; 1 for PNG and JPEG. */
  pages: number;
  channels: number;
  slices: number;
  frames: number;
  bitsPerSample: number;
  sampleFormat: SampleFormat;
  /**
   * Samples per pixel as stored (RGB = 3), split into channels on decode; an alpha sample (PNG, TIFF ExtraSamples) is
   * dropped and not counted, and a Zeiss LSM's channels (dyes stored as the samples of one pixel) count as 1: 3 marks
   * a colour picture.
   */
  samplesPerPixel: number;
  calibration: Calibration | null;
  /** A palette image's colour map as 16-bit RGB triples (3 × 2^bits entries, R block, G block, B block). */
  palette?: Uint16Array;
  /** Display range from the file: ImageJ's min/max (the first channel), or every channel's as ImageJ saved it. */
  displayRanges?: Array<{ min: number; max: number }>;
  /**
   * Each channel's colour as the file saved it ('#rrggbb': the top of an ImageJ composite's lookup tables, a Zeiss
   * LSM's channel colours, OME-XML's Channel Color).
   */
  channelColors?: string[];
  /** Each channel's name as the file gives it (OME-XML's Channel Name: "MAP2", "DAPI"). */
  channelNames?: string[];
  /** True when the file asks for inverted display (TIFF MinIsWhite). */
  invertedLut?: boolean;
}

/** Statistics of one TIFF page (all samples it stores), as `ramify inspect` reports them. */
export interface PageStats {
  page: number;
  min: number;
  max: number;
  sum: number;
}

/** A decoded image: planes of one sample each, plus per-page statistics. */
export interface DecodedImage {
  info: ImageInfo;
  /** planes[c + channels * (z + slices * t)], each width*height samples. */
  planes: PixelArray[];
  pageStats: PageStats[];
}

/** #rrggbb of a 0–255 RGB triple (how a file's channel colours and the project's display colours are written). */
export const rgbHex = (rgb: readonly number[]): string => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/**
 * A colour picture: red, green and blue samples of one pixel (an RGB TIFF, PNG or JPEG), sharing one scale. Its
 * channels are named and compared as colours, not as stains (an LSM's channels, stored as samples, count as 1).
 */
export const isColourPicture = (info: Pick<ImageInfo, 'samplesPerPixel'>): boolean => info.samplesPerPixel === 3;

export function planeIndex(info: Pick<ImageInfo, 'channels' | 'slices'>, c: number, z: number, t: number): number {
  return c + info.channels * (z + info.slices * t);
}
