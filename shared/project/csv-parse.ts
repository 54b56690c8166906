import { RamifyError } from '../result';

/**
 * Reads RFC 4180 CSV as spreadsheets save it: optional UTF-8 BOM, CRLF or LF, quoted fields with doubled quotes and
 * embedded line breaks. Semicolon-separated files (European Excel) are accepted when the header has semicolons and
 * no commas. Blank lines are skipped. Throws RamifyError('csv-malformed') naming the line of an unclosed quote.
 */
export function parseCsv(text: string): string[][] {
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const sep = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  let i = 0;
  const endRow = () => {
    row.push(field);
    field = '';
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === sep) {
      row.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      line++;
      endRow();
    } else field += c;
    i++;
  }
  if (quoted) throw new RamifyError('csv-malformed', `CSV line ${quoteLine}: a quoted field is never closed.`);
  if (field !== '' || row.length > 0) endRow();
  return rows;
}
