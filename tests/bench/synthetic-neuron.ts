import { seededRandom } from '../../shared/random';

/**
 * A deterministic 16-bit "fluorescence micrograph": dim noisy background, a bright soma and branching dendrites with
 * Gaussian cross-sections. Compresses like real data (noise dominates), unlike flat test patterns.
 */
export function syntheticNeuron(size: number, seed = 1): Uint16Array {
  const rand = seededRandom(seed);
  const signal = new Float32Array(size * size);
  const stamp = (cx: number, cy: number, r: number, amp: number) => {
    const R = Math.ceil(r * 3);
    for (let y = Math.max(0, Math.floor(cy - R)); y <= Math.min(size - 1, cy + R); y++) {
      for (let x = Math.max(0, Math.floor(cx - R)); x <= Math.min(size - 1, cx + R); x++) {
        const d2 = (x - cx) ** 2 + (y - cy) ** 2;
        const v = amp * Math.exp(-d2 / (2 * r * r));
        const i = y * size + x;
        if (v > signal[i]) signal[i] = v;
      }
    }
  };
  const c = size / 2;
  stamp(c, c, size / 60, 3000);
  const branch = (x: number, y: number, angle: number, width: number, length: number, depth: number) => {
    for (let k = 0; k < length; k += 2) {
      angle += (rand() - 0.5) * 0.2;
      x += 2 * Math.cos(angle);
      y += 2 * Math.sin(angle);
      if (x < 0 || y < 0 || x >= size || y >= size) return;
      stamp(x, y, width, 1500 + 500 * Math.sin(k / 40));
      if (depth < 4 && rand() < 0.004) branch(x, y, angle + (rand() < 0.5 ? 0.7 : -0.7), width * 0.8, length * 0.6, depth + 1);
    }
  };
  for (let i = 0; i < 7; i++) branch(c, c, (i / 7) * 2 * Math.PI, 3.5, size * 0.45, 0);
  const out = new Uint16Array(size * size);
  for (let i = 0; i < out.length; i++) {
    // Background 300 with Gaussian read noise (sd 12) plus shot-noise-like scaling of the signal.
    const g = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
    const v = 300 + signal[i] + g * (12 + Math.sqrt(signal[i]));
    out[i] = v < 0 ? 0 : v > 65535 ? 65535 : Math.round(v);
  }
  return out;
}
