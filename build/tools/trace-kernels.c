// Separable Gaussian smoothing and the Hessian ridge response of shared/tracing (gaussian.ts smoothSeparable,
// cost-image.ts accumulateRidge), compiled to WebAssembly by build/tools/make-kernels-wasm.ts. Written for Ramify;
// freestanding (no libc).
//
// Why: the three smoothings and ridge passes of the foreground's ridge filter, and the tracer's own smoothing, were
// a fifth of a click on a 1024² field. Two lanes of doubles (f64x2) do what the JavaScript does, in the same order
// and with the same roundings (products and sums in double, every stored value rounded to float), so the results are
// bit for bit those of the JavaScript, which stays as the fallback where WebAssembly cannot run. No FMA: clang must
// not contract (-ffp-contract=off).
//
// Every function works on rows [y0, y1) of a plane, so that the caller calls it a strip at a time: V8 runs a
// WebAssembly function in its baseline compiler until it has been called often enough to be optimised.

#include <wasm_simd128.h>

typedef __SIZE_TYPE__ size_t;

// Taps of a half-kernel at most: radius round(3σ) + 1, σ up to 40 px.
#define MAX_TAPS 128

static inline int clamp_row(int y, int height) { return y < 0 ? 0 : y >= height ? height - 1 : y; }

// Two floats at p, as doubles.
static inline v128_t load2(const float *p) { return wasm_f64x2_promote_low_f32x4(wasm_v128_load64_zero(p)); }
// Two doubles rounded to float and stored at p.
static inline void store2(float *p, v128_t v) { wasm_v128_store64_lane(p, wasm_f32x4_demote_f64x2_zero(v), 0); }
// Two doubles rounded to float and back, as a float plane stores them between steps.
static inline v128_t round2(v128_t v) { return wasm_f64x2_promote_low_f32x4(wasm_f32x4_demote_f64x2_zero(v)); }

// Row pass of smoothSeparable: tmp = g ∗ src along each row, edges replicated; `pad` holds width + 2r floats.
void smooth_rows(const float *src, float *tmp, int width, int y0, int y1, const float *g, int r, float *pad) {
  double gd[MAX_TAPS];
  for (int j = 0; j <= r; j++) gd[j] = (double)g[j];
  for (int y = y0; y < y1; y++) {
    const float *row = src + (size_t)y * width;
    float *out = tmp + (size_t)y * width;
    for (int i = 0; i < r; i++) {
      pad[i] = row[0];
      pad[r + width + i] = row[width - 1];
    }
    for (int x = 0; x < width; x++) pad[r + x] = row[x];
    int x = 0;
    for (; x + 4 <= width; x += 4) {
      const float *c = pad + x + r;
      v128_t g0 = wasm_f64x2_splat(gd[0]);
      v128_t s0 = wasm_f64x2_mul(g0, load2(c));
      v128_t s1 = wasm_f64x2_mul(g0, load2(c + 2));
      for (int j = 1; j <= r; j++) {
        v128_t gj = wasm_f64x2_splat(gd[j]);
        s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(gj, wasm_f64x2_add(load2(c + j), load2(c - j))));
        s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(gj, wasm_f64x2_add(load2(c + 2 + j), load2(c + 2 - j))));
      }
      store2(out + x, s0);
      store2(out + x + 2, s1);
    }
    for (; x < width; x++) {
      const float *c = pad + x + r;
      double s = gd[0] * (double)c[0];
      for (int j = 1; j <= r; j++) s += gd[j] * ((double)c[j] + (double)c[-j]);
      out[x] = (float)s;
    }
  }
}

