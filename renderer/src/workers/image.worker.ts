/// <reference lib="webworker" />
import { renderComposite } from '../../../shared/display/composite';
import { zProjection } from '../../../shared/image/projection';
import { brightBackground } from '../../../shared/tracing/auto/signal';
import { computeHistogram } from '../../../shared/display/histogram';
import { cropPlane } from '../../../shared/display/pyramid';
import { PARALLEL_MIN_BYTES } from '../../../shared/formats/tiff/decode-parallel';
import { lzwWasmAvailable } from '../../../shared/formats/tiff/lzw-wasm';
import { decodeImage, decodeImageParallel, sniffFormat } from '../../../shared/image/decode';
import { BrowserDecodePool } from './decode-pool';
import { openHttpSource } from './http-source';
import { TiledImage } from './tiled-image';
import { isTiff } from '../../../shared/formats/tiff/ifd';
import { planeIndex, type DecodedImage, type PixelArray } from '../../../shared/image/types';
import { toAppError, RamifyError } from '../../../shared/result';
import { depthMap, sampleDepths } from '../../../shared/tracing/auto/depth';
import type { ImageReply, ImageRequest, PlaneSelector, WorkerMessage } from './image-protocol';

// Decoding, statistics and compositing all happen here, so the UI thread only draws finished bitmaps.
declare const self: DedicatedWorkerGlobalScope;

let image: DecodedImage | null = null;
/** Set instead of `image` for TIFFs of TILED_FROM_PIXELS and more: read by ranges, never decoded whole. */
let tiled: TiledImage | null = null;
/** Strip decoders in nested workers: large TIFFs decode on every core (small ones stay on this thread). */
let decodePool: BrowserDecodePool | null = null;
const mipCache = new Map<string, PixelArray>();
/** Depth maps of the open stack by channel, frame and polarity: each is a pass over the stack, asked for again on every re-prune. */
const depthCache = new Map<string, Float32Array>();

const post = (m: WorkerMessage, transfer: Transferable[] = []) => self.postMessage(m, transfer);

async function fetchBytes(url: string, id: number): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new RamifyError('io', (await res.text()) || `Could not read the file (${res.status}).`);
  const total = Number(res.headers.get('content-length')) || 0;
  if (!res.body || !total) return new Uint8Array(await res.arrayBuffer());
  const out = new Uint8Array(total);
  const reader = res.body.getReader();
  let at = 0;
  let lastReport = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (at + value.length > total) throw new RamifyError('io', 'The file changed while it was being read.');
    out.set(value, at);
    at += value.length;
    if (at - lastReport > 4 << 20) {
      lastReport = at;
      post({ id, progress: { phase: 'reading', fraction: at / total } });
    }
  }
  return at === total ? out : out.subarray(0, at);
}

/** The planes for one view, one per channel (projections, image/projection.ts, are computed once per frame and cached). */
function viewPlanes(img: DecodedImage, v: PlaneSelector): PixelArray[] {
  const { channels, slices, frames } = img.info;
  const t = Math.min(Math.max(0, v.t), frames - 1);
  const z = Math.min(Math.max(0, v.z), slices - 1);
  const out: PixelArray[] = [];
  for (let c = 0; c < channels; c++) {
    if (!v.mip || slices === 1) {
      out.push(img.planes[planeIndex(img.info, c, z, t)]);
      continue;
    }
    const key = `${c}/${t}`;
    let p = mipCache.get(key);
    if (!p) {
      const stack: PixelArray[] = [];
      for (let zz = 0; zz < slices; zz++) stack.push(img.planes[planeIndex(img.info, c, zz, t)]);
      p = zProjection(stack, brightBackground(stack, img.info, img.info.width));
      mipCache.set(key, p);
    }
    out.push(p);
  }
  return out;
}

/**
 * Planes of this many pixels and more are shown tiled (TiledImage): decoding them whole would take 2 bytes per
 * pixel and sample, plus 8 for the composite and its bitmap, which for 8192² is far past the memory goal.
 */
const TILED_FROM_PIXELS = 2 ** 23;

/** Opens `url` as a TiledImage when it is a TIFF large enough and readable by bands; otherwise null. */
async function openTiled(url: string, fromPixels: number): Promise<TiledImage | null> {
  const source = await openHttpSource(url);
  if (source.size < 8 || !isTiff(await source.read(0, 4))) return null;
  let img: TiledImage;
  try {
    img = await TiledImage.open(source, decodePool);
  } catch {
    return null; // the whole-file decoder reads it, or says what is wrong with it
  }
  return img.info.width * img.info.height >= fromPixels ? img : null;
}

