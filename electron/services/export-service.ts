import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { writeSwc } from '../../shared/formats/swc';
import { createExportBuilder, effectiveCalibration, EXPORT_FILE_NAMES, exportStates, isExported, type NotApprovedCounts } from '../../shared/project/export-tables';
import type { Project } from '../../shared/project/schema';
import { RamifyError } from '../../shared/result';
import { saveError } from './atomic-write';
import { ramifyVersion } from './project-files';
import { loadProject, projectDir, readImageAnnotation } from './project-service';
import { agreementCsvFiles } from '../../shared/project/agreement-tables';
import { loadProjectAgreement } from './agreement-service';
import { plural } from '../../shared/text/plural';

/**
 * Writes a project's export (neurons.csv, sholl.csv, branches.csv, Prism files, data dictionary) into a folder.
 * Tables are built in memory image by image (progress, cancellation), then written into a hidden temporary folder
 * inside `outDir` and renamed into place only when all are complete: cancelling or failing leaves no partial CSV
 * (files from an earlier export stay as they were until the final renames).
 */

export interface ExportProjectOptions {
  /** The in-memory project (e.g. with unsaved edits); default: read from the project folder. */
  project?: Project;
  /** Adds `_px` twins of every length column. */
  includePixelColumns?: boolean;
  /** Called after each image and each written file: done of total steps. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting stops the export before anything is renamed into `outDir`; the promise rejects with code 'cancelled'. */
  signal?: AbortSignal;
  /** Version written into rows (default: package.json's). */
  appVersion?: string;
  /** ISO 8601 export time (default now). */
  now?: string;
  /** Also write one SWC file (µm) per neuron into `swc/` (`<image_id>_<neuron_id>.swc`); replaces an earlier swc/. */
  includeSwc?: boolean;
  /** Only approved neurons get rows (and SWC files); the result counts the others by status. */
  approvedOnly?: boolean;
}

export interface ExportProjectResult {
  /** Output folder (absolute). */
  outDir: string;
  /** Files written, in order, with data row counts (null for .pzfx). */
  files: Array<{ name: string; path: string; rows: number | null }>;
  /** Sentences for the user (uncalibrated images, unreadable annotations, …). */
  warnings: string[];
  /** Images that contributed neurons. */
  images: number;
  neurons: number;
  /** SWC files written into `swc/` (0 unless includeSwc). */
  swcFiles: number;
  /** With approvedOnly: neurons left out for not being approved, per status. */
  notApproved?: NotApprovedCounts;
}

const cancelled = () => new RamifyError('cancelled', 'Export cancelled; no files were written.');

/** Yields to the event loop so an abort from the UI (or a timer) can land between images. */
const tick = () => new Promise<void>((r) => setImmediate(r));

export async function exportProject(projectPath: string, outDir: string, options: ExportProjectOptions = {}): Promise<ExportProjectResult> {
  const dir = projectDir(projectPath);
  const project = options.project ?? (await loadProject(dir));
  const out = resolve(outDir);
  const signal = options.signal;
  const check = () => {
    if (signal?.aborted) throw cancelled();
  };
  check();
  const builder = createExportBuilder(project, {
    appVersion: options.appVersion ?? ramifyVersion(),
    includePixelColumns: options.includePixelColumns,
    now: options.now ?? new Date().toISOString(),
    approvedOnly: options.approvedOnly,
  });
  const readWarnings: string[] = [];
  const swcFiles: Array<{ name: string; text: string }> = [];
  const swcSkipped: string[] = [];
  const images = project.images;
  const total = images.length + EXPORT_FILE_NAMES.length;
  let done = 0;
  for (const image of images) {
    await tick();
    check();
    // Images without a tracing to read still pass through the builder, which lists them as left out.
    if (image.status === 'excluded' || (image.annotation === null && image.neuronCount === 0)) builder.add({ image, document: null });
    else {
      try {
        const file = await readImageAnnotation(dir, project, image.id);
        builder.add({ image, document: file?.document ?? null, tracer: file?.review.author ?? '', review: file?.review ?? null });
        if (options.includeSwc && file && file.document.neurons.length > 0) {
          const calibration = effectiveCalibration(image, file.document);
          if (!calibration) swcSkipped.push(image.path);
          else {
            const states = exportStates(image, file.review, file.document);
            for (const [i, n] of file.document.neurons.entries()) {
              if (!isExported(states[i].status, options.approvedOnly)) continue;
              swcFiles.push({
                name: `${image.id}_${n.id}.swc`,
                text: writeSwc({ ...file.document, calibration }, { neuronIds: [n.id], header: [`project: ${project.name}`, `image: ${image.path}`, `condition: ${image.metadata.condition ?? ''}`, `neuron: ${n.name}`] }),
              });
            }
          }
        }
      } catch (e) {
        readWarnings.push(`${image.path}: annotations not exported (${e instanceof Error ? e.message : String(e)}).`);
      }
    }
    options.onProgress?.(++done, total);
  }
  check();
  const tables = builder.finish();
  // An unreadable agreement tracing costs the agreement tables, not the export.
  const agreementFiles = project.agreement
    ? await loadProjectAgreement(dir, project).then(
        (r) => agreementCsvFiles(project, r.agreement),
        (e: Error) => (readWarnings.push(`agreement.csv not written: ${e.message}`), []),
      )
    : [];
  const files = [...tables.files, ...agreementFiles];
  // Files already exported there are replaced only once every new one is written (renamed over them at the end).
  const failed = (e: unknown) => saveError(join(out, files[0]?.name ?? 'neurons.csv'), e);
  await mkdir(out, { recursive: true }).catch((e: unknown) => {
    throw failed(e);
  });
  const tmp = join(out, `.ramify-export-${randomBytes(4).toString('hex')}`);
  await mkdir(tmp).catch((e: unknown) => {
    throw failed(e);
  });
  try {
    for (const f of files) {
      check();
      await writeFile(join(tmp, f.name), f.text, 'utf8');
      options.onProgress?.(Math.min(total - 1, ++done), total);
      await tick();
    }
    if (options.includeSwc) {
      await mkdir(join(tmp, 'swc'));
      for (const f of swcFiles) {
        check();
        await writeFile(join(tmp, 'swc', f.name), f.text, 'utf8');
      }
    }
    check();
    // Past this point the export completes: renames are quick and each replaces its file atomically.
    for (const f of files) await rename(join(tmp, f.name), join(out, f.name));
    if (options.includeSwc) {
      await rm(join(out, 'swc'), { recursive: true, force: true });
      await rename(join(tmp, 'swc'), join(out, 'swc'));
    }
  } catch (e) {
    throw failed(e);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  options.onProgress?.(total, total);
  return {
    outDir: out,
    files: files.map((f) => ({ name: f.name, path: join(out, f.name), rows: f.rows })),
    warnings: [
      ...readWarnings,
      ...tables.warnings,
      ...(swcSkipped.length > 0 ? [`No SWC written for ${plural(swcSkipped.length, 'uncalibrated image')} (SWC is in µm): ${swcSkipped.join(', ')}.`] : []),
    ],
    swcFiles: options.includeSwc ? swcFiles.length : 0,
    images: tables.images,
    neurons: tables.neurons,
    ...(tables.notApproved ? { notApproved: tables.notApproved } : {}),
  };
}
