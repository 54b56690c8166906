import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../../../shared/image/decode';
import type { Calibration } from '../../../../shared/image/types';
import { AutoTracer } from '../../../../shared/tracing/auto/autotrace';
import { pruneTrace } from '../../../../shared/tracing/auto/prune-trace';
import { autoTraceImage } from '../../../../shared/tracing/auto/run';
import { signalFromPlane } from '../../../../shared/tracing/auto/signal';
import { traceField } from '../../../../shared/tracing/auto/trace-field';

const data = (rel: string) => fileURLToPath(new URL(`../../../../../shared/data/${rel}`, import.meta.url));
const files = { predictor: data('tiff/image-rs/predictor-3-gray-f32.tif'), palette: data('tiff/image-js/palette.tif') };
const present = Object.values(files).every((f) => existsSync(f));
if (!present && process.env.CI === 'true') throw new Error('Reference files ../shared/data/tiff (image-rs, image-js) are missing.');

describe.skipIf(!present)('Detect on a field: fibre starts that trace nothing are not reported (trace-field.ts)', () => {
  it('image-rs’s 200 × 200 float test picture: one fibre, no second one of 0 px', () => {
    const image = decodeImage(new Uint8Array(readFileSync(files.predictor)));
    // Its 1 px per cm (10,000 µm per px) is a print resolution: traced at the assumed 0.5 µm per px, as uncalibrated.
    expect(image.info.calibration).toMatchObject({ pixelWidth: 10000, source: 'resolution' });
    const r = autoTraceImage(image);
    expect(r.parameters.pixelSizeUm).toBeNull();
    // Before: neuron 2 at (68.5, 199.5), a fibre start on the bottom edge with 0 branches and 0 px.
    expect(r.neurons.length).toBe(1);
    expect(r.neurons[0]).toMatchObject({ fibre: true, soma: { x: 104.5, y: 0.5 } });
    // 610.56 px before a child whose line grazes its parent's bend was hung at the bend (junction.ts), 614.02 before a
    // fork on a cut corner went where the lines meet and 609.76 before two forks 2 px apart where its lines cross
    // became one (corner-at-split.ts), 605.26 before tips were retracted by 14 × noise / signal rather than 10
    // (tips.ts): a pin only.
    expect(r.stats[0].lengthPx).toBeCloseTo(603.96, 1);
    // Read at its 10,000 µm per px (the shortest branch 0.0005 px), the fibre is 305 px: 232 px before branches that
    // leave a dropped path beside a kept one were judged (prune.ts coveredHang), 305.2 px before a child's line beside
    // its parent was re-centred on its own signal (near-parent.ts), 305.3 px before forks were grouped into junctions
    // by the parent's radius (corner-at-split.ts), 309.8 px before a path leaving kept cover for good needed 20 px
    // rather than 25 (prune.ts), 277.4 px before the floor on its noise was read from its signal's 99th percentile
    // rather than its top (foreground.ts signalScale), 224.2 px before tips were retracted by 14 × noise / signal
    // (tips.ts), now 223.7 px. A gradient, not a neuron: a pin only.
    const asStated = autoTraceImage(image, { calibration: { ...(image.info.calibration as Calibration), source: 'user' } });
    expect(asStated.neurons.map((n) => n.soma)).toMatchObject([{ x: 105.5, y: 5.5 }]);
    expect(asStated.stats[0].lengthPx).toBeCloseTo(223.68, 1);
  });

  it('the cache it returns re-prunes to the same neurons (the detail slider after Detect), the dropped start left out', () => {
    const image = decodeImage(new Uint8Array(readFileSync(files.predictor)));
    const tracer = new AutoTracer(signalFromPlane(image.planes[0], image.info), { pixelSize: image.info.calibration?.pixelWidth ?? null });
    const { cache, neurons } = traceField(tracer, {});
    expect(cache.reported).toBe(1);
    expect(cache.seeds.length).toBe(2);
    expect(pruneTrace(cache, {})).toEqual(neurons);
    expect(pruneTrace(cache, { minBranchPx: 40 }).length).toBe(1);
  });

  it('image-js’s 9 × 9 palette picture: no neuron found (before: a fibre of 0 px)', () => {
    expect(autoTraceImage(decodeImage(new Uint8Array(readFileSync(files.palette)))).neurons).toEqual([]);
  });
});
