import { channelNames } from '../../../shared/display/opening-display';
import { channelsByName, namedChannelsText, nuclearStainName } from '../../../shared/image/stain-names';
import type { ImageInfo } from '../../../shared/image/types';
import type { ProjectView } from '../../../shared/ipc/contract';
import { DEFAULT_MIN_BRANCH_UM } from '../../../shared/tracing/auto/prune-trace';
import { api } from '../api';
import { reportError } from '../image/image-session';
import { viewer } from '../stores/viewer-store';
import { useAutoTrace } from '../tracing/autotrace-session';
import { traceStore, useTrace } from '../tracing/trace-store';
import { projectStore } from './project-store';

// How images are traced belongs to the project when one is open: its images share their stains, and a statistic over
// them wants them traced alike. The technician chooses the channels and the detail once, Auto-trace all images traces
// with them, and they are there again when the project is reopened. The Tracing and Auto panels show and change them;
// this module keeps the project file in step. Until the technician chooses, the channels' names choose where the
// file names its stains (adoptNamedChannels).

type Tracing = NonNullable<ProjectView['tracing']>;

const DEFAULT: Tracing = { channel: 0, nucleusChannel: null, minBranchUm: DEFAULT_MIN_BRANCH_UM };

/** True while a choice not the technician's (a project's, the names') is put on screen: nothing to end, no choice made. */
let adopting = false;

/** The technician chose a channel in the Tracing or Auto panel since the app started: an image's names no longer do. */
let chosenHere = false;

/**
 * The choice on screen. The detail is the project's until the technician moves the slider (keepDetail): the review of
 * a batch-traced image sets the slider to the level that image was traced at, which is no choice for the project.
 */
function onScreen(): Tracing {
  const view = projectStore.get().view;
  const a = useAutoTrace.getState();
  return { channel: traceStore.get().channel, nucleusChannel: a.nucleusChannel, minBranchUm: view?.tracing?.minBranchUm ?? a.minBranchUm };
}

const same = (a: Tracing, b: Tracing) => a.channel === b.channel && a.nucleusChannel === b.nucleusChannel && a.minBranchUm === b.minBranchUm;

/**
 * Shows a project's choice in the panels. A project that never made one is traced on channel 1 without a nuclear
 * stain at 5 µm (until an image's channel names say otherwise, adoptNamedChannels), unless `keepChoice`: a project
 * just created takes what the technician chose before creating it.
 */
export function adoptTracing(view: ProjectView, keepChoice: boolean): void {
  dropPendingDetail();
  if (!view.tracing && keepChoice) {
    if (chosenHere) return void pushTracing(onScreen());
    // Channels nobody chose are left to the names of the project's images (adoptNamedChannels); a detail moved is kept.
    setOnScreen({ ...DEFAULT, minBranchUm: useAutoTrace.getState().minBranchUm });
    return void pushTracing(onScreen());
  }
  setOnScreen(view.tracing ?? DEFAULT);
}

/** Puts a choice in the panels that is not the technician's: nothing is written back by the panels' subscriptions. */
function setOnScreen(t: Tracing): void {
  adopting = true;
  try {
    traceStore.set({ channel: t.channel });
    useAutoTrace.setState({ nucleusChannel: t.nucleusChannel, minBranchUm: t.minBranchUm });
  } finally {
    adopting = false;
  }
}

/**
 * An image opened whose channels' names say which one holds the neurites and which the nuclei (stain-names.ts): those
 * are traced, unless the technician chose the channels, or the open project has its choice. A project takes the
 * names' choice as its own: its images share their stains. Said once, when it changes what is traced; and said each
 * time an image opens whose channel traced is named as a nuclear stain (or that holds one alone).
 */
export function adoptNamedChannels(info: ImageInfo): void {
  const view = projectStore.get().view;
  const names = channelNames(info);
  if (!names) return;
  const named = view?.tracing || (!view && chosenHere) ? null : channelsByName(names);
  if (named && (traceStore.get().channel !== named.channel || useAutoTrace.getState().nucleusChannel !== named.nucleusChannel)) {
    setOnScreen({ ...named, minBranchUm: useAutoTrace.getState().minBranchUm });
    tell(`Channels chosen by their names: tracing follows ${namedChannelsText(names, named)}. The Tracing and Automatic tracing panels choose others.`);
    return void pushTracing(onScreen());
  }
  // A choice made for other images (the project's, the technician's) that traces what this one names a nuclear stain:
  // its channels are in another order (a plate imaged DAPI first), and its trace would be of nuclei.
  const traced = Math.min(traceStore.get().channel, info.channels - 1);
  const nuclei = nuclearStainName(names, traced);
  if (nuclei === null) return;
  if (info.channels > 1) tell(`Channel ${traced + 1} of this image is named ${nuclei}, a nuclear stain, and it is the channel traced${view ? ' in this project' : ''}: the Tracing panel chooses another.`);
  else tell(`This image holds only a nuclear stain (${nuclei}): its neurites are in another file, as a plate saves each wavelength apart. Merge wavelengths… in the New project dialog makes one image of each site's files.`);
}

function tell(said: string): void {
  viewer.set({ notice: [viewer.get().notice, said].filter(Boolean).join(' ') });
}

async function pushTracing(now: Tracing): Promise<void> {
  const view = projectStore.get().view;
  if (!view || same(now, view.tracing ?? DEFAULT)) return;
  const r = await api()['project:update']({ op: 'setTracing', tracing: now });
  if (!r.ok) return reportError(`The project did not keep how its images are traced: ${r.error.message}`);
  if (projectStore.get().view) projectStore.set({ view: r.value });
}

/** A detail level the slider rests at, not yet written, and when it will be. */
let pendingDetail: { minBranchUm: number; timer: ReturnType<typeof setTimeout> } | null = null;

function dropPendingDetail(): void {
  if (pendingDetail) clearTimeout(pendingDetail.timer);
  pendingDetail = null;
}

/** The technician moved the detail slider: the open project traces at that level from now on (written once the slider rests). */
export function keepDetail(minBranchUm: number): void {
  dropPendingDetail();
  pendingDetail = { minBranchUm, timer: setTimeout(() => void flushDetail(), 400) };
}

/**
 * The detail level the open project traces its images at, a level the slider rests at and not yet written included;
 * null without a project, or for one that never chose (it traces at the slider's level).
 */
export function projectDetailUm(): number | null {
  return pendingDetail?.minBranchUm ?? projectStore.get().view?.tracing?.minBranchUm ?? null;
}

/** Writes a detail level the slider rests at now rather than later: a batch started at once traces at it. */
export async function flushDetail(): Promise<void> {
  if (!pendingDetail) return;
  const { minBranchUm } = pendingDetail;
  dropPendingDetail();
  await pushTracing({ ...onScreen(), minBranchUm });
}

/** Starts writing the panels' channel choices into the open project; returns the stop function. */
export function startTracingSync(): () => void {
  const offs = [
    useTrace.subscribe((t, prev) => {
      if (adopting || t.channel === prev.channel) return;
      chosenHere = true;
      // The channel now traced cannot be the nuclear stain as well: that choice ends (and is written with it).
      if (useAutoTrace.getState().nucleusChannel === t.channel) useAutoTrace.setState({ nucleusChannel: null });
      else void pushTracing(onScreen());
    }),
    useAutoTrace.subscribe((a, prev) => {
      if (adopting || a.nucleusChannel === prev.nucleusChannel) return;
      chosenHere = true;
      void pushTracing(onScreen());
    }),
  ];
  return () => offs.forEach((off) => off());
}
