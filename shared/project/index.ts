/** Projects: file model, condition assignment, blinding, progress and export tables (all pure). */
export * from './schema';
export * from './project';
export * from './conditions';
export * from './blinding';
export * from './export-tables';
export { parseCsv } from './csv-parse';
