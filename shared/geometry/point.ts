/**
 * Coordinate spaces are branded so that screen, image-pixel and micrometre values cannot be mixed by accident,
 * the classic tracer bug. Documents store ImagePx only; µm are derived from calibration when measured.
 */
declare const space: unique symbol;

/** A position in image pixels: (0,0) is the top-left corner of the top-left pixel, so pixel i's centre is i + 0.5. */
export type ImagePx = { readonly x: number; readonly y: number } & { readonly [space]?: 'image' };
/** A position on the canvas element in CSS pixels. */
export type ScreenPx = { readonly x: number; readonly y: number } & { readonly [space]?: 'screen' };
/** A position in micrometres. */
export type Um = { readonly x: number; readonly y: number; readonly z: number } & { readonly [space]?: 'um' };

export const imagePx = (x: number, y: number): ImagePx => ({ x, y }) as ImagePx;
export const screenPx = (x: number, y: number): ScreenPx => ({ x, y }) as ScreenPx;

export function distance2d(a: { x: number; y: number }, b: { x: number; y: number }): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
