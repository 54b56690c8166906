import { readdirSync } from 'node:fs';
import { join } from 'node:path';

// `npm run bench`: runs every tests/bench/*.bench.ts in turn (or those named on the command line) and prints figures.
const dir = import.meta.dirname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const mod = (await import(join(dir, f))) as { bench?: () => Promise<void> };
  if (typeof mod.bench === 'function') await mod.bench();
}
