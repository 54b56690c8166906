import { describe, expect, it } from 'vitest';
import { computeHistogram } from '../../../shared/display/histogram';
import { colorName, compositeDisplays, openingChannels, openingPlanes } from '../../../shared/display/opening-display';
import type { DecodedImage, ImageInfo } from '../../../shared/image/types';

const info = (o: Partial<ImageInfo>): ImageInfo => ({ format: 'tiff', width: 2, height: 2, pages: 1, channels: 2, slices: 1, frames: 1, bitsPerSample: 8, sampleFormat: 'uint', samplesPerPixel: 1, calibration: null, ...o });
const ramp = new Uint8Array([0, 100, 200, 255]);
const hist = computeHistogram(ramp, 'uint', 8);

describe("the display an image opens with (viewer and gallery tiles)", () => {
  it("two channels: green and magenta, the file's range when it has one, else auto-contrast", () => {
    const ch = openingChannels(info({ displayRanges: [{ min: 10, max: 20 }, { min: 5, max: 5 }] }), [hist, hist], null);
    expect(ch.map((c) => c.color)).toEqual(['green', 'magenta']);
    expect(ch[0]).toMatchObject({ min: 10, max: 20, inverted: false });
    // A degenerate file range (5…5) is ignored: ImageJ's auto-contrast of the ramp 0 100 200 255 spans its extremes.
    expect([ch[1].min, ch[1].max]).toEqual([0, 255]);
  });

  it('an 8-bit colour (RGB) image shows in its own colours: red, green and blue over 0–255 whatever each holds', () => {
    // The red of a JPEG of green neurites: its faint chroma, 0–14. Stretched, it painted them white.
    const ghost = computeHistogram(new Uint8Array([0, 0, 7, 14]), 'uint', 8);
    const empty = computeHistogram(new Uint8Array(4), 'uint', 8);
    const rgb = openingChannels(info({ format: 'jpeg', channels: 3, samplesPerPixel: 3 }), [ghost, hist, empty], null);
    expect(rgb.map((c) => [c.color, c.min, c.max])).toEqual([['red', 0, 255], ['green', 0, 255], ['blue', 0, 255]]);
    // Three channels of one sample each (an ImageJ composite of stains) are stretched one by one, as before.
    const stains = openingChannels(info({ channels: 3 }), [ghost, hist, empty], null);
    expect(stains.map((c) => [c.min, c.max])).toEqual([[0, 14], [0, 255], [0, 0]]);
    // So are four samples of data per pixel (a TIFF's unspecified extra sample; an alpha is dropped on decode), and
    // a 16-bit colour image (48-bit RGB: its samples rarely fill 0–65535).
    expect(openingChannels(info({ channels: 4, samplesPerPixel: 4 }), [ghost, hist, empty, empty], null)[0]).toMatchObject({ min: 0, max: 14 });
    expect(openingChannels(info({ channels: 3, samplesPerPixel: 3, bitsPerSample: 16 }), [ghost, hist, empty], null)[0]).toMatchObject({ min: 0, max: 14 });
  });

  it("channels the file names without colours open in the colour of their light: a plate's DAPI blue, its FITC green", () => {
    const colours = (channelNames: string[], channelColors?: string[]) => openingChannels(info({ channels: channelNames.length, channelNames, channelColors }), channelNames.map(() => hist), null).map((c) => c.color);
    expect(colours(['DAPI & Hoechst', 'FITC 488'])).toEqual(['blue', 'green']);
    expect(colours(['FITC 488', 'DAPI & Hoechst'])).toEqual(['green', 'blue']);
    expect(colours(['MAP2-647', 'Hoechst 33342', 'GFAP-568'])).toEqual(['magenta', 'blue', 'red']);
    // Names that say no colour keep the cycle, skipping a colour a named channel took.
    expect(colours(['MAP2', 'FITC'])).toEqual(['magenta', 'green']);
    expect(colours(['MAP2', 'GFAP'])).toEqual(['green', 'magenta']);
    // The file's own colours come first (ImageJ's LUTs, OME's Color).
    expect(colours(['DAPI', 'FITC'], ['#ff0000', '#00ffff'])).toEqual(['red', 'cyan']);
    // One channel opens grey, whatever its name.
    expect(colours(['DAPI'])).toEqual(['grey']);
  });

  it("the project's shared display replaces range and colour when it has one entry per channel", () => {
    const shared = [
      { min: 1, max: 2, color: '#FF0000' },
      { min: 3, max: 4, color: '#123456' },
    ];
    const ch = openingChannels(info({}), [hist, hist], shared);
    expect(ch.map((c) => [c.color, c.min, c.max])).toEqual([
      ['red', 1, 2],
      // A colour with no name keeps the channel's own tint.
      ['magenta', 3, 4],
    ]);
    // A shared display for another number of channels is not applied.
    expect(openingChannels(info({ channels: 1 }), [hist], shared)[0]).toMatchObject({ color: 'grey', min: 0, max: 255 });
    expect(colorName('#00ffff')).toBe('cyan');
    expect(compositeDisplays(ch)[0]).toMatchObject({ visible: true, rgb: [255, 0, 0], min: 1, max: 2 });
  });

  it('a thin stack opens on its projection, a thick one on its middle slice', () => {
    // Dark background (the middle slice's median, 1, lies near its bottom): the brightest slice per pixel.
    const planes = [new Uint8Array([1, 9, 3, 4]), new Uint8Array([1, 0, 7, 1]), new Uint8Array([0, 0, 8, 1])];
    const image = (slices: number): DecodedImage => ({ info: info({ channels: 1, slices }), planes: planes.slice(0, slices), pageStats: [] }) as DecodedImage;
    expect([...openingPlanes(image(3))[0]]).toEqual([1, 9, 8, 4]);
    const five = { info: info({ channels: 1, slices: 5 }), planes: [...planes, planes[0], planes[1]], pageStats: [] } as unknown as DecodedImage;
    expect([...openingPlanes(five)[0]]).toEqual([0, 0, 8, 1]);
    // Bright background (dark neurites, as in transmitted light or an inverted export): the darkest slice per pixel,
    // so the neurite stays (a maximum would give the background, 250, everywhere).
    const bright = [new Uint8Array([250, 40, 250, 250]), new Uint8Array([250, 250, 250, 30]), new Uint8Array([250, 250, 60, 250])];
    expect([...openingPlanes({ info: info({ channels: 1, slices: 3 }), planes: bright, pageStats: [] } as unknown as DecodedImage)[0]]).toEqual([250, 40, 60, 30]);
  });
});
