/**
 * Ramify's application icon: a stylised neuron (a soma and tapering dendrites that fork twice) on a dark rounded
 * square, with one faint Sholl shell. The geometry below is the single source: it is written out as
 * build/icons/icon.svg and rasterised here (signed-distance coverage, exact at every size) into build/icon.png
 * (1024², Linux and macOS), build/icon.icns (128–1024) and build/icon.ico (16–256) for electron-builder.
 * Run with `npm run icon`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode } from 'fast-png';

type RGB = [number, number, number];
/** A tapered stroke from (x0,y0) to (x1,y1) with half-widths r0 and r1; units of a 100×100 canvas. */
interface Stroke { x0: number; y0: number; r0: number; x1: number; y1: number; r1: number }

const BACKGROUND: RGB = [0x12, 0x1d, 0x2a];
const DENDRITE: RGB = [0x4f, 0xe3, 0xff];
const SOMA: RGB = [0xff, 0xd4, 0x00];
const SHELL: RGB = [0x4f, 0xe3, 0xff];
const CORNER = 22;
const SOMA_AT = { x: 50, y: 57, r: 8.5 };
const SHELL_R = 30;

/** Dendrites: each grows from a point of its parent, thinner than it, forking twice. */
function dendrites(): Stroke[] {
  const out: Stroke[] = [];
  const grow = (x: number, y: number, angle: number, length: number, r: number, depth: number) => {
    const x1 = x + Math.cos(angle) * length;
    const y1 = y + Math.sin(angle) * length;
    const r1 = r * 0.72;
    out.push({ x0: x, y0: y, r0: r, x1, y1, r1 });
    if (depth === 0) return;
    const spread = 0.42 + 0.08 * depth;
    // Unequal daughters, as real forks are.
    grow(x1, y1, angle - spread, length * (depth % 2 ? 0.74 : 0.6), r1, depth - 1);
    grow(x1, y1, angle + spread * 0.8, length * (depth % 2 ? 0.6 : 0.74), r1, depth - 1);
  };
  const deg = Math.PI / 180;
  grow(SOMA_AT.x, SOMA_AT.y, -86 * deg, 22, 3.4, 2);
  grow(SOMA_AT.x, SOMA_AT.y, -155 * deg, 17, 2.8, 1);
  grow(SOMA_AT.x, SOMA_AT.y, -25 * deg, 18, 2.8, 2);
  grow(SOMA_AT.x, SOMA_AT.y, 122 * deg, 16, 2.5, 1);
  grow(SOMA_AT.x, SOMA_AT.y, 58 * deg, 15, 2.3, 1);
  return out;
}

const STROKES = dendrites();

/** Signed distance to a tapered capsule (round cone between two circles). */
function taperedDistance(px: number, py: number, s: Stroke): number {
  const dx = s.x1 - s.x0;
  const dy = s.y1 - s.y0;
  const len2 = dx * dx + dy * dy;
  const t = Math.max(0, Math.min(1, ((px - s.x0) * dx + (py - s.y0) * dy) / len2));
  const cx = s.x0 + t * dx;
  const cy = s.y0 + t * dy;
  return Math.hypot(px - cx, py - cy) - (s.r0 + (s.r1 - s.r0) * t);
}

function roundedSquareDistance(px: number, py: number): number {
  const qx = Math.abs(px - 50) - (50 - CORNER);
  const qy = Math.abs(py - 50) - (50 - CORNER);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - CORNER;
}

/** RGBA pixels of the icon at size × size. */
export function renderIcon(size: number): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const unit = 100 / size; // canvas units per pixel
  // Keep strokes at least about a pixel wide at small sizes.
  const minR = 0.55 * unit;
  const cover = (d: number) => Math.max(0, Math.min(1, 0.5 - d / unit));
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) * unit;
      const y = (j + 0.5) * unit;
      const bg = cover(roundedSquareDistance(x, y));
      if (bg === 0) continue;
      let c: RGB = [...BACKGROUND];
      const mix = (col: RGB, a: number) => {
        c = [c[0] + (col[0] - c[0]) * a, c[1] + (col[1] - c[1]) * a, c[2] + (col[2] - c[2]) * a];
      };
      mix(SHELL, 0.22 * cover(Math.abs(Math.hypot(x - SOMA_AT.x, y - SOMA_AT.y) - SHELL_R) - Math.max(0.45, minR)));
      let d = Infinity;
      for (const s of STROKES) d = Math.min(d, taperedDistance(x, y, { ...s, r0: Math.max(s.r0, minR), r1: Math.max(s.r1, minR) }));
      mix(DENDRITE, cover(d));
      mix(SOMA, cover(Math.hypot(x - SOMA_AT.x, y - SOMA_AT.y) - SOMA_AT.r));
      const k = (j * size + i) * 4;
      rgba[k] = Math.round(c[0]);
      rgba[k + 1] = Math.round(c[1]);
      rgba[k + 2] = Math.round(c[2]);
      rgba[k + 3] = Math.round(255 * bg);
    }
  }
  return rgba;
}

export const pngIcon = (size: number): Uint8Array => encode({ width: size, height: size, data: renderIcon(size), channels: 4, depth: 8 });

