import { RamifyError } from '../result';

/**
 * Image files Ramify does not read, told by name with what to do instead: a lab's microscope writes its own format
 * (Zeiss CZI, Nikon ND2, Leica LIF, …), which Fiji's Bio-Formats reads and saves as a TIFF that keeps the
 * calibration; a picture format (GIF, BMP, WebP) is saved as TIFF or PNG.
 */

interface OtherFormat {
  name: string;
  extensions: readonly string[];
  /** True when a file's first bytes are this format's. */
  magic?: (b: Uint8Array) => boolean;
  microscope: boolean;
}

const ascii = (b: Uint8Array, at: number, text: string) => b.length >= at + text.length && [...text].every((ch, i) => b[at + i] === ch.charCodeAt(0));
const bytesAt = (b: Uint8Array, at: number, values: readonly number[]) => b.length >= at + values.length && values.every((v, i) => b[at + i] === v);

const FORMATS: readonly OtherFormat[] = [
  { name: 'Zeiss CZI file', extensions: ['czi'], magic: (b) => ascii(b, 0, 'ZISRAWFILE'), microscope: true },
  { name: 'Nikon ND2 file', extensions: ['nd2'], magic: (b) => bytesAt(b, 0, [0xda, 0xce, 0xbe, 0x0a]), microscope: true },
  { name: 'Leica LIF file', extensions: ['lif'], magic: (b) => bytesAt(b, 0, [0x70, 0, 0, 0]) && b[8] === 0x2a, microscope: true },
  { name: 'Olympus OIB/Zeiss ZVI file', extensions: ['oib', 'zvi'], magic: (b) => bytesAt(b, 0, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), microscope: true },
  { name: 'Olympus OIF file', extensions: ['oif'], microscope: true },
  { name: 'Olympus VSI file', extensions: ['vsi'], microscope: true },
  { name: 'Imaris IMS file', extensions: ['ims'], magic: (b) => bytesAt(b, 0, [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), microscope: true },
  { name: 'DeltaVision file', extensions: ['dv', 'r3d'], microscope: true },
  // A TIFF by its first bytes, but its planes are laid out as no other TIFF's: told by its name only.
  { name: 'MetaMorph STK stack', extensions: ['stk'], microscope: true },
  { name: 'JPEG 2000 image', extensions: ['jp2', 'j2k', 'jpx'], magic: (b) => bytesAt(b, 0, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20]) || bytesAt(b, 0, [0xff, 0x4f, 0xff, 0x51]), microscope: false },
  { name: 'GIF image', extensions: ['gif'], magic: (b) => ascii(b, 0, 'GIF8'), microscope: false },
  // 'BM', then the file size and two reserved words, which are 0.
  { name: 'BMP image', extensions: ['bmp'], magic: (b) => ascii(b, 0, 'BM') && bytesAt(b, 6, [0, 0, 0, 0]), microscope: false },
  { name: 'WebP image', extensions: ['webp'], magic: (b) => ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP'), microscope: false },
];

/** What a file of another format is, and what to do with it: "a Zeiss CZI file, which Ramify does not read (…)" and "Open it in Fiji …". */
export interface OtherFormatNote {
  what: string;
  advice: string;
}

const note = (f: OtherFormat): OtherFormatNote => ({
  what: `${/^[AEIOU]/.test(f.name) ? 'an' : 'a'} ${f.name}, which Ramify does not read (it reads TIFF, PNG and JPEG)`,
  advice: f.microscope ? 'Open it in Fiji (Bio-Formats) and save it as TIFF: its calibration comes along.' : 'Save it as TIFF or PNG.',
});

/** The note for a file whose first bytes are another image format's, or null. */
export function otherFormatByContent(bytes: Uint8Array): OtherFormatNote | null {
  const f = FORMATS.find((x) => x.magic?.(bytes));
  return f ? note(f) : null;
}

/**
 * MetaXpress (the ImageXpress imagers) saves beside each image `<plate>_<well>_s<site>_w<wavelength><GUID>.tif` a
 * reduced copy named `…_w<wavelength>_thumb<GUID>.tif`: no image to trace, and a project of a plate would hold each
 * field twice.
 */
const METAXPRESS_THUMBNAIL = /_w\d+_thumb[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tiff?$/i;

/** The note for an image file that is a reduced copy of another (a MetaXpress thumbnail), told by its name; or null. */
export function reducedCopyByName(name: string): OtherFormatNote | null {
  if (!METAXPRESS_THUMBNAIL.test(name)) return null;
  return { what: 'a MetaXpress thumbnail (the reduced copy saved beside each image)', advice: 'The full-size image beside it is the one to trace.' };
}

/** The note for a MetaMorph STK stack, a TIFF by its first bytes told by its UIC2 record (formats/tiff/decode.ts). */
export const metaMorphStack = (): OtherFormatNote => note(FORMATS.find((f) => f.extensions.includes('stk'))!);

/** The error a file of another format is refused with: "A Zeiss CZI file, which Ramify does not read (…). Open it …". */
export const otherFormatError = (n: OtherFormatNote): RamifyError => new RamifyError('unsupported-format', `${n.what[0].toUpperCase()}${n.what.slice(1)}. ${n.advice}`);

/** The note for a file name whose extension is another image format's, or null. */
export function otherFormatByName(name: string): OtherFormatNote | null {
  const ext = name.split('.').pop()?.toLowerCase() ?? '';
  const f = FORMATS.find((x) => x.extensions.includes(ext));
  return f ? note(f) : null;
}
