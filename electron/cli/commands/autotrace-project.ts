import { join } from 'node:path';
import { AUTO_TRACE_MAX_PIXELS, tooLargeForOneTrace } from '../../../shared/tracing/auto/window';
import { toAppError } from '../../../shared/result';
import type { AutoTraceRequest } from '../../../shared/tracing/auto/run';
import { autotraceProjectImages, type ImageTracer } from '../../services/autotrace-batch';
import { traceImageFile } from '../../services/trace-image-file';
import { loadProject } from '../../services/project-service';
import { autotraceSummary } from '../../../shared/project/autotrace-summary';
import { plural } from '../../../shared/text/plural';
import type { CliIO } from '../io';
import { namedChannelsText, tracingChannels } from '../../../shared/image/stain-names';
import { readImageHeader } from '../../services/project-files';
import { projectDir } from '../../services/project-service';

/** The CLI traces in its own process: it has nothing else to keep responsive. */
const inProcess: ImageTracer = (path, request) => {
  // Detect on a slide scan would need several GB: such an image is traced by its cell bodies (ramify autotrace IMAGE --soma).
  const max = request.maxPixels ?? AUTO_TRACE_MAX_PIXELS;
  return traceImageFile(path, request, (width, height) => (width * height > max ? `${tooLargeForOneTrace(width, height, max)}: trace it by its cell bodies (ramify autotrace IMAGE --soma X,Y).` : null));
};

/** Channels from the command line (0-based; nucleusChannel null: none), or undefined where the project's choice holds (so does its detail). */
type ChannelFlags = { channel: number | undefined; nucleusChannel: number | null | undefined };

/**
 * `ramify autotrace PROJECT --all` (see autotraceProjectImages): an image that cannot be read is reported and the
 * batch goes on; the exit code is then 2. Channels and detail not given are the project's (chosen in the app), said first.
 */
export async function autotraceProject(path: string, options: Omit<AutoTraceRequest, 'seeds' | 'channel' | 'nucleusChannel'> & ChannelFlags, io: CliIO): Promise<number> {
  let project;
  try {
    project = await loadProject(path);
  } catch (e) {
    io.stderr(`ramify autotrace: ${toAppError(e).message}\n`);
    return 2;
  }
  const { channel: givenChannel, nucleusChannel: givenNucleus, detail: givenDetail, ...rest } = options;
  let channel = givenChannel ?? project.tracing?.channel ?? 0;
  // The project's nuclear channel is not used when the command line traces that channel; one given is (and refused).
  const saved = project.tracing?.nucleusChannel ?? null;
  let nucleus = givenNucleus !== undefined ? givenNucleus : saved !== channel ? saved : null;
  // A project that never chose (made here, not in the app) is traced as its first image's channel names say.
  const first = project.images[0];
  if (!project.tracing && first && (givenChannel === undefined || givenNucleus === undefined)) {
    const names = (await readImageHeader(join(projectDir(path), ...first.path.split('/')))).channelNames;
    const use = tracingChannels(names, { channel: givenChannel, nucleusChannel: givenNucleus });
    if (use.byName && names) {
      ({ channel, nucleusChannel: nucleus } = use);
      io.stdout(`Channels chosen by the names in ${first.path}: ${namedChannelsText(names, use)}; --channel and --nucleus-channel choose others.\n`);
    }
  }
  const detail = givenDetail?.minBranchUm === undefined && project.tracing ? { ...givenDetail, minBranchUm: project.tracing.minBranchUm } : givenDetail;
  if (project.tracing && (givenChannel === undefined || givenNucleus === undefined || givenDetail?.minBranchUm === undefined))
    io.stdout(`As the project traces its images: channel ${channel + 1}, ${nucleus !== null ? `cell bodies on the nuclei of channel ${nucleus + 1}` : 'cell bodies as compact blobs'}, shortest branch ${detail?.minBranchUm} µm.\n`);
  const request: Omit<AutoTraceRequest, 'seeds'> = { ...rest, channel, ...(nucleus !== null ? { nucleusChannel: nucleus } : {}), ...(detail ? { detail } : {}) };
  const r = await autotraceProjectImages(path, project, {
    request,
    trace: inProcess,
    onImage: (k, total, img, outcome) => {
      if ('error' in outcome) io.stderr(`[${k}/${total}] ${img}: ${outcome.error}\n`);
      else if ('leftAlone' in outcome) io.stdout(`[${k}/${total}] ${img}: left alone: ${outcome.leftAlone}\n`);
      else io.stdout(`[${k}/${total}] ${img}: ${plural(outcome.neurons, 'neuron')}, ${Math.round(outcome.ms)} ms\n`);
    },
  });
  io.stdout(`${autotraceSummary({ ...r, failed: r.failed.map((f) => f.path) }, (kind, c) => `Run again with --${kind === 'channel' ? 'channel' : 'nucleus-channel'} ${c + 1}: the images no one has checked are traced again.`)}\n`);
  return r.failed.length > 0 ? 2 : 0;
}
