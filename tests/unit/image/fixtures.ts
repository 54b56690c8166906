import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under tests/fixtures/tiff. */
export const fixturePath = (rel: string): string => fileURLToPath(new URL(`../../fixtures/tiff/${rel}`, import.meta.url));

export const readFixture = (rel: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(rel)));

/** Reference data outside the repo (present on developer machines, absent in CI). */
export const SHARED_DATA = '/work/shared/data';
