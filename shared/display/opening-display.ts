import { stainColour } from '../image/stain-names';
import type { Histogram } from './histogram';
import { isColourPicture, planeIndex, rgbHex, type DecodedImage, type ImageInfo, type PixelArray } from '../image/types';
import { zProjection } from '../image/projection';
import { brightBackground } from '../tracing/auto/signal';
import { CHANNEL_COLORS, type ChannelDisplay } from './composite';
import { openingPlane } from './opening-view';
import { autoContrast } from './contrast';

/** A channel's tint by name; 'palette' shows a palette image's own colour map. */
export type ChannelColorName = 'grey' | 'green' | 'magenta' | 'red' | 'blue' | 'cyan' | 'yellow' | 'palette';

/** How each channel of a newly opened image is shown, before the user changes anything. */
export interface OpeningChannel {
  color: ChannelColorName;
  min: number;
  max: number;
  inverted: boolean;
}

function defaultColors(info: ImageInfo): ChannelColorName[] {
  if (info.palette) return ['palette'];
  const saved = info.channelColors?.length === info.channels ? info.channelColors : undefined;
  if (info.channels === 1) return [(saved && colorName(saved[0])) || 'grey'];
  if (info.samplesPerPixel >= 3 && info.channels >= 3) return (['red', 'green', 'blue', 'grey'] as const).slice(0, info.channels);
  const cycle: ChannelColorName[] = ['green', 'magenta', 'cyan', 'yellow', 'red', 'blue', 'grey'];
  // The file's colours where Ramify has them (a LUT such as Fire has no one colour: that channel keeps the default),
  // else the colour the channel's name says ("DAPI" blue, "FITC 488" green), else the next of the cycle not taken.
  const names = info.channelNames?.length === info.channels ? info.channelNames : undefined;
  const given = Array.from({ length: info.channels }, (_, i) => (saved && colorName(saved[i])) || (names && stainColour(names[i])) || null);
  const taken = new Set(given);
  return given.map((c, i) => c ?? cycle.slice(i % cycle.length).concat(cycle).find((d) => !taken.has(d)) ?? cycle[i % cycle.length]);
}

/**
 * An 8-bit colour (RGB) image, a photograph or an export of a composite: shown in its own colours, each channel over
 * 0–255 as ImageJ shows an RGB image. Stretched one by one, a channel with little in it (the red of a JPEG of green
 * neurites holds their faint chroma, 0–14) would paint them in a colour they do not have.
 */
function colourPhoto(info: ImageInfo): boolean {
  return !info.palette && isColourPicture(info) && info.channels === 3 && info.bitsPerSample === 8;
}

/**
 * What each channel is called beside its number, or null: the names the file gives (OME's "MAP2", "DAPI"), else a
 * colour picture's colours (red, green, blue), so the channel holding the stain is found at a glance.
 */
export function channelNames(info: ImageInfo): string[] | null {
  if (info.channelNames?.length === info.channels) return info.channelNames;
  return isColourPicture(info) && info.channels === 3 ? ['red', 'green', 'blue'] : null;
}


/** The colour name of a #rrggbb project setting (undefined for a colour Ramify has no name for). */
export function colorName(h: string): ChannelColorName | undefined {
  const entry = Object.entries(CHANNEL_COLORS).find(([, rgb]) => rgbHex(rgb) === h.toLowerCase());
  return entry?.[0] as ChannelColorName | undefined;
}

/**
 * The display the viewer opens an image with, which the gallery's tiles use too: the file's own display ranges,
 * else ImageJ's auto-contrast of the opening plane's histograms; a project's shared display (same contrast for every
 * image, for a fair comparison) replaces range and colour when it has one entry per channel.
 */
export function openingChannels(info: ImageInfo, histograms: readonly Histogram[], shared: ReadonlyArray<{ min: number; max: number; color: string }> | null | undefined): OpeningChannel[] {
  const colors = defaultColors(info);
  const photo = colourPhoto(info);
  const channels = histograms.map((h, c): OpeningChannel => {
    const fileRange = info.displayRanges?.[c];
    const range = info.palette || photo ? { min: 0, max: 255 } : fileRange && fileRange.max > fileRange.min ? fileRange : autoContrast(h);
    return { color: colors[c] ?? 'grey', min: range.min, max: range.max, inverted: Boolean(info.invertedLut) };
  });
  if (shared && shared.length === channels.length) {
    shared.forEach((d, c) => {
      channels[c] = { ...channels[c], min: d.min, max: d.max, color: channels[c].color === 'palette' ? 'palette' : (colorName(d.color) ?? channels[c].color) };
    });
  }
  return channels;
}

/** renderComposite's input for channels shown together. */
export function compositeDisplays(channels: readonly OpeningChannel[], palette?: Uint16Array): ChannelDisplay[] {
  return channels.map((ch) => ({
    visible: true,
    min: ch.min,
    max: ch.max,
    inverted: ch.inverted,
    rgb: ch.color === 'palette' ? CHANNEL_COLORS.grey : CHANNEL_COLORS[ch.color],
    palette: ch.color === 'palette' ? palette : undefined,
  }));
}

/** The planes of the opening view (openingPlane: middle slice, or the projection of a thin stack), frame 0. */
export function openingPlanes(image: DecodedImage): PixelArray[] {
  const { info } = image;
  const { z, mip } = openingPlane(info.slices);
  return Array.from({ length: info.channels }, (_, c) => {
    if (!mip) return image.planes[planeIndex(info, c, z, 0)];
    const stack = Array.from({ length: info.slices }, (_, zz) => image.planes[planeIndex(info, c, zz, 0)]);
    return zProjection(stack, brightBackground(stack, info, info.width));
  });
}
