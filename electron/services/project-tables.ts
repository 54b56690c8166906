import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCsv } from '../../shared/project/csv-parse';
import type { Project } from '../../shared/project/schema';
import type { Table } from '../../shared/report/results-model';
import { exportProject } from './export-service';
import { loadProject, projectDir } from './project-service';

const table = (text: string): Table => {
  const [header = [], ...rows] = parseCsv(text);
  return { header, rows };
};

/**
 * A project's neurons and Sholl tables exactly as `ramify export` writes them (the statistics, the report and the
 * Results view analyse what a user would get in Prism), built by the export into a scratch folder.
 */
export async function readProjectTables(projectPath: string, project?: Project): Promise<{ project: Project; neurons: Table; sholl: Table; warnings: string[] }> {
  const dir = projectDir(projectPath);
  const p = project ?? (await loadProject(dir));
  const tmp = await mkdtemp(join(tmpdir(), 'ramify-tables-'));
  try {
    const r = await exportProject(dir, tmp, { project: p });
    return {
      project: p,
      neurons: table(await readFile(join(tmp, 'neurons.csv'), 'utf8')),
      sholl: table(await readFile(join(tmp, 'sholl.csv'), 'utf8')),
      warnings: r.warnings,
    };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
