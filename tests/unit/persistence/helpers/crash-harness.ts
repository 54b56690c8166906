/**
 * Runs the crash experiment: one child saves continuously; it is SIGKILLed at a random moment, the file on disk is
 * checked, and a new child starts (the next trial). The child is bundled once with esbuild so a trial costs a plain
 * `node` start (~50 ms) rather than a TypeScript loader start.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { AutosaveJournal } from '../../../../electron/services/autosave-journal';
import { parseAnnotation, serializeAnnotation } from '../../../../shared/formats/annotation-file';
import { crashVersions } from './crash-docs';

export interface CrashReport {
  trials: number;
  /** Trials after which the file held version A / version B, complete. */
  sawA: number;
  sawB: number;
  /** Trials whose kill landed mid-save (a temp file was left behind). */
  killedMidWrite: number;
  /** Trials whose file was missing, truncated, mixed or unparseable (must be 0), with a description each. */
  failures: string[];
  /** Text length of one version (bytes ≈ characters). */
  fileChars: number;
  ms: number;
}

const seeded = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

export async function runCrashTrials(o: { mode: 'save' | 'journal'; trials: number; nodes: number; maxDelayMs: number; seed?: number; /** Also parse the file after each kill (default true; equality with a version implies it parses). */ parseEach?: boolean }): Promise<CrashReport> {
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'ramify-crash-'));
  const random = seeded(o.seed ?? 1);
  try {
    const childJs = join(dir, 'crash-writer.mjs');
    await build({
      entryPoints: [new URL(o.mode === 'save' ? './crash-writer.ts' : './crash-journal-writer.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: childJs,
      logLevel: 'silent',
    });
    const [a, b] = crashVersions(o.nodes);
    const texts = [serializeAnnotation(a), serializeAnnotation(b)];
    const target = o.mode === 'save' ? join(dir, 'work', 'cells.ramify.json') : join(dir, 'work', 'recovery');
    const work = join(dir, 'work');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work);
    const versionPaths = [join(dir, 'a.ramify.json'), join(dir, 'b.ramify.json')];
    versionPaths.forEach((p, i) => writeFileSync(p, texts[i]));
    const journal = new AutosaveJournal(target);
    if (o.mode === 'save') writeFileSync(target, texts[0]);
    else await journal.writeJournal('crash', a);

    const report: CrashReport = { trials: 0, sawA: 0, sawB: 0, killedMidWrite: 0, failures: [], fileChars: texts[0].length, ms: 0 };
    for (let trial = 0; trial < o.trials; trial++) {
      const child = spawn(process.execPath, [childJs, target, ...versionPaths], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', () => reject(new Error(`crash writer exited early: ${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, random() * o.maxDelayMs));
      child.kill('SIGKILL');
      await exited;
      report.trials++;

      const folder = o.mode === 'save' ? work : target;
      const temps = readdirSync(folder).filter((n) => n.endsWith('.tmp') || n.endsWith('.baktmp'));
      if (temps.length > 0) report.killedMidWrite++;
      for (const n of temps) unlinkSync(join(folder, n));

      try {
        let text: string;
        if (o.mode === 'save') {
          text = readFileSync(target, 'utf8');
          if (o.parseEach !== false) parseAnnotation(text); // must parse…
          if (existsSync(`${target}.bak`)) {
            const bak = readFileSync(`${target}.bak`, 'utf8');
            if (bak !== texts[0] && bak !== texts[1]) throw new Error(`backup is neither version (${bak.length} chars)`);
          }
        } else {
          text = serializeAnnotation((await journal.readJournal('crash')).file);
        }
        if (text === texts[0]) report.sawA++;
        else if (text === texts[1]) report.sawB++;
        else throw new Error(`content is neither version (${text.length} chars)`); // …and be one version exactly
      } catch (e) {
        report.failures.push(`trial ${trial}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    report.ms = performance.now() - started;
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
