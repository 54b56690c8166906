/**
 * mulberry32: a tiny, well-distributed 32-bit PRNG; the same seed gives the same sequence on every platform. Used
 * wherever Ramify needs reproducible randomness: blinding codes, the synthetic sample, seeded tests and benches.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal deviate (Box–Muller) from two draws of `uniform`: Gaussian noise as reproducible as its source. */
export function normalDeviate(uniform: () => number): number {
  const u = Math.max(1e-12, uniform());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
}
