/** Paints a pixel of a test image (out-of-range pixels are the painter's caller's concern). */
export type SetPixel = (x: number, y: number) => void;

/** Every pixel whose index lies within r of (cx, cy). */
export const disk = (set: SetPixel, cx: number, cy: number, r: number) => {
  for (let y = Math.floor(cy - r); y <= cy + r; y++) for (let x = Math.floor(cx - r); x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) set(x, y);
};

/** A horizontal band of rows y0…y1 from x0 to x1. */
export const band = (set: SetPixel, x0: number, x1: number, y0: number, y1: number) => {
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) set(x, y);
};
