import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeTiff } from '../../shared/formats/tiff/encode';
import { writeSwc } from '../../shared/formats/swc';
import type { AnnotationDocument } from '../../shared/model/document';
import { nodeCount, tracedField } from '../fixtures/traced-field';
import { scriptedNavigation, type PhaseResult } from './frame-driver';

/**
 * Pan and zoom frame intervals of the built renderer (`npm run build:e2e`) in Debian's Chromium, as in the E2E
 * harness (software rendering): a 4096² 16-bit image under an imported SWC tracing, navigated by scripted wheel
 * zoom and Space-drag with one input event per frame. Intervals between requestAnimationFrame callbacks; main-thread
 * time per frame the main thread was busy (Chrome's TaskDuration, wall time, so it grows with the machine's load)
 * and CPU time per frame of all Chromium processes (from /proc, independent of load).
 */
const CHROMIUM = process.env.RAMIFY_CHROMIUM ?? '/usr/bin/chromium';
const SIZE = 4096;

function image16(): Uint8Array {
  // A smooth 16-bit field with speckle: display contrast work like a real micrograph, nothing cached by content.
  const plane = new Uint16Array(SIZE * SIZE);
  let s = 1;
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      s = (s * 1103515245 + 12345) >>> 0;
      plane[y * SIZE + x] = 800 + ((x * 7 + y * 3) & 1023) + (s >>> 22);
    }
  return encodeTiff({ width: SIZE, height: SIZE, planes: [plane], bitsPerSample: 16, sampleFormat: 'uint', compression: 'none' });
}

const pct = (v: number[], p: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

function report(label: string, phases: PhaseResult[]): void {
  const all = phases.flatMap((p) => p.intervals);
  const frames = phases.reduce((s, p) => s + p.intervals.length, 0);
  const task = phases.reduce((s, p) => s + p.taskMs, 0) / frames;
  const cpu = phases.reduce((s, p) => s + p.cpuMs, 0) / frames;
  console.log(`  ${label}`);
  for (const p of phases)
    console.log(`    ${p.name.padEnd(34)} median ${pct(p.intervals, 50).toFixed(1).padStart(6)} ms   p95 ${pct(p.intervals, 95).toFixed(1).padStart(6)} ms   max ${Math.max(...p.intervals).toFixed(1).padStart(6)} ms   main thread busy ${(p.taskMs / p.intervals.length).toFixed(1).padStart(5)} ms/frame   Chromium CPU ${(p.cpuMs / p.intervals.length).toFixed(1).padStart(5)} ms/frame   camera moved in ${p.moved}/${p.intervals.length} frames`);
  console.log(`    ${'all frames'.padEnd(34)} median ${pct(all, 50).toFixed(1).padStart(6)} ms   p95 ${pct(all, 95).toFixed(1).padStart(6)} ms   max ${Math.max(...all).toFixed(1).padStart(6)} ms   main thread busy ${task.toFixed(1).padStart(5)} ms/frame   Chromium CPU ${cpu.toFixed(1).padStart(5)} ms/frame   (goal: median ≤ 17, p95 ≤ 20)`);
}

export async function bench(): Promise<void> {
  if (!existsSync(CHROMIUM)) return console.log(`  not measured (${CHROMIUM} not installed)`);
  const dir = mkdtempSync(join(tmpdir(), 'ramify-canvas-bench-'));
  try {
    const tif = join(dir, 'field-4096.tif');
    writeFileSync(tif, image16());
    const cases: Array<[string, AnnotationDocument]> = [
      ['1 neuron', tracedField({ neurons: 1, nodesPerNeuron: 10_000, width: SIZE, height: SIZE, seed: 1 })],
      ['40 neurons', tracedField({ neurons: 40, nodesPerNeuron: 2725, width: SIZE, height: SIZE, seed: 2 })],
    ];
    console.log(`  load average before: ${loadavg().map((l) => l.toFixed(2)).join(' ')} (2 cores shared; figures are wall-clock frame intervals)`);
    for (const [name, doc] of cases) {
      const swc = join(dir, `${name.replace(' ', '-')}.swc`);
      writeFileSync(swc, writeSwc(doc, { allowPixels: true }));
      const phases = await scriptedNavigation(CHROMIUM, tif, swc, nodeCount(doc));
      report(`${name}, ${nodeCount(doc).toLocaleString('en')} nodes, ${SIZE}² 16-bit image, viewport 1280×800 window`, phases);
    }
    console.log(`  load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await bench();