const hex = (c: RGB) => `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** The same drawing as SVG (round caps approximate the tapered capsules). */
export function svgIcon(): string {
  const f = (v: number) => Number(v.toFixed(2));
  const strokes = STROKES.map((s) => {
    // A tapered capsule as a polygon between the two end circles' tangent points, plus the circles.
    const a = Math.atan2(s.y1 - s.y0, s.x1 - s.x0) + Math.PI / 2;
    const pts = [
      [s.x0 + Math.cos(a) * s.r0, s.y0 + Math.sin(a) * s.r0],
      [s.x1 + Math.cos(a) * s.r1, s.y1 + Math.sin(a) * s.r1],
      [s.x1 - Math.cos(a) * s.r1, s.y1 - Math.sin(a) * s.r1],
      [s.x0 - Math.cos(a) * s.r0, s.y0 - Math.sin(a) * s.r0],
    ];
    return `<polygon points="${pts.map(([x, y]) => `${f(x)},${f(y)}`).join(' ')}"/><circle cx="${f(s.x1)}" cy="${f(s.y1)}" r="${f(s.r1)}"/>`;
  });
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="1024" height="1024">',
    `  <rect width="100" height="100" rx="${CORNER}" fill="${hex(BACKGROUND)}"/>`,
    `  <circle cx="${SOMA_AT.x}" cy="${SOMA_AT.y}" r="${SHELL_R}" fill="none" stroke="${hex(SHELL)}" stroke-opacity="0.22" stroke-width="0.9"/>`,
    `  <g fill="${hex(DENDRITE)}">${strokes.join('')}</g>`,
    `  <circle cx="${SOMA_AT.x}" cy="${SOMA_AT.y}" r="${SOMA_AT.r}" fill="${hex(SOMA)}"/>`,
    '</svg>',
    '',
  ].join('\n');
}

/** Apple icon container of PNG entries (ic07 128, ic08 256, ic09 512, ic10 1024). */
export function icns(): Uint8Array {
  const entries = ([['ic07', 128], ['ic08', 256], ['ic09', 512], ['ic10', 1024]] as const).map(([type, size]) => ({ type, png: pngIcon(size) }));
  const total = 8 + entries.reduce((n, e) => n + 8 + e.png.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const tag = (at: number, s: string) => [...s].forEach((ch, k) => (out[at + k] = ch.charCodeAt(0)));
  tag(0, 'icns');
  view.setUint32(4, total);
  let at = 8;
  for (const e of entries) {
    tag(at, e.type);
    view.setUint32(at + 4, 8 + e.png.length);
    out.set(e.png, at + 8);
    at += 8 + e.png.length;
  }
  return out;
}

/** A 32-bit BGRA DIB entry (with its AND mask), which every Windows tool reads; 256 px is stored as PNG. */
function dibEntry(size: number): Uint8Array {
  const rgba = renderIcon(size);
  const maskRow = Math.ceil(size / 32) * 4;
  const out = new Uint8Array(40 + size * size * 4 + maskRow * size);
  const view = new DataView(out.buffer);
  view.setUint32(0, 40, true);
  view.setInt32(4, size, true);
  view.setInt32(8, size * 2, true);
  view.setUint16(12, 1, true);
  view.setUint16(14, 32, true);
  view.setUint32(20, size * size * 4 + maskRow * size, true);
  for (let j = 0; j < size; j++) {
    const row = 40 + (size - 1 - j) * size * 4;
    for (let i = 0; i < size; i++) {
      const k = (j * size + i) * 4;
      out[row + i * 4] = rgba[k + 2];
      out[row + i * 4 + 1] = rgba[k + 1];
      out[row + i * 4 + 2] = rgba[k];
      out[row + i * 4 + 3] = rgba[k + 3];
    }
  }
  return out;
}

export function ico(): Uint8Array {
  const sizes = [16, 24, 32, 48, 64, 128, 256];
  const images = sizes.map((s) => (s === 256 ? pngIcon(s) : dibEntry(s)));
  const total = 6 + 16 * sizes.length + images.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint16(2, 1, true);
  view.setUint16(4, sizes.length, true);
  let at = 6 + 16 * sizes.length;
  sizes.forEach((s, k) => {
    const e = 6 + 16 * k;
    out[e] = s === 256 ? 0 : s;
    out[e + 1] = s === 256 ? 0 : s;
    view.setUint16(e + 4, 1, true);
    view.setUint16(e + 6, 32, true);
    view.setUint32(e + 8, images[k].length, true);
    view.setUint32(e + 12, at, true);
    out.set(images[k], at);
    at += images[k].length;
  });
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const buildDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  mkdirSync(join(buildDir, 'icons'), { recursive: true });
  writeFileSync(join(buildDir, 'icons', 'icon.svg'), svgIcon());
  writeFileSync(join(buildDir, 'icon.png'), pngIcon(1024));
  writeFileSync(join(buildDir, 'icon.icns'), icns());
  writeFileSync(join(buildDir, 'icon.ico'), ico());
  for (const s of [16, 32, 48, 64, 128, 256, 512]) writeFileSync(join(buildDir, 'icons', `${s}x${s}.png`), pngIcon(s));
}
