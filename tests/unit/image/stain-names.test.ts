import { describe, expect, it } from 'vitest';
import { channelsByName, namedChannelsText, stainColour, stainRole, tracingChannels } from '../../../shared/image/stain-names';

// Names as microscopes and labs write them: MetaXpress's illumination settings ("DAPI", "FITC 488"), OME channel
// names from Zeiss and Nikon exports and from Fiji ("MAP2-488", "Hoechst 33342"), a lab's own ("anti-βIII-tubulin (Tuj1)").
describe('what a channel name says it stains', () => {
  it.each([
    ['DAPI', 'nuclei'],
    ['DAPI & Hoechst', 'nuclei'],
    ['Hoechst 33342', 'nuclei'],
    ['DRAQ5', 'nuclei'],
    ['NucBlue', 'nuclei'],
    ['SiR-DNA', 'nuclei'],
    ['SYTOX Green', 'nuclei'],
    ['TO-PRO-3', 'nuclei'],
    ['Nuclei', 'nuclei'],
    ['H2B-GFP', 'nuclei'],
    ['MAP2', 'neurites'],
    ['MAP2-488', 'neurites'],
    ['Map-2 (Cy5)', 'neurites'],
    ['anti-βIII-tubulin (Tuj1)', 'neurites'],
    ['beta III tubulin', 'neurites'],
    ['Tubulin beta-3', 'neurites'],
    ['TUBB3', 'neurites'],
    ['Neurofilament H', 'neurites'],
    ['NF-H', 'neurites'],
    ['SMI-312', 'neurites'],
    ['MAP2 + DAPI', 'neurites'],
    ['GFAP', 'other'],
    ['Iba1', 'other'],
    ['NeuN', 'other'],
    ['PSD-95', 'other'],
    ['Synapsin 1', 'other'],
    ['EdU', 'other'],
  ] as const)('%s: %s', (name, role) => expect(stainRole(name)).toBe(role));

  it.each(['FITC', 'FITC 488', 'TRITC', 'Cy5', 'Texas Red', 'GFP', 'w2', 'red', 'green', 'Channel 1', 'MAP20', 'NF-HA', 'Education', ''])('%s: says nothing', (name) => expect(stainRole(name)).toBeNull());
});

describe('which channel to trace and which finds the cell bodies, as the names say', () => {
  it('the neurite stain is traced and the nuclear dye finds the cell bodies, in whatever order', () => {
    expect(channelsByName(['DAPI', 'MAP2'])).toEqual({ channel: 1, nucleusChannel: 0 });
    expect(channelsByName(['GFAP', 'MAP2', 'Hoechst 33342'])).toEqual({ channel: 1, nucleusChannel: 2 });
    expect(channelsByName(['MAP2', 'DAPI'])).toEqual({ channel: 0, nucleusChannel: 1 });
  });

  it('a filter is traced when the other channel is named for nuclei or for something else', () => {
    // An ImageXpress plate merged: w1 DAPI, w2 FITC.
    expect(channelsByName(['DAPI', 'FITC 488'])).toEqual({ channel: 1, nucleusChannel: 0 });
    expect(channelsByName(['FITC 488', 'DAPI & Hoechst'])).toEqual({ channel: 0, nucleusChannel: 1 });
    expect(channelsByName(['GFAP', 'Cy5', 'DAPI'])).toEqual({ channel: 1, nucleusChannel: 2 });
    expect(channelsByName(['NeuN', 'FITC'])).toEqual({ channel: 1, nucleusChannel: null });
  });

  it('says nothing where the names change nothing or do not say what to trace', () => {
    expect(channelsByName(['FITC', 'TRITC'])).toBeNull();
    expect(channelsByName(['MAP2', 'GFAP'])).toBeNull(); // channel 1 with its blobs, as without names
    expect(channelsByName(['DAPI', 'GFAP'])).toBeNull(); // nothing to trace
    expect(channelsByName(['DAPI', 'Hoechst'])).toBeNull();
    expect(channelsByName(['DAPI'])).toBeNull();
    expect(channelsByName(null)).toBeNull();
    expect(channelsByName(['red', 'green', 'blue'])).toBeNull();
  });

  it('a channel given is kept and the names choose the other where they do not clash with it', () => {
    const names = ['DAPI', 'FITC 488', 'MAP2'];
    expect(tracingChannels(names, {})).toEqual({ channel: 2, nucleusChannel: 0, byName: true });
    expect(tracingChannels(names, { channel: 1 })).toEqual({ channel: 1, nucleusChannel: 0, byName: true });
    expect(tracingChannels(names, { nucleusChannel: null })).toEqual({ channel: 2, nucleusChannel: null, byName: true });
    expect(tracingChannels(names, { channel: 0 })).toEqual({ channel: 0, nucleusChannel: null, byName: false });
    expect(tracingChannels(names, { nucleusChannel: 2 })).toEqual({ channel: 0, nucleusChannel: 2, byName: false });
    expect(tracingChannels(names, { channel: 1, nucleusChannel: 2 })).toEqual({ channel: 1, nucleusChannel: 2, byName: false });
    expect(tracingChannels(['FITC', 'TRITC'], {})).toEqual({ channel: 0, nucleusChannel: null, byName: false });
    expect(tracingChannels(null, { nucleusChannel: 1 })).toEqual({ channel: 0, nucleusChannel: 1, byName: false });
  });

  it('is said with the names, as a technician checks it', () => {
    expect(namedChannelsText(['DAPI', 'MAP2'], { channel: 1, nucleusChannel: 0 })).toBe('channel 2 (MAP2), cell bodies on the nuclei of channel 1 (DAPI)');
    expect(namedChannelsText(['NeuN', 'FITC'], { channel: 1, nucleusChannel: null })).toBe('channel 2 (FITC), cell bodies as compact blobs');
  });
});

describe('the colour of the light a channel name says', () => {
  it.each([
    ['DAPI', 'blue'],
    ['DAPI & Hoechst', 'blue'],
    ['Hoechst 33342', 'blue'],
    ['405', 'blue'],
    ['FITC', 'green'],
    ['FITC 488', 'green'],
    ['MAP2-488', 'green'],
    ['EGFP', 'green'],
    ['SYTOX Green', 'green'],
    ['TRITC', 'red'],
    ['Cy3', 'red'],
    ['Texas Red', 'red'],
    ['GFAP (568)', 'red'],
    ['tdTomato', 'red'],
    ['Cy5', 'magenta'],
    ['MAP2-647', 'magenta'],
    ['Far red', 'magenta'],
    ['DRAQ5', 'magenta'],
    ['NucRed 647', 'magenta'],
  ] as const)('%s: %s', (name, colour) => expect(stainColour(name)).toBe(colour));

  // A wavelength counts only as a number of its own: 4880 is none.
  it.each(['MAP2', 'GFAP', 'w1', 'Channel 1', '4880', 'S1488', 'Reduced gain', 'Greenfield'])('%s: says none', (name) => expect(stainColour(name)).toBeNull());
});
