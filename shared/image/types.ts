/** Numeric kind of the stored samples, as TIFF's SampleFormat tag names them. */
export type SampleFormat = 'uint' | 'int' | 'float';

/** One plane of samples in row-major order, width*height long. */
export type PixelArray = Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export type ImageFormat = 'tiff' | 'png' | 'jpeg';

/** Where a pixel size came from; shown to the user beside the scale. */
export type CalibrationSource = 'imagej' | 'ome' | 'resolution' | 'user';

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
  /** Samples per pixel as stored (RGB = 3), split into channels on decode; an alpha sample (PNG, TIFF ExtraSamples) is dropped and not counted. */
  samplesPerPixel: number;
  calibration: Calibration | null;
  /** A palette image's colour map as 16-bit RGB triples (3 × 2^bits entries, R block, G block, B block). */
  palette?: Uint16Array;
  /** Display hint from the file (ImageJ min/max or a LUT colour), per channel when known. */
  displayRanges?: Array<{ min: number; max: number }>;
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

export function planeIndex(info: Pick<ImageInfo, 'channels' | 'slices'>, c: number, z: number, t: number): number {
  return c + info.channels * (z + info.slices * t);
}
