import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A file of the shared reference data (../shared/data from the repo root); undefined when absent, except in CI. */
export function sharedData(rel: string): Uint8Array | undefined {
  const path = fileURLToPath(new URL(`../../../../../shared/data/${rel}`, import.meta.url));
  if (!existsSync(path)) {
    if (process.env.CI === 'true') throw new Error(`Reference file ../shared/data/${rel} is missing.`);
    return undefined;
  }
  return new Uint8Array(readFileSync(path));
}
