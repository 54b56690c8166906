/**
 * Child process of the journal crash test: journals two document states alternately under key "crash" in the
 * recovery folder TARGET until killed. Usage: crash-journal-writer TARGET VERSION_A VERSION_B
 */
import { readFileSync } from 'node:fs';
import { AutosaveJournal } from '../../../../electron/services/autosave-journal';
import { parseAnnotation } from '../../../../shared/formats/annotation-file';

const [target, pathA, pathB] = process.argv.slice(2);
const files = [pathA, pathB].map((p) => parseAnnotation(readFileSync(p, 'utf8')));
const journal = new AutosaveJournal(target);
process.stdout.write('go\n');
for (let i = 1; ; i++) await journal.writeJournal('crash', files[i % 2]);
