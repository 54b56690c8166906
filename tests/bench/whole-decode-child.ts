import { loadImageFile } from '../../electron/services/image-file';

// Child process of large-image.bench.ts: the whole-file decode (what `ramify inspect` did before it streamed), so
// its peak memory can be read from the OS beside the streamed inspect's.
const { image } = await loadImageFile(process.argv[2]);
process.stdout.write(JSON.stringify(image.pageStats) + '\n');
process.exit(0);
