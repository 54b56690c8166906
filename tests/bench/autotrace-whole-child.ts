import { readImageFile } from '../../electron/services/image-file';
import { decodeImage } from '../../shared/image/decode';
import { autoTraceImage } from '../../shared/tracing/auto/run';

// Child process of large-image.bench.ts: `ramify autotrace IMAGE --soma X,Y` as it ran before it read TIFFs window by
// window (the file read and decoded whole, then the window traced), so its peak memory can be read from the OS.
const [path, soma] = process.argv.slice(2);
const [x, y] = soma.split(',').map(Number);
const t0 = performance.now();
const r = autoTraceImage(decodeImage(await readImageFile(path)), { seeds: [{ x, y }], depth: true });
process.stdout.write(JSON.stringify({ stats: r.stats, window: r.window, ms: performance.now() - t0 }) + '\n');
process.exit(0);
