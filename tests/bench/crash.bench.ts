/**
 * Crash-safety figures: a child saves two versions of a large annotation file alternately and is SIGKILLed at
 * random moments; after each kill the file must be exactly one version. Also: save/load times of large files.
 * Environment variables CRASH_TRIALS (default 500) and CRASH_NODES (default 50000) scale it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAnnotation, saveAnnotation } from '../../electron/services/annotation-store';
import { parseAnnotation, serializeAnnotation } from '../../shared/formats/annotation-file';
import { crashVersions } from '../unit/persistence/helpers/crash-docs';
import { runCrashTrials } from '../unit/persistence/helpers/crash-harness';

export async function bench(): Promise<void> {
  const trials = Number(process.env.CRASH_TRIALS ?? 500);
  const nodes = Number(process.env.CRASH_NODES ?? 50_000);

  for (const n of [50_000, 500_000]) {
    const [file] = crashVersions(n);
    let t0 = performance.now();
    const text = serializeAnnotation(file);
    const ser = performance.now() - t0;
    t0 = performance.now();
    parseAnnotation(text);
    const parse = performance.now() - t0;
    const dir = mkdtempSync(join(tmpdir(), 'ramify-bench-'));
    try {
      const p = join(dir, 'a.ramify.json');
      t0 = performance.now();
      await saveAnnotation(p, file);
      const save = performance.now() - t0;
      t0 = performance.now();
      await loadAnnotation(p);
      const load = performance.now() - t0;
      console.log(
        `annotation ${n.toLocaleString('en-US')} nodes: ${(text.length / 1048576).toFixed(1)} MB, serialize ${ser.toFixed(0)} ms, parse+validate ${parse.toFixed(0)} ms, save (atomic+fsync+backup) ${save.toFixed(0)} ms, load ${load.toFixed(0)} ms`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  const r = await runCrashTrials({ mode: 'save', trials, nodes, maxDelayMs: 300, seed: 2025, parseEach: true });
  console.log(
    `crash (save, ${nodes.toLocaleString('en-US')} nodes, ${(r.fileChars / 1048576).toFixed(1)} MB): ${r.trials} SIGKILLs, ${r.sawA} left version A, ${r.sawB} left version B, ${r.killedMidWrite} killed mid-save, ${r.failures.length} corrupt/mixed/missing, ${(r.ms / 1000).toFixed(1)} s`,
  );
  for (const f of r.failures.slice(0, 10)) console.log(`  FAILURE ${f}`);
  const j = await runCrashTrials({ mode: 'journal', trials: Math.ceil(trials / 5), nodes: Math.min(nodes, 20_000), maxDelayMs: 300, seed: 2026 });
  console.log(`crash (recovery journal): ${j.trials} SIGKILLs, ${j.sawA}/${j.sawB} versions A/B restored, ${j.failures.length} failures, ${(j.ms / 1000).toFixed(1)} s`);
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
