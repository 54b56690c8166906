import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../../shared/formats/tiff/byte-source';

/** A ByteSource over an open file: positional reads, so only the parts asked for are ever in memory. */
export async function openFileSource(path: string): Promise<ByteSource & { close(): Promise<void> }> {
  const fh: FileHandle = await open(path, 'r');
  const st = await fh.stat();
  if (!st.isFile()) {
    await fh.close();
    throw new Error('not a regular file');
  }
  const size = st.size;
  return {
    size,
    read: async (offset, length) => {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = new Uint8Array(n);
      let at = 0;
      while (at < n) {
        const { bytesRead } = await fh.read(buf, at, n - at, offset + at);
        if (bytesRead === 0) break; // the file shrank while being read
        at += bytesRead;
      }
      return at === n ? buf : buf.subarray(0, at);
    },
    close: () => fh.close(),
  };
}
