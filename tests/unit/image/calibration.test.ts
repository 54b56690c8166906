import { describe, expect, it } from 'vitest';
import { isPrintResolution, micrometresPerUnit, pixelSizeFromResolution, tiffCalibration } from '../../../shared/image/calibration';
import { tracingPixelSize } from '../../../shared/tracing/auto/pixel-size';
import { parseImagejDescription } from '../../../shared/image/imagej';
import { omePlaneCoords, parseOmeXml } from '../../../shared/image/ome';

describe('micrometresPerUnit', () => {
  it.each([
    ['micron', 1], ['µm', 1], ['um', 1], ['\\u00B5m', 1], ['\u03bcm', 1], ['microns', 1], ['micrometer', 1],
    ['nm', 0.001], ['mm', 1000], ['cm', 10000], ['inch', 25400],
  ])('%s → %d µm', (unit, f) => expect(micrometresPerUnit(unit as string)).toBe(f));
  it('pixel and unknown units are not calibrations', () => {
    expect(micrometresPerUnit('pixel')).toBeNull();
    expect(micrometresPerUnit('sec')).toBeNull();
  });
});

describe('tiffCalibration', () => {
  const ij = (s: string) => parseImagejDescription(s);
  it('ImageJ: pixel size is 1/XResolution in the description unit', () => {
    expect(tiffCalibration({ imagej: ij('ImageJ=1.54f\nunit=nm\nspacing=200\n'), ome: null, xResolution: 0.01, yResolution: 0.02, resolutionUnit: 1 })).toEqual({ pixelWidth: 0.1, pixelHeight: 0.05, voxelDepth: 0.2, unit: 'µm', source: 'imagej' });
  });
  it('ImageJ without a unit falls through to resolution tags', () => {
    expect(tiffCalibration({ imagej: ij('ImageJ=1.54f\nimages=1\n'), ome: null, xResolution: 10, yResolution: 10, resolutionUnit: 3 })).toEqual({ pixelWidth: 1000, pixelHeight: 1000, unit: 'µm', source: 'resolution' });
  });
  it('OME PhysicalSize with units', () => {
    const ome = parseOmeXml('<OME><Image><Pixels DimensionOrder="XYZCT" SizeC="2" SizeZ="3" SizeT="1" PhysicalSizeX="650" PhysicalSizeXUnit="nm" PhysicalSizeY="0.7" PhysicalSizeZ="0.002" PhysicalSizeZUnit="mm"><Channel SamplesPerPixel="1"/></Pixels></Image></OME>');
    expect(ome).toMatchObject({ sizeC: 2, sizeZ: 3, sizeT: 1, dimensionOrder: 'XYZCT', samplesPerPixel: 1 });
    expect(tiffCalibration({ imagej: null, ome, resolutionUnit: 1 })).toEqual({ pixelWidth: 0.65, pixelHeight: 0.7, voxelDepth: 2, unit: 'µm', source: 'ome' });
  });
  it('resolution tags: inch and cm; none, zero or missing are ignored', () => {
    expect(tiffCalibration({ imagej: null, ome: null, xResolution: 25400, yResolution: 12700, resolutionUnit: 2 })).toEqual({ pixelWidth: 1, pixelHeight: 2, unit: 'µm', source: 'resolution' });
    expect(tiffCalibration({ imagej: null, ome: null, xResolution: 72, yResolution: 72, resolutionUnit: 1 })).toBeNull();
    expect(tiffCalibration({ imagej: null, ome: null, xResolution: 0, yResolution: 0, resolutionUnit: 3 })).toBeNull();
    expect(tiffCalibration({ imagej: null, ome: null, resolutionUnit: 2 })).toBeNull();
  });
  it('OME dimension order: XYZCT puts z fastest', () => {
    expect(omePlaneCoords('XYZCT', 7, { c: 2, z: 5, t: 5 })).toEqual({ c: 1, z: 2, t: 0 });
    expect(omePlaneCoords('XYCZT', 7, { c: 2, z: 5, t: 5 })).toEqual({ c: 1, z: 3, t: 0 });
    expect(omePlaneCoords('XYTCZ', 11, { c: 2, z: 5, t: 5 })).toEqual({ t: 1, c: 0, z: 1 });
  });
  it('non-OME text is not OME', () => expect(parseOmeXml('<xml><Pixels SizeC="2"/></xml>')).toBeNull());
});

