import { type ByteSource, memorySource } from '../../../shared/formats/tiff/byte-source';
import { RamifyError } from '../../../shared/result';

const FIRST_READ = 64 * 1024;

/**
 * A ByteSource over HTTP range requests to main's file server, so the image worker reads a huge TIFF's strips or
 * tiles when it needs them. If the server answers the first request with the whole file (no range support), the
 * bytes in hand are used instead.
 */
export async function openHttpSource(url: string): Promise<ByteSource> {
  const res = await fetch(url, { headers: { range: `bytes=0-${FIRST_READ - 1}` } });
  if (!res.ok) throw new RamifyError('io', (await res.text()) || `Could not read the file (${res.status}).`);
  const head = new Uint8Array(await res.arrayBuffer());
  const total = res.status === 206 ? Number(/\/(\d+)$/.exec(res.headers.get('content-range') ?? '')?.[1]) : NaN;
  if (!Number.isFinite(total)) return memorySource(head);
  return {
    size: total,
    read: async (offset, length) => {
      const end = Math.min(offset + length, total);
      if (end <= offset) return new Uint8Array(0);
      if (end <= head.length) return head.subarray(offset, end);
      const r = await fetch(url, { headers: { range: `bytes=${offset}-${end - 1}` } });
      if (r.status !== 206) throw new RamifyError('io', `Could not read bytes ${offset}–${end} of the file (${r.status}${r.ok ? ': the file server ignored the range' : ''}).`);
      const got = new Uint8Array(await r.arrayBuffer());
      if (got.length !== end - offset) throw new RamifyError('io', 'The file changed while it was being read.');
      return got;
    },
  };
}
