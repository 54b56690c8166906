import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under tests/fixtures/tiff. */
export const fixturePath = (rel: string): string => fileURLToPath(new URL(`../../fixtures/tiff/${rel}`, import.meta.url));

export const readFixture = (rel: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(rel)));

/** The project's reference data, a sibling of the repo: `../shared/data` from the repo root. */
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data', import.meta.url));

/**
 * Whether tests that need `SHARED_DATA/rel` run: true when it is there; when it is absent they are skipped on a
 * developer machine but run (and fail) under CI=true, where the reference data is required.
 */
export function sharedDataRequired(rel: string): boolean {
  if (existsSync(join(SHARED_DATA, rel))) return true;
  if (process.env.CI === 'true') return true;
  console.log(`skipping: ${join(SHARED_DATA, rel)} is not on this machine (under CI=true its absence fails)`);
  return false;
}
