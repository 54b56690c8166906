import { planeIndex, type DecodedImage, type PixelArray } from '../image/types';
import { CHANNEL_COLORS, renderComposite, type ChannelDisplay } from './composite';
import { autoContrast } from './contrast';
import { computeHistogram } from './histogram';
import { resampleCrop } from './resample';

/**
 * A small RGBA preview of an image for lists: the first slice and frame, each channel box-averaged down so the
 * longer side is at most `size` px, auto-contrasted (ImageJ's 0.35 %) and tinted as the viewer tints by default.
 */
export function thumbnailRgba(image: DecodedImage, size = 96): { width: number; height: number; rgba: Uint8ClampedArray } {
  const { info } = image;
  const f = Math.max(1, Math.ceil(Math.max(info.width, info.height) / size));
  const width = Math.max(1, Math.floor(info.width / f));
  const height = Math.max(1, Math.floor(info.height / f));
  const tints = info.channels === 1 ? [CHANNEL_COLORS.grey] : info.channels >= 3 ? [CHANNEL_COLORS.red, CHANNEL_COLORS.green, CHANNEL_COLORS.blue, CHANNEL_COLORS.grey] : [CHANNEL_COLORS.green, CHANNEL_COLORS.magenta, CHANNEL_COLORS.cyan, CHANNEL_COLORS.yellow];
  const planes: PixelArray[] = [];
  const displays: ChannelDisplay[] = [];
  for (let c = 0; c < info.channels; c++) {
    const small = resampleCrop(image.planes[planeIndex(info, c, 0, 0)], info.width, { x: 0, y: 0, width: width * f, height: height * f }, width, height);
    const range = info.palette ? { min: 0, max: 255 } : autoContrast(computeHistogram(small, 'float', 32, 1024));
    planes.push(small);
    displays.push({ visible: true, min: range.min, max: range.max, rgb: tints[c % tints.length], inverted: info.invertedLut, palette: info.palette });
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  renderComposite(planes, displays, rgba);
  return { width, height, rgba };
}
