/**
 * Child process of the crash test: saves two versions of a large annotation file alternately, forever, until the
 * parent kills it with SIGKILL. Usage: crash-writer TARGET VERSION_A VERSION_B (the parent wrote A to TARGET
 * first). The versions come as files the parent wrote, and this script imports only the atomic write, so starting
 * a child is cheap.
 */
import { readFileSync } from 'node:fs';
import { writeFileAtomicDurable } from '../../../../electron/services/atomic-write';

const [target, pathA, pathB] = process.argv.slice(2);
const texts = [readFileSync(pathA, 'utf8'), readFileSync(pathB, 'utf8')];
process.stdout.write('go\n');
for (let i = 1; ; i++) await writeFileAtomicDurable(target, texts[i % 2], { backup: true });
