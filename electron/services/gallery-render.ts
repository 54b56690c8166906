import { encode as encodePng } from 'fast-png';
import { computeHistogram } from '../../shared/display/histogram';
import { compositeDisplays, openingChannels, openingPlanes } from '../../shared/display/opening-display';
import { neuronCrop } from '../../shared/gallery/crop';
import { renderTile } from '../../shared/gallery/tile-render';
import { decodeImage } from '../../shared/image/decode';
import type { Neuron } from '../../shared/model/document';
import type { Project } from '../../shared/project/schema';

/** One image's tiles, as the gallery worker receives them. */
export interface GalleryImageJob {
  id: number;
  /** The image file. */
  path: string;
  /** Every neuron of the image (neighbours are drawn faintly on each tile). */
  neurons: Neuron[];
  /** Neurons that need a tile, in the order the PNGs come back. */
  tiles: number[];
  /** The project's shared display; null = each image's own automatic contrast, as the viewer opens it. */
  display: Project['display'];
  /** Longer side of a tile in px. */
  size: number;
}

export type GalleryJobReply = { id: number; pngs: Uint8Array[] } | { id: number; error: string };

/**
 * The PNG tiles of one image: decoded once, shown as the viewer opens it (same plane, same display), then one crop
 * per neuron with the tracing drawn on it.
 */
export function renderImageTiles(bytes: Uint8Array, job: Omit<GalleryImageJob, 'id' | 'path'>): Uint8Array[] {
  const image = decodeImage(bytes, { stats: false });
  const { info } = image;
  const planes = openingPlanes(image);
  const histograms = planes.map((p) => computeHistogram(p, info.sampleFormat, info.bitsPerSample));
  const displays = compositeDisplays(openingChannels(info, histograms, job.display?.channels), info.palette);
  return job.tiles.map((neuronId) => {
    const neuron = job.neurons.find((n) => n.id === neuronId);
    const crop = neuron ? neuronCrop(neuron, info.width, info.height) : { x: 0, y: 0, width: info.width, height: info.height };
    const t = renderTile(planes, info.width, displays, crop, job.size, job.neurons, neuronId);
    return encodePng({ width: t.width, height: t.height, data: new Uint8Array(t.rgba.buffer, t.rgba.byteOffset, t.rgba.byteLength), channels: 4, depth: 8 });
  });
}
