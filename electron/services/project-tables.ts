import { parseCsv } from '../../shared/project/csv-parse';
import { createExportBuilder } from '../../shared/project/export-tables';
import type { Project } from '../../shared/project/schema';
import type { Table } from '../../shared/report/results-model';
import { ramifyVersion } from './project-files';
import { loadProject, projectDir, readImageAnnotation } from './project-service';

/**
 * A project's neurons and Sholl tables exactly as `ramify export` writes them (the statistics, the report and the
 * Results view analyse what a user would get in Prism): the export's own table builder, fed image by image as
 * exportProject feeds it, read back in memory with no files written.
 */
export async function readProjectTables(projectPath: string, project?: Project): Promise<{ project: Project; neurons: Table; sholl: Table; warnings: string[] }> {
  const dir = projectDir(projectPath);
  const p = project ?? (await loadProject(dir));
  const builder = createExportBuilder(p, { appVersion: ramifyVersion(), now: new Date().toISOString() });
  const readWarnings: string[] = [];
  for (const image of p.images) {
    // As exportProject: images without a tracing to read still pass through the builder.
    if (image.status === 'excluded' || (image.annotation === null && image.neuronCount === 0)) builder.add({ image, document: null });
    else {
      try {
        const file = await readImageAnnotation(dir, p, image.id);
        builder.add({ image, document: file?.document ?? null, tracer: file?.review.author ?? '', review: file?.review ?? null });
      } catch (e) {
        readWarnings.push(`${image.path}: annotations not exported (${e instanceof Error ? e.message : String(e)}).`);
      }
    }
  }
  const tables = builder.finish();
  const table = (name: string): Table => {
    const [header = [], ...rows] = parseCsv(tables.files.find((f) => f.name === name)?.text ?? '');
    return { header, rows };
  };
  return { project: p, neurons: table('neurons.csv'), sholl: table('sholl.csv'), warnings: [...readWarnings, ...tables.warnings] };
}
