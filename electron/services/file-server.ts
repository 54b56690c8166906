import { readFile } from 'node:fs/promises';
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

/** Serves the bytes behind a handle; unknown handles get 404 with a readable message, nothing else is reachable. */
export async function serveHandle(handles: FileHandles, token: string): Promise<ServedFile> {
  try {
    const path = handles.pathOrThrow(token);
    const body = await readFile(path);
    return {
      status: 200,
      headers: {
        'content-type': path.toLowerCase().endsWith('.png') ? 'image/png' : 'application/octet-stream',
        'content-length': String(body.byteLength),
        'access-control-allow-origin': '*',
        'cache-control': 'no-store',
      },
      body,
    };
  } catch (e) {
    return {
      status: 404,
      headers: { 'content-type': 'text/plain; charset=utf-8', 'access-control-allow-origin': '*' },
      body: new TextEncoder().encode(toAppError(e).message),
    };
  }
}

/** Extracts the handle from a served URL, or undefined. */
export function handleFromUrl(url: string): string | undefined {
  const u = new URL(url);
  const path = u.host === 'file' && u.protocol === 'ramify-file:' ? u.pathname.slice(1) : u.pathname.startsWith(FILE_URL_PREFIX) ? u.pathname.slice(FILE_URL_PREFIX.length) : undefined;
  return path && /^[0-9a-f-]{36}$/.test(path) ? path : undefined;
}
