import { readFile } from 'node:fs/promises';
import { decodeImage, readImageInfo } from '../../../shared/image/decode';
import { RamifyError } from '../../../shared/result';
import { AUTO_TRACE_MAX_PIXELS, tooLargeForOneTrace } from '../../../shared/tracing/auto/window';
import { toAppError } from '../../../shared/result';
import { autoTraceImage, type AutoTraceRequest } from '../../../shared/tracing/auto/run';
import { autotraceProjectImages, type ImageTracer } from '../../services/autotrace-batch';
import { loadProject } from '../../services/project-service';
import { autotraceSummary } from '../../../shared/project/autotrace-summary';
import { plural } from '../../../shared/text/plural';
import type { CliIO } from '../io';

/** The CLI traces in its own process: it has nothing else to keep responsive. */
const inProcess: ImageTracer = async (path, request) => {
  const bytes = new Uint8Array(await readFile(path));
  // Detect on a slide scan would need several GB: such an image is traced by its cell bodies (ramify autotrace IMAGE --soma).
  const { width, height } = readImageInfo(bytes);
  const max = request.maxPixels ?? AUTO_TRACE_MAX_PIXELS;
  if (width * height > max) throw new RamifyError('invalid-argument', `${tooLargeForOneTrace(width, height, max)}: trace it by its cell bodies (ramify autotrace IMAGE --soma X,Y).`);
  const image = decodeImage(bytes);
  const r = autoTraceImage(image, request);
  return { neurons: r.neurons, parameters: r.parameters, width: image.info.width, height: image.info.height, calibration: image.info.calibration, ms: r.timings.totalMs };
};

/**
 * `ramify autotrace PROJECT --all` (see autotraceProjectImages): an image that cannot be read is reported and the
 * batch goes on; the exit code is then 2.
 */
export async function autotraceProject(path: string, request: Omit<AutoTraceRequest, 'seeds'>, io: CliIO): Promise<number> {
  let project;
  try {
    project = await loadProject(path);
  } catch (e) {
    io.stderr(`ramify autotrace: ${toAppError(e).message}\n`);
    return 2;
  }
  const r = await autotraceProjectImages(path, project, {
    request,
    trace: inProcess,
    onImage: (k, total, img, outcome) => {
      if ('error' in outcome) io.stderr(`[${k}/${total}] ${img}: ${outcome.error}\n`);
      else io.stdout(`[${k}/${total}] ${img}: ${plural(outcome.neurons, 'neuron')}, ${Math.round(outcome.ms)} ms\n`);
    },
  });
  io.stdout(`${autotraceSummary({ ...r, failed: r.failed.map((f) => f.path) })}\n`);
  return r.failed.length > 0 ? 2 : 0;
}
