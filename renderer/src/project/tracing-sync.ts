import type { ProjectView } from '../../../shared/ipc/contract';
import { api } from '../api';
import { reportError } from '../image/image-session';
import { useAutoTrace } from '../tracing/autotrace-session';
import { traceStore, useTrace } from '../tracing/trace-store';
import { projectStore } from './project-store';

// The channels traced and of the nuclear stain belong to the project when one is open: its images share their stains,
// so the technician chooses them once, the batch traces them, and they are there again when the project is reopened.
// The Tracing and Auto panels show and change them; this module keeps the project file in step.

type Tracing = NonNullable<ProjectView['tracing']>;

const DEFAULT: Tracing = { channel: 0, nucleusChannel: null };

/** The pair the panels hold now. */
function onScreen(): Tracing {
  return { channel: traceStore.get().channel, nucleusChannel: useAutoTrace.getState().nucleusChannel };
}

/** True while a project's own choice is put on screen: nothing to write back, nothing to end. */
let adopting = false;

const same = (a: Tracing, b: Tracing) => a.channel === b.channel && a.nucleusChannel === b.nucleusChannel;

/**
 * Shows a project's channels in the panels. A project that never chose them is traced on channel 1 without a nuclear
 * stain, unless `keepChoice` (a project just created takes what the technician chose before creating it).
 */
export function adoptTracing(view: ProjectView, keepChoice: boolean): void {
  if (!view.tracing && keepChoice) return void pushTracing();
  const t = view.tracing ?? DEFAULT;
  adopting = true;
  try {
    traceStore.set({ channel: t.channel });
    useAutoTrace.setState({ nucleusChannel: t.nucleusChannel });
  } finally {
    adopting = false;
  }
}

async function pushTracing(): Promise<void> {
  const view = projectStore.get().view;
  const now = onScreen();
  if (!view || same(now, view.tracing ?? DEFAULT)) return;
  const r = await api()['project:update']({ op: 'setTracing', tracing: now });
  if (!r.ok) return reportError(`The project did not keep its channels: ${r.error.message}`);
  if (projectStore.get().view) projectStore.set({ view: r.value });
}

/** Starts writing the panels' channel choices into the open project; returns the stop function. */
export function startTracingSync(): () => void {
  const offs = [
    useTrace.subscribe((t, prev) => {
      if (adopting || t.channel === prev.channel) return;
      // The channel now traced cannot be the nuclear stain as well: that choice ends (and is written with it).
      if (useAutoTrace.getState().nucleusChannel === t.channel) useAutoTrace.setState({ nucleusChannel: null });
      else void pushTracing();
    }),
    useAutoTrace.subscribe((a, prev) => !adopting && a.nucleusChannel !== prev.nucleusChannel && void pushTracing()),
  ];
  return () => offs.forEach((off) => off());
}
