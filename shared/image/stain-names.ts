/**
 * What a channel's name says it stains, and so which channel to trace and which finds the cell bodies, when the file
 * names its channels (OME's Channel Name, MetaXpress's illumination setting, a merged plate's wavelengths). A plate
 * imaged with the nuclei in its first wavelength would otherwise be traced on the nuclei.
 *
 * Only names that leave no doubt count: the dyes that stain DNA, the antibodies that stain dendrites and axons
 * (MAP2, βIII-tubulin, neurofilament) and markers of other things (glia, synapses, neuronal nuclei). A filter's name
 * (FITC, Cy5, "GFP" as a cube) says which light was used, not what was stained: it says nothing of the stain, only
 * the colour to show the channel in (stainColour).
 */

export type StainRole = 'nuclei' | 'neurites' | 'other';

// A name's words: "DAPI & Hoechst", "MAP2-488", "Hoechst 33342", "anti-βIII-tubulin (Tuj1)". Each pattern starts at a
// word's beginning; "MAP2" must not be read in "MAP20", nor "NF-H" in "NF-HA".
const start = '(?:^|[^a-z0-9])';
const NUCLEI = new RegExp(`${start}(?:dapi|hoechst|draq ?[57]|nuc ?(?:blue|red|green|spot)|sir[- ]?(?:dna|hoechst)|sytox|to-?pro|propidium|nucle(?:us|i|ar)|h2b)`, 'i');
const NEURITES = new RegExp(`${start}(?:map-?2(?![0-9])|tuj-?1(?![0-9])|tubb3|(?:beta|β|b)[- ]?(?:iii|3)[- ]?tub|tubulin[- ]?(?:beta|β|b)[- ]?(?:iii|3)|neurofilament|nf-?(?:h|m|l|200)(?![a-z0-9])|nef[hml](?![a-z0-9])|smi-?3(?:1|2|12)(?![0-9]))`, 'i');
const OTHER = new RegExp(`${start}(?:gfap|iba-?1|olig-?2|s100|vimentin|nestin|neun|rbfox3|psd-?95|synapsin|syn-?1|vglut|vgat|homer|bassoon|gephyrin|synaptophysin|c-?fos|ki-?67|edu|brdu|phalloidin|actin)(?![a-z])`, 'i');

/** What a channel's name says it stains, or null when it does not say (a filter, a colour, a wavelength, nothing). */
export function stainRole(name: string): StainRole | null {
  // One channel named for two stains ("MAP2 + DAPI") holds the neurites: it is the one to trace, not the nuclei.
  if (NEURITES.test(name)) return 'neurites';
  if (NUCLEI.test(name)) return 'nuclei';
  if (OTHER.test(name)) return 'other';
  return null;
}

/** Channel `channel`'s name when it names a nuclear stain, else null. */
export function nuclearStainName(names: readonly string[] | null, channel: number): string | null {
  const name = names?.[channel];
  return name !== undefined && stainRole(name) === 'nuclei' ? name : null;
}

/** The channels to trace and to find cell bodies on (0-based), as their names say. */
export interface NamedChannels {
  channel: number;
  nucleusChannel: number | null;
}

/**
 * Which channel to trace and which channel's nuclei find the cell bodies, from the channels' names; null when the
 * names say nothing that changes the first channel traced with its blobs as cell bodies. The traced channel is the
 * first named for neurites, else the first whose name says nothing (a filter) when another is named for nuclei or for
 * something else; the cell bodies are found on the first channel named for nuclei.
 */
export function channelsByName(names: readonly string[] | null | undefined): NamedChannels | null {
  if (!names || names.length < 2) return null;
  const roles = names.map((n) => stainRole(n));
  const neurites = roles.indexOf('neurites');
  const channel = neurites >= 0 ? neurites : roles.some((r) => r !== null) ? roles.indexOf(null) : -1;
  if (channel < 0) return null;
  const nuclei = roles.indexOf('nuclei');
  const nucleusChannel = nuclei >= 0 ? nuclei : null;
  return channel === 0 && nucleusChannel === null ? null : { channel, nucleusChannel };
}

/** "channel 2 (MAP2), cell bodies on the nuclei of channel 1 (DAPI)": a choice by names, as a technician checks it. */
export function namedChannelsText(names: readonly string[], c: NamedChannels): string {
  const nuclei = c.nucleusChannel !== null ? `cell bodies on the nuclei of channel ${c.nucleusChannel + 1} (${names[c.nucleusChannel]})` : 'cell bodies as compact blobs';
  return `channel ${c.channel + 1} (${names[c.channel]}), ${nuclei}`;
}

/** The channels a trace uses (0-based), and whether the names chose either. */
export interface TracingChannels extends NamedChannels {
  byName: boolean;
}

/**
 * The channels to trace with: each one given (`nucleusChannel` null: none), else the names' choice where it does not
 * clash with the one given, else the first channel with its compact blobs as cell bodies.
 */
export function tracingChannels(names: readonly string[] | null | undefined, given: { channel?: number; nucleusChannel?: number | null }): TracingChannels {
  const named = channelsByName(names);
  const channel = given.channel ?? (named && named.channel !== given.nucleusChannel ? named.channel : 0);
  const nucleusChannel = given.nucleusChannel !== undefined ? given.nucleusChannel : named?.nucleusChannel !== undefined && named.nucleusChannel !== channel ? named.nucleusChannel : null;
  const byName = named !== null && ((given.channel === undefined && channel === named.channel) || (given.nucleusChannel === undefined && nucleusChannel !== null));
  return { channel, nucleusChannel, byName };
}

/** The display colours a channel's name can call for (shared/display's channel colour names). */
export type StainColour = 'blue' | 'green' | 'red' | 'magenta';

// Far red first: "far red", "NucRed 647" and "DRAQ5" are no red. A word counts whole ("Reduced" is no red), a bare
// wavelength only as a number of its own.
const word = (list: string) => `${start}(?:${list})(?![a-z])`;
const nm = (list: string) => `(?:^|[^0-9])(?:${list})(?![0-9])`;
const COLOURS: Array<[StainColour, RegExp]> = [
  ['magenta', new RegExp(`${word('cy-?5|far[- ]?red|draq ?[57]|to-?pro-?3|sir[- ]?(?:dna|hoechst)|nucred')}|${nm('633|640|647|650|660')}`, 'i')],
  ['blue', new RegExp(`${word('dapi|hoechst|nucblue|e?bfp|pacific blue')}|${nm('350|405')}`, 'i')],
  ['green', new RegExp(`${word('fitc|e?gfp|yfp|venus|fluorescein|cy-?2|green')}|${nm('488|490')}`, 'i')],
  ['red', new RegExp(`${word('tritc|cy-?3|texas ?red|rhodamine|e?rfp|mcherry|tdtomato|mscarlet|dsred|propidium|red')}|${nm('546|555|561|568|594')}`, 'i')],
];

/**
 * The colour a channel's name says its light is (the dye, the filter or the wavelength: "DAPI", "FITC 488",
 * "MAP2-647"), to show it in, as a microscope's software does; null when the name says none.
 */
export function stainColour(name: string): StainColour | null {
  return COLOURS.find(([, re]) => re.test(name))?.[0] ?? null;
}
