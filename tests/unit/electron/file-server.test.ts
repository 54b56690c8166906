import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileHandles } from '../../../electron/services/file-handles';
import { serveHandle } from '../../../electron/services/file-server';

// The image worker reads huge TIFFs by HTTP range requests; the file server must answer them with exactly the bytes
// asked for.
describe('file server byte ranges', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ramify-serve-'));
  const path = join(dir, 'x.tif');
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i & 255);
  writeFileSync(path, bytes);
  const handles = new FileHandles();
  const token = handles.register(path);

  it('no range: the whole file, 200', async () => {
    const r = await serveHandle(handles, token);
    expect(r.status).toBe(200);
    expect([...r.body]).toEqual([...bytes]);
    expect(r.headers['accept-ranges']).toBe('bytes');
  });

  it('bytes=10-19: those ten bytes, 206, with the total in Content-Range', async () => {
    const r = await serveHandle(handles, token, 'bytes=10-19');
    expect(r.status).toBe(206);
    expect([...r.body]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(r.headers['content-range']).toBe('bytes 10-19/1000');
    expect(r.headers['content-length']).toBe('10');
  });

  it('an open or overlong range stops at the end of the file; past the end is 416', async () => {
    const open = await serveHandle(handles, token, 'bytes=995-');
    expect([...open.body]).toEqual([995 & 255, 996 & 255, 997 & 255, 998 & 255, 999 & 255]);
    expect(open.headers['content-range']).toBe('bytes 995-999/1000');
    expect((await serveHandle(handles, token, 'bytes=990-5000')).body.length).toBe(10);
    const past = await serveHandle(handles, token, 'bytes=1000-1001');
    expect(past.status).toBe(416);
    expect(past.headers['content-range']).toBe('bytes */1000');
  });

  it('an unknown handle is still 404 with a range', async () => {
    expect((await serveHandle(handles, '00000000-0000-0000-0000-000000000000', 'bytes=0-1')).status).toBe(404);
  });
});
