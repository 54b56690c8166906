import { maskPieces } from './mask-pieces';

/** How far outside a nucleus's edge the stained cytoplasm around it may begin, px. */
const RIM_PX = 3;
/** How far the cytoplasm must run on outwards from there, px: a neurite crossing the nucleus is soon left sideways. */
const RUN_PX = 3;
/** The share of a nucleus's edge that stained cytoplasm must surround for the nucleus to count as inside a cell body. */
const RIMMED_SHARE = 0.75;

/**
 * The foreground with the nuclei that cell bodies enclose filled in, or null when none is. A stain of the cytoplasm
 * (MAP2, βIII-tubulin) leaves the nucleus dark, in one optical section as dark as the background: the body reads as a
 * ring, no deeper than a neurite, and no cell body is found there. With a nuclear stain the hole is known: a nucleus
 * (a piece of `nuclei`, 8-connected, at most `maxAreaPx`) lies inside a body when, outwards from its centre through at
 * least RIMMED_SHARE of its edge px, the foreground begins within RIM_PX px of the edge and runs on for RUN_PX px; its
 * px then join the foreground. Neurites that pass beside a glia nucleus or cross it, even through its middle, are
 * left sideways within a few px on most of those rays, and the nucleus stays out. A mesh of neurites enclosing a
 * hole is never filled without a nucleus in it.
 */
export function fillDarkNuclei(foreground: Uint8Array, nuclei: Uint8Array, width: number, height: number, maxAreaPx: number): Uint8Array | null {
  let filled: Uint8Array | null = null;
  for (const piece of maskPieces(nuclei, width, height).pieces) {
    if (piece.length > maxAreaPx || !piece.some((i) => !foreground[i])) continue;
    let cx = 0;
    let cy = 0;
    for (const i of piece) {
      cx += i % width;
      cy += Math.floor(i / width);
    }
    cx /= piece.length;
    cy /= piece.length;
    let edge = 0;
    let rimmed = 0;
    for (const i of piece) {
      const x = i % width;
      const onEdge = x === 0 || x === width - 1 || i < width || i >= nuclei.length - width || !nuclei[i - 1] || !nuclei[i + 1] || !nuclei[i - width] || !nuclei[i + width];
      if (!onEdge) continue;
      edge++;
      if (rimmedOutwards(foreground, width, height, x, (i - x) / width, cx, cy)) rimmed++;
    }
    if (rimmed < RIMMED_SHARE * edge) continue;
    filled ??= Uint8Array.from(foreground);
    for (const i of piece) filled[i] = 1;
  }
  return filled;
}

/** Along the ray from (cx, cy) through edge px (x, y): the foreground begins within RIM_PX px and runs on for RUN_PX. */
function rimmedOutwards(foreground: Uint8Array, width: number, height: number, x: number, y: number, cx: number, cy: number): boolean {
  const len = Math.hypot(x - cx, y - cy) || 1;
  const ux = (x - cx) / len;
  const uy = (y - cy) / len;
  let run = 0;
  for (let t = 0; t <= RIM_PX + RUN_PX; t++) {
    const qx = Math.round(x + ux * t);
    const qy = Math.round(y + uy * t);
    if (qx < 0 || qy < 0 || qx >= width || qy >= height) return false;
    if (foreground[qx + width * qy]) {
      if (++run >= RUN_PX) return true;
    } else if (run > 0 || t > RIM_PX) return false;
  }
  return false;
}