async function handle(id: number, req: ImageRequest): Promise<[ImageReply, Transferable[]]> {
  if (req.type === 'open') {
    image = null;
    tiled = null;
    mipCache.clear();
    depthCache.clear();
    const t0 = performance.now();
    try {
      decodePool ??= new BrowserDecodePool();
      decodePool.warm(); // workers boot while the file is fetched
    } catch {
      decodePool = null;
    }
    tiled = await openTiled(req.url, req.tiledFromPixels ?? TILED_FROM_PIXELS);
    if (tiled) {
      const info = tiled.info;
      return [{ type: 'open', value: { info, pageStats: [], bytes: 0, timings: { fetchMs: performance.now() - t0, decodeMs: 0 }, decodedWith: decodePool ? 'workers' : 'single', lzwKernel: lzwWasmAvailable() ? 'wasm' : 'js', tiled: true } }, []];
    }
    const bytes = await fetchBytes(req.url, id);
    const t1 = performance.now();
    post({ id, progress: { phase: 'decoding', fraction: 0 } });
    const onProgress = (fraction: number) => post({ id, progress: { phase: 'decoding', fraction } });
    let decoded: DecodedImage;
    let decodedWith: 'workers' | 'single' = decodePool && bytes.length >= PARALLEL_MIN_BYTES && sniffFormat(bytes) === 'tiff' ? 'workers' : 'single';
    try {
      decoded = await decodeImageParallel(bytes, decodePool, { onProgress, stats: false });
    } catch (e) {
      // A file's own faults are reported as they are; a failure of the worker machinery falls back to one thread.
      if (e instanceof RamifyError && e.code !== 'internal') throw e;
      decodePool = null;
      decodedWith = 'single';
      decoded = decodeImage(bytes, { onProgress, stats: false });
    }
    image = decoded;
    const t2 = performance.now();
    return [{ type: 'open', value: { info: decoded.info, pageStats: decoded.pageStats, bytes: bytes.length, timings: { fetchMs: t1 - t0, decodeMs: t2 - t1 }, decodedWith, lzwKernel: lzwWasmAvailable() ? 'wasm' : 'js', tiled: false } }, []];
  }
  if (tiled) return handleTiled(id, tiled, req);
  const img = image;
  if (!img) throw new RamifyError('no-image', 'No image is open.');
  const { width, height } = img.info;
  switch (req.type) {
    case 'renderRegion':
      throw new RamifyError('internal', 'Only tiled images are drawn by regions.');
    case 'render': {
      const rgba = new Uint8ClampedArray(width * height * 4);
      renderComposite(viewPlanes(img, req.view), req.displays, rgba);
      const bitmap = await createImageBitmap(new ImageData(rgba, width, height));
      return [{ type: 'render', value: bitmap }, [bitmap]];
    }
    case 'histograms': {
      const hs = viewPlanes(img, req.view).map((p) => computeHistogram(p, img.info.sampleFormat, img.info.bitsPerSample));
      return [{ type: 'histograms', value: hs }, hs.map((h) => h.counts.buffer)];
    }
    case 'probe': {
      const x = Math.floor(req.x);
      const y = Math.floor(req.y);
      if (x < 0 || y < 0 || x >= width || y >= height) return [{ type: 'probe', value: null }, []];
      return [{ type: 'probe', value: viewPlanes(img, req.view).map((p) => p[y * width + x]) }, []];
    }
    case 'plane': {
      const r = req.region ?? { x: 0, y: 0, width, height };
      const whole = viewPlanes(img, req.view)[req.channel];
      const data = req.region ? cropPlane(whole, width, r.x, r.y, r.width, r.height) : whole.slice();
      return [{ type: 'plane', value: { data, width: r.width, height: r.height } }, [data.buffer]];
    }
    case 'depths': {
      const t = Math.min(Math.max(0, req.view.t), img.info.frames - 1);
      const key = `${req.channel}/${t}/${req.brightBackground}`;
      let map = depthCache.get(key);
      if (!map) {
        const stack = Array.from({ length: img.info.slices }, (_, z) => img.planes[planeIndex(img.info, req.channel, z, t)]);
        map = depthMap(stack, width, height, req.brightBackground);
        depthCache.set(key, map);
      }
      const value = sampleDepths(map, width, height, req.points);
      return [{ type: 'depths', value }, [value.buffer]];
    }
  }
}

async function handleTiled(id: number, img: TiledImage, req: Exclude<ImageRequest, { type: 'open' }>): Promise<[ImageReply, Transferable[]]> {
  switch (req.type) {
    case 'render':
      throw new RamifyError('internal', 'A tiled image is drawn by regions (renderRegion).');
    case 'renderRegion': {
      const r = await img.render(req.view, req.displays, req.x, req.y, req.width, req.height, req.scale);
      const bitmap = await createImageBitmap(new ImageData(r.rgba, Math.max(1, r.pixelWidth), Math.max(1, r.pixelHeight)));
      return [{ type: 'renderRegion', value: { bitmap, region: r.region } }, [bitmap]];
    }
    case 'histograms': {
      const hs = req.preview ? await img.previewHistograms(req.view, req.preview) : await img.histograms(req.view, (fraction) => post({ id, progress: { phase: 'decoding', fraction } }));
      return [{ type: 'histograms', value: hs.map((h) => ({ ...h, counts: h.counts.slice() })) }, []];
    }
    case 'probe': {
      const x = Math.floor(req.x);
      const y = Math.floor(req.y);
      if (x < 0 || y < 0 || x >= img.info.width || y >= img.info.height) return [{ type: 'probe', value: null }, []];
      return [{ type: 'probe', value: await img.probe(req.view, x, y) }, []];
    }
    case 'plane': {
      const data = await img.plane(req.view, req.channel, req.region);
      return [{ type: 'plane', value: { data, width: req.region?.width ?? img.info.width, height: req.region?.height ?? img.info.height } }, [data.buffer]];
    }
    case 'depths':
      // A depth map holds several float planes of the image's size: past the tiling threshold that is gigabytes, so
      // a trace on a tiled stack's projection stays in slice 0 (autotrace-session says so).
      return [{ type: 'depths', value: new Float32Array(req.points.length / 2) }, []];
  }
}

self.onmessage = async (e: MessageEvent<{ id: number; req: ImageRequest }>) => {
  const { id, req } = e.data;
  try {
    const [reply, transfer] = await handle(id, req);
    post({ id, ok: true, reply }, transfer);
  } catch (err) {
    post({ id, ok: false, error: toAppError(err, 'decode') });
  }
};
