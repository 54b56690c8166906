import { unescapeXml } from '../text/xml';
import { rgbHex } from './types';

/** The parts of OME-XML (in a TIFF's first ImageDescription) that Ramify uses: the first image's shape and pixel size. */
export interface OmePixels {
  sizeC: number;
  sizeZ: number;
  sizeT: number;
  /** e.g. 'XYCZT': the first letter after XY varies fastest across IFDs. */
  dimensionOrder: string;
  /** Samples per pixel of the first channel (RGB OME-TIFFs store 3-sample pages). */
  samplesPerPixel: number;
  physicalSizeX?: { value: number; unit: string };
  physicalSizeY?: { value: number; unit: string };
  physicalSizeZ?: { value: number; unit: string };
  /**
   * Each channel's display colour ('#rrggbb'), when every channel of one sample has one: OME's Color is a signed
   * 32-bit RGBA (-16776961 = 0xff0000ff, red); its default -1 (white) and a colour with alpha 0 are none (the 2010
   * schema's writers put -2147483648 there).
   */
  colors?: string[];
  /** Each channel's name (a dye or a marker: "MAP2", "DAPI"), when every channel has one. */
  names?: string[];
  /** Explicit IFD → (c, z, t) mapping from TiffData elements, when every element gives it. */
  tiffData?: Array<{ ifd: number; c: number; z: number; t: number; planeCount: number }>;
}

const attrs = (text: string): Map<string, string> => {
  const m = new Map<string, string>();
  for (const a of text.matchAll(/([\w:]+)\s*=\s*"([^"]*)"/g)) m.set(a[1].replace(/^\w+:/, ''), a[2]);
  return m;
};

const positiveInt = (s: string | undefined): number => {
  const n = s === undefined ? NaN : Number(s);
  return Number.isInteger(n) && n >= 1 ? n : 1;
};

/** Parses the first <Image>'s <Pixels> of an OME-XML text; null when the text is not OME-XML. */
export function parseOmeXml(text: string): OmePixels | null {
  if (!/<(\w+:)?OME[\s>]/.test(text)) return null;
  const pixelsMatch = /<(?:\w+:)?Pixels\b([^>]*)>/.exec(text);
  if (!pixelsMatch) return null;
  const a = attrs(pixelsMatch[1]);
  const physical = (axis: 'X' | 'Y' | 'Z') => {
    const v = Number(a.get(`PhysicalSize${axis}`));
    return Number.isFinite(v) && v > 0 ? { value: v, unit: a.get(`PhysicalSize${axis}Unit`) ?? 'µm' } : undefined;
  };
  // Only the first image's Pixels element: stop at its closing tag so later series do not leak in.
  const start = pixelsMatch.index;
  const close = text.indexOf('Pixels>', start + pixelsMatch[0].length);
  const body = text.slice(start, close < 0 ? text.length : close);
  const channels = [...body.matchAll(/<(?:\w+:)?Channel\b([^>]*)>/g)].map((c) => attrs(c[1]));
  const spp = channels.length > 0 ? positiveInt(channels[0].get('SamplesPerPixel')) : 1;
  const tiffData: NonNullable<OmePixels['tiffData']> = [];
  let explicit = true;
  for (const td of body.matchAll(/<(?:\w+:)?TiffData\b([^>]*)>/g)) {
    const t = attrs(td[1]);
    if (!t.has('IFD') || t.has('UUID')) explicit = false;
    tiffData.push({ ifd: Number(t.get('IFD') ?? 0), c: Number(t.get('FirstC') ?? 0), z: Number(t.get('FirstZ') ?? 0), t: Number(t.get('FirstT') ?? 0), planeCount: Number(t.get('PlaneCount') ?? (t.has('IFD') ? 1 : NaN)) });
  }
  return {
    sizeC: positiveInt(a.get('SizeC')),
    sizeZ: positiveInt(a.get('SizeZ')),
    sizeT: positiveInt(a.get('SizeT')),
    dimensionOrder: /^XY[CZT]{3}$/.test(a.get('DimensionOrder') ?? '') ? (a.get('DimensionOrder') as string) : 'XYCZT',
    samplesPerPixel: spp,
    physicalSizeX: physical('X'),
    physicalSizeY: physical('Y'),
    physicalSizeZ: physical('Z'),
    colors: spp === 1 ? channelColors(channels) : undefined,
    names: channels.length > 0 && channels.every((c) => c.get('Name')?.trim()) ? channels.map((c) => unescapeXml(c.get('Name')!.trim())) : undefined,
    tiffData: explicit && tiffData.length > 0 && tiffData.every((d) => Number.isInteger(d.ifd) && d.planeCount === 1) ? tiffData : undefined,
  };
}

function channelColors(channels: ReadonlyArray<Map<string, string>>): string[] | undefined {
  const colors = channels.map((c) => {
    const v = Number(c.get('Color'));
    // -1 (white) is the schema's default: no colour chosen.
    if (!Number.isInteger(v) || v === -1 || (v & 0xff) === 0) return null;
    return rgbHex([(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff]);
  });
  return colors.length > 0 && colors.every((c) => c !== null) ? (colors as string[]) : undefined;
}

/** (c, z, t) of the n-th plane stored in DimensionOrder. */
export function omePlaneCoords(order: string, n: number, sizes: { c: number; z: number; t: number }): { c: number; z: number; t: number } {
  const axes = order.slice(2).toLowerCase().split('') as Array<'c' | 'z' | 't'>;
  const out = { c: 0, z: 0, t: 0 };
  let rest = n;
  for (const ax of axes) {
    out[ax] = rest % sizes[ax];
    rest = Math.floor(rest / sizes[ax]);
  }
  return out;
}
