import { describe, expect, it } from 'vitest';
import { runCrashTrials } from './helpers/crash-harness';

describe('crash safety (SIGKILL during saves)', () => {
  it('after every kill the annotation file is complete: exactly one of the two versions written', async () => {
    const r = await runCrashTrials({ mode: 'save', trials: 60, nodes: 10_000, maxDelayMs: 150, seed: 7 });
    expect(r.failures).toEqual([]);
    expect(r.trials).toBe(60);
    expect(r.sawA + r.sawB).toBe(60);
    // The kills must land at varied moments: both versions seen, and some kills in the middle of a save.
    expect(r.sawA).toBeGreaterThan(0);
    expect(r.sawB).toBeGreaterThan(0);
    expect(r.killedMidWrite).toBeGreaterThan(0);
  }, 90_000);

  it('after every kill the recovery journal restores one complete journaled state', async () => {
    const r = await runCrashTrials({ mode: 'journal', trials: 15, nodes: 5_000, maxDelayMs: 150, seed: 11 });
    expect(r.failures).toEqual([]);
    expect(r.sawA + r.sawB).toBe(15);
    expect(r.sawA).toBeGreaterThan(0);
    expect(r.sawB).toBeGreaterThan(0);
  }, 60_000);
});
