/**
 * The bundled sample's field and how it is written: a 2-channel 16-bit ImageJ hyperstack, deflate, calibrated in µm.
 * make-sample.ts writes build/sample from it; tests write variants of it (the same field with breaks) the same way.
 */
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { imagejDescription } from '../../shared/image/imagej';
import type { SyntheticSample } from './synthetic-neuron';

export const SAMPLE_SEED = 20240611;

export function sampleTiff(sample: SyntheticSample): Uint8Array {
  const px = sample.calibration.pixelWidth;
  return encodeTiff({
    width: sample.width,
    height: sample.height,
    planes: sample.channels,
    bitsPerSample: 16,
    sampleFormat: 'uint',
    compression: 'deflate',
    predictor: true,
    imagejDescription: imagejDescription({ channels: 2, unit: 'micron', pixelWidth: px, mode: 'composite' }),
    // ImageJ convention: XResolution = pixels per description unit (µm), ResolutionUnit "none"; the unit is in the
    // description (unit=micron), as ImageJ itself writes it.
    resolution: { x: 1 / px, y: 1 / sample.calibration.pixelHeight, unit: 'none' },
  });
}
