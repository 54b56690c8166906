import { type ByteSource, chunkedSource } from './byte-source';
import { type Ifd, type IfdEntry, type TiffStructure, MAX_IFDS, corrupt, readTiffHeaderBytes, readU64, truncatedTiff } from './ifd';
import { TYPE_SIZE } from './tags';

/** Tag values beyond this (all tags of all pages together) are not metadata any reader needs. */
const MAX_TAG_BYTES = 256 * 1024 * 1024;

/**
 * parseTiffStructure for a file read by ranges: walks the same IFD chain with the same checks, reading only the
 * directories and the tag values. The result's `bytes` hold those, end to end, with each entry's dataOffset
 * rewritten to point into them; `fileSize` is the file's length, and pixel data stays in the file.
 */
export async function parseTiffStructureFrom(source: ByteSource, maxIfds = MAX_IFDS): Promise<TiffStructure> {
  const src = chunkedSource(source);
  const len = src.size;
  const { littleEndian, bigTiff, first } = readTiffHeaderBytes(await src.read(0, 16), len);

  const parts: Uint8Array[] = [];
  let compactLength = 0;
  const keep = (bytes: Uint8Array): number => {
    const at = compactLength;
    parts.push(bytes);
    compactLength += bytes.length;
    return at;
  };
  const ifds: Ifd[] = [];
  const seen = new Set<number>();
  const entrySize = bigTiff ? 20 : 12;
  const countSize = bigTiff ? 8 : 2;
  const inlineSize = bigTiff ? 8 : 4;
  let tagBytes = 0;
  let at = first;
  while (at !== 0) {
    if (seen.has(at)) break;
    if (at + countSize > len || at < 8) {
      if (ifds.length === 0) {
        if (at < 8) throw corrupt(`the first IFD offset ${at} points into the header`);
        if (len * 1000 >= at + countSize) throw truncatedTiff(len, at + countSize);
        throw corrupt(`the first IFD offset ${at} lies far outside the ${len}-byte file; this is not a TIFF image`);
      }
      break;
    }
    if (ifds.length >= maxIfds) throw corrupt(`more than ${maxIfds} pages`);
    seen.add(at);
    const countBytes = await src.read(at, countSize);
    const cv = new DataView(countBytes.buffer, countBytes.byteOffset, countBytes.byteLength);
    const n = bigTiff ? readU64(cv, 0, littleEndian) : cv.getUint16(0, littleEndian);
    const tableEnd = at + countSize + n * entrySize;
    if (tableEnd > len) {
      if (ifds.length === 0) throw truncatedTiff(len, tableEnd);
      break;
    }
    const table = await src.read(at + countSize, n * entrySize + (bigTiff ? 8 : 4));
    const tv = new DataView(table.buffer, table.byteOffset, table.byteLength);
    const tableAt = keep(table.slice(0, n * entrySize));
    const entries = new Map<number, IfdEntry>();
    for (let i = 0; i < n; i++) {
      const e = i * entrySize;
      const tag = tv.getUint16(e, littleEndian);
      const type = tv.getUint16(e + 2, littleEndian);
      const count = bigTiff ? readU64(tv, e + 4, littleEndian) : tv.getUint32(e + 4, littleEndian);
      const size = TYPE_SIZE[type] ?? 0;
      if (size === 0) continue;
      const total = size * count;
      const valueAt = e + 4 + (bigTiff ? 8 : 4);
      if (total <= inlineSize) {
        entries.set(tag, { type, count, dataOffset: tableAt + valueAt });
        continue;
      }
      const dataOffset = bigTiff ? readU64(tv, valueAt, littleEndian) : tv.getUint32(valueAt, littleEndian);
      if (dataOffset + total > len) {
        entries.set(tag, { type, count: -1, dataOffset });
        continue;
      }
      tagBytes += total;
      if (tagBytes > MAX_TAG_BYTES) throw corrupt(`its tags hold more than ${MAX_TAG_BYTES >> 20} MiB`);
      entries.set(tag, { type, count, dataOffset: keep((await src.read(dataOffset, total)).slice()) });
    }
    ifds.push({ offset: at, entries });
    const nextAt = n * entrySize;
    at = bigTiff ? (table.length >= nextAt + 8 ? readU64(tv, nextAt, littleEndian) : 0) : table.length >= nextAt + 4 ? tv.getUint32(nextAt, littleEndian) : 0;
  }
  if (ifds.length === 0) throw corrupt('it contains no image directory');
  const bytes = new Uint8Array(compactLength);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return { bytes, fileSize: len, view: new DataView(bytes.buffer), littleEndian, bigTiff, ifds };
}
