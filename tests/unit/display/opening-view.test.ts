import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openingPlane } from '../../../shared/display/opening-view';
import { decodeImage } from '../../../shared/image/decode';

// SpotSpine's deconvolved confocal stack (41 slices, 8-bit): its first slices lie above the dendrite.
const SPOTSPINE = join(import.meta.dirname, '../../../../shared/data/micrographs/spotspine/SpotSpine_ImageStack_Test.tif');
const present = existsSync(SPOTSPINE);
if (!present && process.env.CI === 'true') throw new Error(`reference file missing: ../shared/data/micrographs/spotspine/SpotSpine_ImageStack_Test.tif`);

describe('the plane an image opens on', () => {
  it('2D: the only plane; thin stacks (2–4 slices): the projection; thicker stacks: the middle slice', () => {
    expect(openingPlane(1)).toEqual({ z: 0, mip: false });
    expect(openingPlane(2)).toEqual({ z: 0, mip: true });
    expect(openingPlane(4)).toEqual({ z: 1, mip: true });
    expect(openingPlane(5)).toEqual({ z: 2, mip: false });
    expect(openingPlane(41)).toEqual({ z: 20, mip: false });
  });

  it.skipIf(!present)('SpotSpine opens on slice 21 of 41, which holds the dendrite; slice 1 is nearly empty', () => {
    const img = decodeImage(new Uint8Array(readFileSync(SPOTSPINE)));
    expect(img.info.slices).toBe(41);
    const { z } = openingPlane(img.info.slices);
    const bright = (plane: ArrayLike<number>, level: number) => Array.from(plane).filter((v) => v >= level).length;
    // Against the file's own ImageJ display range 0–68: pixels at ≥ 25 % grey (value ≥ 17) on each plane.
    expect(img.info.displayRanges?.[0]).toEqual({ min: 0, max: 68 });
    expect(bright(img.planes[0], 17)).toBe(0);
    expect(bright(img.planes[z], 17)).toBeGreaterThan(0.05 * img.info.width * img.info.height);
  });
});