// Column pass of smoothSeparable: dst = g ∗ tmp down each column, edges replicated, each step rounded to float as
// the JavaScript's dst[i] += … rounds it.
void smooth_cols(const float *tmp, float *dst, int width, int height, int y0, int y1, const float *g, int r) {
  double gd[MAX_TAPS];
  const float *below[MAX_TAPS], *above[MAX_TAPS];
  for (int j = 0; j <= r; j++) gd[j] = (double)g[j];
  const v128_t g0 = wasm_f64x2_splat(gd[0]);
  for (int y = y0; y < y1; y++) {
    const float *mid = tmp + (size_t)y * width;
    float *out = dst + (size_t)y * width;
    for (int j = 1; j <= r; j++) {
      below[j] = tmp + (size_t)clamp_row(y + j, height) * width;
      above[j] = tmp + (size_t)clamp_row(y - j, height) * width;
    }
    int x = 0;
    for (; x + 4 <= width; x += 4) {
      v128_t d0 = round2(wasm_f64x2_mul(g0, load2(mid + x)));
      v128_t d1 = round2(wasm_f64x2_mul(g0, load2(mid + x + 2)));
      for (int j = 1; j <= r; j++) {
        v128_t gj = wasm_f64x2_splat(gd[j]);
        d0 = round2(wasm_f64x2_add(d0, wasm_f64x2_mul(gj, wasm_f64x2_add(load2(below[j] + x), load2(above[j] + x)))));
        d1 = round2(wasm_f64x2_add(d1, wasm_f64x2_mul(gj, wasm_f64x2_add(load2(below[j] + x + 2), load2(above[j] + x + 2)))));
      }
      store2(out + x, d0);
      store2(out + x + 2, d1);
    }
    for (; x < width; x++) {
      float d = (float)(gd[0] * (double)mid[x]);
      for (int j = 1; j <= r; j++) d = (float)((double)d + gd[j] * ((double)below[j][x] + (double)above[j][x]));
      out[x] = d;
    }
  }
}

// One pixel of accumulateRidge, with its neighbours' columns xm and xp (replicated at the edges).
static inline void ridge_px(const float *f, float *ridge, size_t o, size_t up, size_t dn, int x, int xm, int xp, double norm) {
  double c2 = 2.0 * (double)f[o + x];
  double fxx = (double)f[o + xp] + (double)f[o + xm] - c2;
  double fyy = (double)f[dn + x] + (double)f[up + x] - c2;
  double fxy = 0.25 * ((double)f[dn + xp] - (double)f[dn + xm] - (double)f[up + xp] + (double)f[up + xm]);
  double half = 0.5 * (fxx - fyy);
  double v = (__builtin_sqrt(half * half + fxy * fxy) - 0.5 * (fxx + fyy)) * norm;
  if (v > (double)ridge[o + x]) ridge[o + x] = (float)v;
}

// accumulateRidge: ridge = max(ridge, norm · max(0, −λ_min)) of the Hessian of f by central differences.
void ridge_rows(const float *f, float *ridge, int width, int height, int y0, int y1, double norm) {
  const int last = width - 1;
  const v128_t two = wasm_f64x2_splat(2.0), quarter = wasm_f64x2_splat(0.25), half = wasm_f64x2_splat(0.5), n = wasm_f64x2_splat(norm);
  for (int y = y0; y < y1; y++) {
    const size_t o = (size_t)y * width, up = (size_t)clamp_row(y - 1, height) * width, dn = (size_t)clamp_row(y + 1, height) * width;
    int x = 1;
    for (; x + 2 <= last; x += 2) {
      v128_t c2 = wasm_f64x2_mul(two, load2(f + o + x));
      v128_t fxx = wasm_f64x2_sub(wasm_f64x2_add(load2(f + o + x + 1), load2(f + o + x - 1)), c2);
      v128_t fyy = wasm_f64x2_sub(wasm_f64x2_add(load2(f + dn + x), load2(f + up + x)), c2);
      v128_t fxy = wasm_f64x2_mul(quarter, wasm_f64x2_add(wasm_f64x2_sub(wasm_f64x2_sub(load2(f + dn + x + 1), load2(f + dn + x - 1)), load2(f + up + x + 1)), load2(f + up + x - 1)));
      v128_t h = wasm_f64x2_mul(half, wasm_f64x2_sub(fxx, fyy));
      v128_t v = wasm_f64x2_mul(wasm_f64x2_sub(wasm_f64x2_sqrt(wasm_f64x2_add(wasm_f64x2_mul(h, h), wasm_f64x2_mul(fxy, fxy))), wasm_f64x2_mul(half, wasm_f64x2_add(fxx, fyy))), n);
      v128_t old = wasm_v128_load64_zero(ridge + o + x);
      v128_t higher = wasm_f64x2_gt(v, wasm_f64x2_promote_low_f32x4(old));
      // The lanes' masks are 64 bits wide; the floats they choose between are the low 32 bits of each 64.
      v128_t pick = wasm_i32x4_shuffle(higher, higher, 0, 2, 0, 2);
      wasm_v128_store64_lane(ridge + o + x, wasm_v128_bitselect(wasm_f32x4_demote_f64x2_zero(v), old, pick), 0);
    }
    for (; x < last; x++) ridge_px(f, ridge, o, up, dn, x, x - 1, x + 1, norm);
    ridge_px(f, ridge, o, up, dn, 0, 0, last > 0 ? 1 : 0, norm);
    if (last > 0) ridge_px(f, ridge, o, up, dn, last, last - 1, last, norm);
  }
}
