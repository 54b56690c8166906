import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lzwDecode, lzwDecodeJs } from '../../../shared/formats/tiff/lzw-decode';
import { lzwEncode } from '../../../shared/formats/tiff/lzw-encode';
import { lzwDecodeWasm, lzwWasmAvailable } from '../../../shared/formats/tiff/lzw-wasm';
import { parseTiffStructure } from '../../../shared/formats/tiff/ifd';
import { readPageLayout } from '../../../shared/formats/tiff/page';
import { readFixture } from './fixtures';

type Outcome = { n: number; bytes: number[] } | { error: string; code: string };

function run(f: (src: Uint8Array, dst: Uint8Array) => number, src: Uint8Array, cap: number): Outcome {
  // Pre-filled with a marker so bytes the decoder does not write are compared too.
  const dst = new Uint8Array(cap).fill(0xa5);
  try {
    const n = f(src, dst);
    return { n, bytes: Array.from(dst) };
  } catch (e) {
    return { error: (e as Error).message, code: (e as { code?: string }).code ?? '' };
  }
}

/** Asserts the WASM kernel and the JS decoder agree exactly (result, every dst byte, or error) and returns it. */
function same(src: Uint8Array, cap: number): Outcome {
  const js = run(lzwDecodeJs, src, cap);
  const wasm = run(lzwDecodeWasm, src, cap);
  expect(wasm).toEqual(js);
  return js;
}

/** MSB-first packing of codes with the width a TIFF decoder uses (early change), tracking its table size. */
function packCodes(codes: number[]): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let nbits = 0;
  let width = 9;
  let next = 258;
  let first = true;
  for (const c of codes) {
    for (let b = width - 1; b >= 0; b--) {
      acc = (acc << 1) | ((c >> b) & 1);
      if (++nbits === 8) {
        out.push(acc);
        acc = 0;
        nbits = 0;
      }
    }
    if (c === 256) {
      width = 9;
      next = 258;
      first = true;
    } else if (first) {
      first = false;
    } else if (next < 4096) {
      next++;
      if (next >= (1 << width) - 1 && width < 12) width++;
    }
  }
  if (nbits > 0) out.push(acc << (8 - nbits));
  return new Uint8Array(out);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s >>> 24;
  };
}

const fixtureRoot = fileURLToPath(new URL('../../fixtures/tiff/', import.meta.url));

function tiffFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tiffFiles(p);
    return /\.tiff?$/i.test(name) ? [p.slice(fixtureRoot.length)] : [];
  });
}

