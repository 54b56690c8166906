import { writeFileAtomicDurable } from './atomic-write';
import { isBlinded } from '../../shared/project/blinding';
import type { Project } from '../../shared/project/schema';
import { codeConditions, conditionCodes } from '../../shared/report/blind-groups';
import { reportHtml } from '../../shared/report/report-html';
import { buildResults, type ResultsModel, type Table } from '../../shared/report/results-model';
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

/**
 * The Results model of a project from its exported tables. While the project is blinded, condition names are replaced
 * by group codes before anything is computed, so neither the Results view nor the report can show them.
 */
export async function projectResults(projectPath: string, options: ReportOptions = {}): Promise<{ project: Project; model: ResultsModel; neurons: Table; warnings: string[] }> {
  const tables = await readProjectTables(projectPath, options.project);
  const { project, warnings } = tables;
  const codes = isBlinded(project) ? conditionCodes(project.conditions, project.blinding.seed) : null;
  const neurons = codes ? codeConditions(tables.neurons, codes) : tables.neurons;
  const sholl = codes ? codeConditions(tables.sholl, codes) : tables.sholl;
  const names = codes ? Object.values(codes).sort() : project.conditions;
  if (options.control && !names.includes(options.control)) throw new Error(`unknown control '${options.control}'; conditions are: ${names.join(', ')}`);
  const model = buildResults(neurons, sholl, {
    order: names,
    control: options.control,
    unit: options.unit,
    cluster: options.cluster,
    shollStart: project.sholl.start,
    shollStep: project.sholl.step,
  });
  return { project, model, neurons, warnings };
}

/** Writes the one-file HTML report of a project; returns what it counted. */
export async function writeReport(projectPath: string, outFile: string, options: ReportOptions = {}): Promise<{ neurons: number; conditions: string[]; warnings: string[] }> {
  const { project, model, neurons, warnings } = await projectResults(projectPath, options);
  const html = reportHtml(model, {
    projectName: project.name,
    appVersion: options.appVersion ?? ramifyVersion(),
    generated: options.now ?? new Date().toISOString(),
    sholl: project.sholl,
    neurons,
  });
  await writeFileAtomicDurable(outFile, html);
  return { neurons: Object.values(model.neurons).reduce((s, n) => s + n, 0), conditions: model.conditions, warnings };
}
