import type { ImageReply, ImageRequest } from '../workers/image-protocol';
import { WorkerRpc } from '../workers/worker-rpc';

/** The image worker (decoding, statistics, compositing); progress callbacks are per request. */
export type ImageClient = WorkerRpc<ImageRequest, ImageReply>;

let client: ImageClient | null = null;
export const imageClient = (): ImageClient =>
  (client ??= new WorkerRpc<ImageRequest, ImageReply>('image', () => new Worker(new URL('../workers/image.worker.ts', import.meta.url), { type: 'module', name: 'ramify-image' })));
