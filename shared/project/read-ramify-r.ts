import type { ColumnDoc } from './export-columns';

/**
 * Column types of the export for R. readr guesses a column's type from its first rows, so a column that is empty
 * there (soma_area_um2 without polygon somata, sholl_* of an uncalibrated first image, parent_branch_id of primary
 * branches) comes back as logical NA and ids such as img-0001 may be mangled. Ramify knows every column's type, so
 * it writes read_ramify.R beside the CSVs with the exact spec of this export's headers.
 */

/** readr compact type letters: character, integer, double. */
export type RColumnType = 'c' | 'i' | 'd';

/** Identifier columns holding text (img-0003, img-0003:9); other id columns are integers. */
const TEXT_IDS = new Set(['image_id', 'neuron_uid']);

/** Type of a documented column: text → character, ids and flags → integer (except text ids), numbers → double. */
export function columnRType(doc: ColumnDoc): RColumnType {
  if (doc.unit === 'text' || doc.unit === 'ISO 8601') return 'c';
  if (doc.unit === 'id') return TEXT_IDS.has(doc.name) ? 'c' : 'i';
  if (doc.unit === 'flag') return 'i';
  return 'd';
}

/** One CSV of the export with the type of each header column, in order. */
export interface TypedCsv {
  name: string;
  columns: Array<{ name: string; type: RColumnType }>;
}

/** An R string literal in plain ASCII (non-ASCII as \u escapes), so the script reads the same in any locale. */
const rString = (s: string) =>
  `"${[...s]
    .map((ch) => {
      const code = ch.codePointAt(0)!;
      if (ch === '\\' || ch === '"') return `\\${ch}`;
      if (code >= 0x20 && code < 0x7f) return ch;
      return code > 0xffff ? `\\U{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .join('')}"`;

/** The R source of read_ramify.R for these files. */
export function readRamifyScript(files: readonly TypedCsv[], appVersion: string): string {
  const spec = files.map((f) => {
    const cols = f.columns.map((c) => `    ${rString(c.name)} = "${c.type}"`).join(',\n');
    return `  ${rString(f.name)} = c(\n${cols}\n  )`;
  });
  return [
    `# read_ramify.R, written by Ramify ${appVersion} beside the CSV files of this export.`,
    '# Reads them with the column types Ramify wrote (c = text, i = integer, d = number), so an empty column is',
    '# numeric (not logical NA) and ids stay text. Empty cells are missing values (NA). In R:',
    '#   source("path/to/this/folder/read_ramify.R")',
    '#   neurons <- read_ramify("neurons.csv")',
    '# Uses readr::read_csv when readr is installed (a tibble), utils::read.csv otherwise (a data.frame).',
    '',
    'ramify_dir <- tryCatch(dirname(normalizePath(sys.frame(1)$ofile)), error = function(e) getwd())',
    '',
    'ramify_col_types <- list(',
    spec.join(',\n'),
    ')',
    '',
    'read_ramify <- function(file, dir = ramify_dir) {',
    '  name <- basename(file)',
    '  path <- if (file.exists(file)) file else file.path(dir, name)',
    '  types <- ramify_col_types[[name]]',
    '  if (is.null(types)) stop("read_ramify: ", name, " is not a CSV file of this export")',
    '  if (requireNamespace("readr", quietly = TRUE)) {',
    '    spec <- do.call(readr::cols, as.list(types))',
    '    return(readr::read_csv(path, col_types = spec, na = "", locale = readr::locale(encoding = "UTF-8"), progress = FALSE))',
    '  }',
    '  classes <- c(c = "character", i = "integer", d = "numeric")[types]',
    '  names(classes) <- names(types)',
    '  utils::read.csv(path, colClasses = classes, na.strings = "", check.names = FALSE, fileEncoding = "UTF-8")',
    '}',
    '',
  ].join('\n');
}
