import { readImageInfo, decodeImage } from '../../shared/image/decode';
import { NOT_STREAMABLE } from '../../shared/formats/tiff/band-reader';
import { isTiff } from '../../shared/formats/tiff/ifd';
import { TiffRegionReader } from '../../shared/formats/tiff/region-reader';
import { RamifyError } from '../../shared/result';
import type { ImageInfo } from '../../shared/image/types';
import { channelNames } from '../../shared/display/opening-display';
import { nuclearStainName } from '../../shared/image/stain-names';
import { autoTraceImage, autoTraceRegions, type AutoTraceOutcome, type AutoTraceRequest } from '../../shared/tracing/auto/run';
import type { TracedImage } from './autotrace-batch';
import { openFileSource } from './file-source';
import { nativeInflate, readImageFile } from './image-file';

/**
 * A TIFF opened to be read region by region (only the strips or tiles, and only the planes, asked for); null for a
 * file the whole-file decoder reads instead: PNG and JPEG, old-style JPEG TIFFs, paths that are not regular files
 * (readImageFile says what is wrong with them).
 */
export async function openTiffRegions(path: string): Promise<{ reader: TiffRegionReader; close(): Promise<void> } | null> {
  let source;
  try {
    source = await openFileSource(path);
  } catch {
    return null;
  }
  try {
    if (source.size < 8 || !isTiff(await source.read(0, 4))) return (await source.close(), null);
    const reader = await TiffRegionReader.open(source, { inflate: nativeInflate });
    return { reader, close: () => source.close() };
  } catch (e) {
    await source.close();
    if (e instanceof RamifyError && e.code === NOT_STREAMABLE) return null;
    throw e;
  }
}

/**
 * Detect and trace one image file of a batch (the app's worker, `ramify autotrace PROJECT --all`). A TIFF is read
 * through its strips or tiles, only the planes the trace reads (the traced channel's slices, a nuclear channel's), so
 * a stack of several channels is never decoded whole: a 3-channel stack holds a third of it. Other files are decoded
 * whole. `tooLarge` says what to do instead when the image is larger than one trace reads. An image holding only a
 * nuclear stain is not traced (TracedImage.nuclearStainAlone).
 */
export async function traceImageFile(path: string, request: Omit<AutoTraceRequest, 'seeds'>, tooLarge: (width: number, height: number) => string | null): Promise<TracedImage> {
  const regions = await openTiffRegions(path);
  if (regions) {
    try {
      const { info } = regions.reader;
      if (nuclearStainAlone(info)) return leftAlone(info);
      const refused = tooLarge(info.width, info.height);
      if (refused) throw new RamifyError('invalid-argument', refused);
      return traced(info, await autoTraceRegions(info, ({ planes, rect }) => regions.reader.read(planes, rect), request));
    } finally {
      await regions.close();
    }
  }
  const bytes = await readImageFile(path);
  const header = readImageInfo(bytes);
  if (nuclearStainAlone(header)) return leftAlone(header);
  const { width, height } = header;
  const refused = tooLarge(width, height);
  if (refused) throw new RamifyError('invalid-argument', refused);
  const image = decodeImage(bytes);
  return traced(image.info, autoTraceImage(image, request));
}

/** One channel, named a nuclear stain (a plate's DAPI wavelength not merged): nothing in it to trace. */
function nuclearStainAlone(info: ImageInfo): boolean {
  return info.channels === 1 && nuclearStainName(channelNames(info), 0) !== null;
}

function leftAlone(info: ImageInfo): TracedImage {
  return { neurons: [], parameters: {}, width: info.width, height: info.height, calibration: info.calibration, ms: 0, nuclearStainAlone: true };
}

function traced(info: ImageInfo, r: AutoTraceOutcome): TracedImage {
  const channel = typeof r.parameters.channel === 'number' ? r.parameters.channel : 0;
  const tracedNuclei = nuclearStainName(channelNames(info), channel) !== null;
  return { neurons: r.neurons, parameters: r.parameters, width: info.width, height: info.height, calibration: info.calibration, ms: r.timings.totalMs, nuclearStainIn: r.nuclearStainIn, moreSignalIn: r.moreSignalIn, tracedNuclei };
}
