import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under tests/fixtures/tiff. */
export const fixturePath = (rel: string): string => fileURLToPath(new URL(`../../fixtures/tiff/${rel}`, import.meta.url));

export const readFixture = (rel: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(rel)));

/** Reference data beside the repo (`../shared/data` from the repo root): on developer machines and in CI. */
export const SHARED_DATA = fileURLToPath(new URL('../../../../shared/data', import.meta.url));

/** True when `../shared/<rel>` is present; under CI=true a missing folder is an error, not a skip. */
export function sharedDataPresent(rel: string): boolean {
  const ok = existsSync(`${SHARED_DATA}/${rel}`);
  if (!ok && process.env.CI === 'true') throw new Error(`reference data ../shared/data/${rel} is missing (required when CI=true)`);
  return ok;
}