/** Every LZW strip or tile in the committed TIFF fixtures, with the decoded size its page layout implies. */
function fixtureStrips(): Array<{ name: string; src: Uint8Array; cap: number; full: boolean }> {
  const strips: Array<{ name: string; src: Uint8Array; cap: number; full: boolean }> = [];
  for (const rel of tiffFiles(fixtureRoot)) {
    let t;
    try {
      t = parseTiffStructure(readFixture(rel));
    } catch {
      continue;
    }
    t.ifds.forEach((ifd, i) => {
      let page;
      try {
        page = readPageLayout(t, ifd, i);
      } catch {
        return;
      }
      if (page.compression !== 5) return;
      const cap = Math.ceil((page.blockWidth * (page.planar ? 1 : page.samplesPerPixel) * page.bitsPerSample) / 8) * page.blockHeight;
      // The last strip of a page (of each plane, when planar) may hold fewer rows than RowsPerStrip.
      const perPlane = page.blocksAcross * page.blocksDown;
      page.offsets.forEach((off, k) => strips.push({ name: `${rel}#${i}/${k}`, src: t.bytes.subarray(off, off + page.byteCounts[k]), cap, full: page.tiled || k % perPlane < perPlane - 1 }));
    });
  }
  return strips;
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('WebAssembly LZW kernel', () => {
  it('is available under Node and is what lzwDecode uses', () => {
    expect(lzwWasmAvailable()).toBe(true);
    const src = lzwEncode(new TextEncoder().encode('TOBEORNOTTOBEORTOBEORNOT'));
    const dst = new Uint8Array(24);
    expect(lzwDecode(src, dst)).toBe(24);
    expect(new TextDecoder().decode(dst)).toBe('TOBEORNOTTOBEORTOBEORNOT');
  });

  it('decodes every LZW strip of the TIFF fixtures byte-identically to the JS decoder, whole and cut short', () => {
    const strips = fixtureStrips();
    // color8, color16, grey8, planar-rgb, predictor-3, tiled: at least one strip from each LZW fixture.
    expect(new Set(strips.map((s) => s.name.split('#')[0])).size).toBeGreaterThanOrEqual(6);
    for (const { name, src, cap, full } of strips) {
      const whole = same(src, cap);
      if (!('n' in whole)) throw new Error(`${name}: ${whole.error}`);
      if (full) expect(whole.n, name).toBe(cap);
      else expect(whole.n, name).toBeGreaterThan(0);
      same(src, cap >> 1); // dst full mid-string
      same(src.subarray(0, src.length >> 1), cap); // input ends without EndOfInformation
    }
  });

  it('hand-built KwKwK stream: A, then codes 258 and 259 before they exist in the table', () => {
    // 'A' + 'AA' (KwKwK of A) + 'AAA' (KwKwK of AA) = six A's.
    const src = packCodes([256, 65, 258, 259, 257]);
    expect(same(src, 16)).toMatchObject({ n: 6 });
    const dst = new Uint8Array(6);
    lzwDecodeWasm(src, dst);
    expect(new TextDecoder().decode(dst)).toBe('AAAAAA');
    // A long KwKwK chain: strings of 1..90 bytes, so copies cross the 8-byte chunk boundary many times.
    const chain = [256, 7];
    for (let c = 258; c < 258 + 89; c++) chain.push(c);
    chain.push(257);
    expect(same(packCodes(chain), 5000)).toMatchObject({ n: (90 * 91) / 2 });
  });

  it('runs with a full 4096-entry table (no ClearCode) in 12-bit codes, and across ClearCodes', () => {
    const r = rng(7);
    const codes = [256];
    for (let i = 0; i < 6000; i++) codes.push(r());
    codes.push(257);
    expect(same(packCodes(codes), 7000)).toMatchObject({ n: 6000 });
    const withClears = [256];
    for (let i = 0; i < 3000; i++) withClears.push(i % 700 === 699 ? 256 : r());
    withClears.push(257);
    same(packCodes(withClears), 4000);
  });

  it('round-trips random, structured and 16-bit image-like data encoded with lzwEncode (table resets included)', () => {
    const r = rng(42);
    const inputs: Uint8Array[] = [
      new Uint8Array(0),
      new Uint8Array([9]),
      new Uint8Array(100_000), // one long run: KwKwK all the way
      Uint8Array.from({ length: 70_000 }, () => r()), // incompressible: many ClearCodes
      Uint8Array.from({ length: 70_000 }, (_, i) => (i % 37) ^ (i >> 11)), // periodic
      Uint8Array.from({ length: 70_000 }, () => r() & 3), // small alphabet: long strings
      new Uint8Array(Uint16Array.from({ length: 40_000 }, (_, i) => 1000 + ((i * 7) % 300) + (r() & 15)).buffer),
    ];
    for (const input of inputs) {
      const src = lzwEncode(input);
      expect(same(src, input.length)).toEqual({ n: input.length, bytes: Array.from(input) });
      same(src, input.length + 100); // room to spare: stops at EndOfInformation
      for (const cut of [1, 2, 3, 17, src.length >> 2, src.length - 1]) same(src.subarray(0, cut), input.length);
    }
  });

  it('reports a code missing from the table with the same error as the JS decoder', () => {
    expect(same(packCodes([256, 65, 300]), 10)).toEqual({ error: 'Corrupt TIFF: LZW code 300 is not in the table (next free 258).', code: 'corrupt' });
    expect(same(packCodes([256, 258]), 10)).toEqual({ error: 'Corrupt TIFF: LZW code 258 is not in the table (next free 258).', code: 'corrupt' });
    expect(same(packCodes([256, 65, 66, 67, 511]), 10)).toEqual({ error: 'Corrupt TIFF: LZW code 511 is not in the table (next free 260).', code: 'corrupt' });
    expect(run(lzwDecode, packCodes([256, 65, 300]), 10)).toEqual({ error: 'Corrupt TIFF: LZW code 300 is not in the table (next free 258).', code: 'corrupt' });
  });

  it('agrees with the JS decoder on garbage input (results, bytes written, or error message)', () => {
    const r = rng(3);
    let errors = 0;
    for (let t = 0; t < 400; t++) {
      const src = Uint8Array.from({ length: 1 + (r() % 64) }, () => r());
      if (src[0] === 0) src[0] = 0x80; // keep old-style LZW detection out of it
      if ('error' in same(src, 1 + (r() % 200))) errors++;
    }
    expect(errors).toBeGreaterThan(0);
  });

  it('rejects old-style LZW through lzwDecode like the JS decoder', () => {
    const src = new Uint8Array([0, 1, 2, 3]);
    const msg = 'TIFF compression LZW in the pre-1992 bit order (old-style LZW) is not supported — re-save the image with a current tool.';
    expect(run(lzwDecode, src, 10)).toEqual({ error: msg, code: 'unsupported' });
    expect(run(lzwDecodeJs, src, 10)).toEqual({ error: msg, code: 'unsupported' });
  });

  it('decodes a strip larger than the kept memory (9 MiB) and keeps working on small ones afterwards', () => {
    const big = new Uint8Array(9 << 20);
    for (let i = 0; i < big.length; i += 4096) big[i] = i >> 12;
    const src = lzwEncode(big);
    const dst = new Uint8Array(big.length);
    expect(lzwDecodeWasm(src, dst)).toBe(big.length);
    let diffs = 0;
    for (let i = 0; i < big.length; i++) if (dst[i] !== big[i]) diffs++;
    expect(diffs).toBe(0);
    same(lzwEncode(new TextEncoder().encode('abcabcabcabcabc')), 15);
  });

  it('falls back to the JS decoder when WebAssembly is missing', async () => {
    vi.resetModules();
    vi.stubGlobal('WebAssembly', undefined);
    const fresh = await import('../../../shared/formats/tiff/lzw-decode');
    const wasm = await import('../../../shared/formats/tiff/lzw-wasm');
    expect(wasm.lzwWasmAvailable()).toBe(false);
    const dst = new Uint8Array(6);
    expect(fresh.lzwDecode(packCodes([256, 65, 258, 259, 257]), dst)).toBe(6);
    expect(new TextDecoder().decode(dst)).toBe('AAAAAA');
  });
});
