import writeFileAtomic from 'write-file-atomic';
import type { Project } from '../../shared/project/schema';
import { reportHtml } from '../../shared/report/report-html';
import { buildResults } from '../../shared/report/results-model';
import { ramifyVersion } from './project-files';
import { readProjectTables } from './project-tables';

export interface ReportOptions {
  project?: Project;
  control?: string | null;
  /** 'neuron' or a metadata column (culture, well, coverslip) whose means are the unit of analysis. */
  unit?: string;
  /** Metadata column for the random-intercept model. */
  cluster?: string | null;
  appVersion?: string;
  now?: string;
}

/** Writes the one-file HTML report of a project; returns what it counted. */
export async function writeReport(projectPath: string, outFile: string, options: ReportOptions = {}): Promise<{ neurons: number; conditions: string[]; warnings: string[] }> {
  const { project, neurons, sholl, warnings } = await readProjectTables(projectPath, options.project);
  if (options.control && !project.conditions.includes(options.control))
    throw new Error(`unknown control '${options.control}'; conditions are: ${project.conditions.join(', ')}`);
  const model = buildResults(neurons, sholl, {
    order: project.conditions,
    control: options.control,
    unit: options.unit,
    cluster: options.cluster,
    shollStart: project.sholl.start,
    shollStep: project.sholl.step,
  });
  const html = reportHtml(model, {
    projectName: project.name,
    appVersion: options.appVersion ?? ramifyVersion(),
    generated: options.now ?? new Date().toISOString(),
    sholl: project.sholl,
    neurons,
  });
  await writeFileAtomic(outFile, html, 'utf8');
  return { neurons: Object.values(model.neurons).reduce((s, n) => s + n, 0), conditions: model.conditions, warnings };
}
