/**
 * Random access to a file's bytes, so a large image is read where it is needed instead of whole: a file handle in
 * Node (electron/services/file-source.ts), HTTP range requests in the renderer (renderer/src/workers/http-source.ts),
 * or bytes already in memory.
 */
export interface ByteSource {
  /** Length of the file in bytes. */
  readonly size: number;
  /** Bytes [offset, offset + length), clipped at the end of the file (shorter only there). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A ByteSource over bytes already in memory (reads are views, not copies). */
export function memorySource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: async (offset, length) => bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  };
}

/**
 * Serves small reads (IFDs and tag values, a few bytes each) from aligned chunks read once, so walking a TIFF's
 * directory costs a few reads of the underlying source instead of one per tag. Large reads pass straight through.
 */
export function chunkedSource(src: ByteSource, chunkBytes = 64 * 1024, maxChunks = 32): ByteSource {
  const chunks = new Map<number, Promise<Uint8Array>>();
  const chunk = (k: number): Promise<Uint8Array> => {
    let c = chunks.get(k);
    if (c) {
      chunks.delete(k); // re-inserted below: Map order is the LRU order
    } else {
      c = src.read(k * chunkBytes, chunkBytes);
      if (chunks.size >= maxChunks) chunks.delete(chunks.keys().next().value as number);
    }
    chunks.set(k, c);
    return c;
  };
  return {
    size: src.size,
    read: async (offset, length) => {
      const end = Math.min(offset + length, src.size);
      if (end <= offset) return new Uint8Array(0);
      if (end - offset > chunkBytes) return src.read(offset, end - offset);
      const first = Math.floor(offset / chunkBytes);
      const last = Math.floor((end - 1) / chunkBytes);
      if (first === last) return (await chunk(first)).subarray(offset - first * chunkBytes, end - first * chunkBytes);
      const out = new Uint8Array(end - offset);
      for (let k = first; k <= last; k++) {
        const c = await chunk(k);
        const from = Math.max(offset, k * chunkBytes);
        const to = Math.min(end, (k + 1) * chunkBytes);
        out.set(c.subarray(from - k * chunkBytes, to - k * chunkBytes), from - offset);
      }
      return out;
    },
  };
}