describe('pixel size from a resolution rational, as written', () => {
  const ij = (s: string) => parseImagejDescription(s);
  // Hand-worked: 1/0.325 = 3.0769230769…; ImageJ truncates 1/pixelWidth to 6 decimals → 3076923/1000000, whose
  // reciprocal is 0.32500000325; a float32 of 1/0.325 is 3.07692313194274902 (reciprocal 0.3249999941…).
  it('ImageJ 6-decimal rationals give the typed pixel size (0.325, 0.3, 0.06, 0.835)', () => {
    expect(pixelSizeFromResolution(3076923 / 1e6, 1, 1e6)).toBe(0.325);
    expect(pixelSizeFromResolution(3333333 / 1e6, 1, 1e6)).toBe(0.3);
    expect(pixelSizeFromResolution(16666666 / 1e6, 1, 1e6)).toBe(0.06);
    expect(pixelSizeFromResolution(1197604 / 1e6, 1, 1e6)).toBe(0.835);
  });
  it('a float32 stored as a rational gives the decimal of that float32', () => {
    expect(pixelSizeFromResolution(Math.fround(1 / 0.325), 1, 16777216)).toBe(0.325);
    expect(pixelSizeFromResolution(Math.fround(1 / 0.325))).toBe(0.325);
  });
  it('typed resolutions stay exact: 72 dpi is 25400/72 µm, 118.11 px/cm is 10000/118.11 µm, 13/40 is 0.325 exactly', () => {
    expect(pixelSizeFromResolution(72, 25400, 1)).toBe(25400 / 72);
    expect(pixelSizeFromResolution(720000 / 10000, 25400, 10000)).toBe(25400 / 72);
    expect(pixelSizeFromResolution(11811 / 100, 10000, 100)).toBe(10000 / 118.11);
    expect(pixelSizeFromResolution(40 / 13, 1, 13)).toBe(0.325);
  });
  it('the sample image and SpotSpine: ImageJ calibrations read as typed', () => {
    const cal = tiffCalibration({ imagej: ij('ImageJ=1.54f\nunit=micron\nspacing=0.21\n'), ome: null, xResolution: 16666666 / 1e6, yResolution: 16666666 / 1e6, xResolutionDenominator: 1e6, yResolutionDenominator: 1e6, resolutionUnit: 1 });
    expect(cal).toEqual({ pixelWidth: 0.06, pixelHeight: 0.06, voxelDepth: 0.21, unit: 'µm', source: 'imagej' });
  });
});

describe('print resolutions (72 dpi and the like) are no microscope pixel size for the tracer', () => {
  const tags = (dpi: number, unit: 2 | 3) => tiffCalibration({ imagej: null, ome: null, xResolution: dpi, yResolution: dpi, resolutionUnit: unit });
  it.each([
    [72, 2, 25400 / 72, true],
    [300, 2, 25400 / 300, true],
    [2540, 2, 10, true],
    [3000, 3, 10000 / 3000, false],
    [10000 / 0.325, 3, 0.325, false],
  ] as const)('%d px per resolution unit %d: %d µm, print %s', (res, unit, um, print) => {
    const cal = tags(res, unit);
    expect(cal?.pixelWidth).toBeCloseTo(um, 12);
    expect(isPrintResolution(cal)).toBe(print);
    expect(tracingPixelSize(cal)).toBe(print ? null : cal?.pixelWidth);
  });
  it('a pixel size stated in µm (ImageJ, OME, by hand) is taken as it is, however large', () => {
    const big = { pixelWidth: 400, pixelHeight: 400, unit: 'µm', source: 'imagej' } as const;
    expect(isPrintResolution(big)).toBe(false);
    expect(tracingPixelSize(big)).toBe(400);
    expect(tracingPixelSize({ ...big, source: 'user' })).toBe(400);
    expect(tracingPixelSize(null)).toBeNull();
  });
});
