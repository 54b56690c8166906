import { open, readFile } from 'node:fs/promises';
import { toAppError } from '../../shared/result';
import type { FileHandles } from './file-handles';

/** Image bytes travel by URL (a custom protocol in Electron, a routed URL in tests), never over IPC. */
export interface ServedFile {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The URL path segment that carries a handle: `<base>/<handle>`. */
export const FILE_URL_PREFIX = '/__file/';

/**
 * Serves the bytes behind a handle; unknown handles get 404 with a readable message, nothing else is reachable.
 * A `range` header (`bytes=a-b`, one range) gets 206 with just those bytes, so the image worker can read a huge
 * file's strips or tiles on demand instead of the whole file.
 */
export async function serveHandle(handles: FileHandles, token: string, range?: string | null): Promise<ServedFile> {
  try {
    const path = handles.pathOrThrow(token);
    const type = path.toLowerCase().endsWith('.png') ? 'image/png' : 'application/octet-stream';
    const common = { 'content-type': type, 'accept-ranges': 'bytes', 'access-control-allow-origin': '*', 'access-control-expose-headers': 'content-range, content-length', 'cache-control': 'no-store' };
    const wanted = range ? /^bytes=(\d+)-(\d*)$/.exec(range.trim()) : null;
    if (wanted) return await serveRange(path, Number(wanted[1]), wanted[2] === '' ? Infinity : Number(wanted[2]), common);
    const body = await readFile(path);
    return { status: 200, headers: { ...common, 'content-length': String(body.byteLength) }, body };
  } catch (e) {
    return {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'access-control-allow-origin': '*' },
      body: new TextEncoder().encode(toAppError(e).message),
    };
  }
}

async function serveRange(path: string, first: number, last: number, headers: Record<string, string>): Promise<ServedFile> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    if (first >= size) return { status: 416, headers: { ...headers, 'content-range': `bytes */${size}` }, body: new Uint8Array(0) };
    const end = Math.min(last, size - 1);
    const body = new Uint8Array(end - first + 1);
    let at = 0;
    while (at < body.length) {
      const { bytesRead } = await fh.read(body, at, body.length - at, first + at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return { status: 206, headers: { ...headers, 'content-length': String(at), 'content-range': `bytes ${first}-${first + at - 1}/${size}` }, body: body.subarray(0, at) };
  } finally {
    await fh.close();
  }
}

/** Extracts the handle from a served URL, or undefined. */
export function handleFromUrl(url: string): string | undefined {
  const u = new URL(url);
  const path = u.host === 'file' && u.protocol === 'ramify-file:' ? u.pathname.slice(1) : u.pathname.startsWith(FILE_URL_PREFIX) ? u.pathname.slice(FILE_URL_PREFIX.length) : undefined;
  return path && /^[0-9a-f-]{36}$/.test(path) ? path : undefined;
}
