import { join } from 'node:path';
import { newAnnotationFile } from '../../../shared/formats/annotation-file';
import { decodeImage } from '../../../shared/image/decode';
import { toAppError } from '../../../shared/result';
import { autoTraceImage, documentWithNeurons, type AutoTraceRequest } from '../../../shared/tracing/auto/run';
import { imageIdentityOf } from '../../services/annotation-store';
import { readImageFile } from '../../services/image-file';
import { ramifyVersion } from '../../services/project-files';
import { loadProject, projectDir, saveImageAnnotation } from '../../services/project-service';
import type { CliIO } from '../io';

/**
 * `ramify autotrace PROJECT --all`: every image that has no annotations yet is traced (field detection) and saved
 * with review status "needs-review"; an image with an annotation file or any neuron is someone's work and is skipped,
 * as are excluded images. An image that cannot be read is reported and the batch goes on; the exit code is then 2.
 */
export async function autotraceProject(path: string, request: Omit<AutoTraceRequest, 'seeds'>, io: CliIO): Promise<number> {
  let project;
  try {
    project = await loadProject(path);
  } catch (e) {
    io.stderr(`ramify autotrace: ${toAppError(e).message}\n`);
    return 2;
  }
  const todo = project.images.filter((img) => img.status !== 'excluded' && img.annotation === null && img.neuronCount === 0);
  const skipped = project.images.length - todo.length;
  let failed = 0;
  let k = 0;
  for (const img of todo) {
    k++;
    const abs = join(projectDir(path), ...img.path.split('/'));
    try {
      const image = decodeImage(await readImageFile(abs));
      const r = autoTraceImage(image, request);
      const calibration = img.calibration ?? image.info.calibration;
      const doc = documentWithNeurons(r.neurons, null, calibration, r.parameters);
      const identity = await imageIdentityOf(abs, image.info.width, image.info.height).catch(() => null);
      const file = newAnnotationFile(doc, { appVersion: ramifyVersion(), image: identity });
      file.review = { ...file.review, status: 'needs-review', comments: [{ author: 'ramify autotrace', text: `Traced automatically (${r.neurons.length} neuron(s)); awaiting review.`, at: file.review.createdAt }] };
      project = await saveImageAnnotation(path, project, img.id, file);
      io.stdout(`[${k}/${todo.length}] ${img.path}: ${r.neurons.length} neuron(s), ${Math.round(r.timings.totalMs)} ms\n`);
    } catch (e) {
      failed++;
      io.stderr(`[${k}/${todo.length}] ${img.path}: ${toAppError(e).message}\n`);
    }
  }
  io.stdout(`Traced ${todo.length - failed} of ${todo.length} image(s); ${skipped} skipped (annotated, or excluded)${failed ? `; ${failed} failed` : ''}.\n`);
  return failed > 0 ? 2 : 0;
}
