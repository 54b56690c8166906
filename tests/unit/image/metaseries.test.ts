import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeImage, readImageInfo } from '../../../shared/image/decode';
import { metaSeriesPixelSize } from '../../../shared/image/metaseries';
import { fixturePath, readFixture } from './fixtures';

// TIFFs as MetaMorph / MetaXpress save them (tests/fixtures/tiff/metaseries/make-metaseries.py); expected values are
// tifffile's reading of their MetaSeries description (reference.json).
interface Reference {
  'spatial-calibration-state': boolean;
  'spatial-calibration-x': number;
  'spatial-calibration-y': number;
  'spatial-calibration-units': string;
}
const reference: Record<string, Reference> = JSON.parse(readFileSync(fixturePath('metaseries/reference.json'), 'utf8'));
const UM_PER: Record<string, number> = { um: 1, nm: 0.001 };

describe('MetaMorph / MetaXpress TIFFs are calibrated from their description', () => {
  it.each(Object.keys(reference))('%s: the pixel size tifffile reads, in µm, or none when calibration is off', (name) => {
    const ref = reference[name];
    const info = decodeImage(readFixture(`metaseries/${name}`)).info;
    if (!ref['spatial-calibration-state']) expect(info.calibration).toBeNull();
    else {
      const f = UM_PER[ref['spatial-calibration-units']];
      expect(info.calibration).toEqual({ pixelWidth: expect.closeTo(ref['spatial-calibration-x'] * f, 12), pixelHeight: expect.closeTo(ref['spatial-calibration-y'] * f, 12), unit: 'µm', source: 'metamorph' });
    }
    expect(readImageInfo(readFixture(`metaseries/${name}`)).calibration).toEqual(info.calibration);
  });

  it('reads nothing from a description that is no MetaSeries XML, or gives no usable size', () => {
    const xml = (props: string) => `<MetaData>\n<PlaneInfo>\n${props}\n</PlaneInfo>\n</MetaData>`;
    expect(metaSeriesPixelSize('ImageJ=1.54f\nunit=micron\n')).toBeNull();
    expect(metaSeriesPixelSize(xml('<prop id="spatial-calibration-x" type="float" value="0.5"/>'))).toBeNull(); // no units
    expect(metaSeriesPixelSize(xml('<prop id="spatial-calibration-x" type="float" value="0.5"/><prop id="spatial-calibration-units" type="string" value="pixel"/>'))).toBeNull();
    expect(metaSeriesPixelSize(xml('<prop id="spatial-calibration-x" type="float" value="0"/><prop id="spatial-calibration-units" type="string" value="um"/>'))).toBeNull();
    // y missing: square pixels; "microns" as MetaMorph's format note spells the unit.
    expect(metaSeriesPixelSize(xml('<prop id="spatial-calibration-x" type="float" value="1.4"/>\n<prop id="spatial-calibration-units" value="microns"/>'))).toEqual({ x: 1.4, y: 1.4 });
  });
});
