import { readFile } from 'node:fs/promises';
import { decodeImage } from '../../shared/image/decode';
import { autoTraceImage } from '../../shared/tracing/auto/run';

// Child process of large-image.bench.ts: one image of `ramify autotrace PROJECT --all` as the batch traced it before it
// read TIFFs region by region (the file read and decoded whole, every channel and slice), so its peak memory can be
// read from the OS.
const [path, channel] = process.argv.slice(2);
const t0 = performance.now();
const r = autoTraceImage(decodeImage(new Uint8Array(await readFile(path))), { channel: Number(channel) - 1 });
process.stdout.write(JSON.stringify({ stats: r.stats, ms: performance.now() - t0 }) + '\n');
process.exit(0);
