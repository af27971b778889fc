// Vector and scalar exp/log for the kernels (no libc in this module). exp: Cephes-style range reduction
// x = n·ln2 + r, degree-6 polynomial for e^r, 2^n built in the exponent bits; about 2 ulp on [-87, 88],
// 0 below (so exp(-inf) = 0, which the kernels use to mask padded keys and rows).
#ifndef SONIC_SIMD_MATH_H
#define SONIC_SIMD_MATH_H
#include <wasm_simd128.h>

static inline v128_t v_exp(v128_t x) {
  const v128_t hi = wasm_f32x4_splat(88.3762626647949f);
  const v128_t lo = wasm_f32x4_splat(-87.3365478515625f);
  v128_t under = wasm_f32x4_lt(x, lo);
  x = wasm_f32x4_min(wasm_f32x4_max(x, lo), hi);
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_add(r, wasm_f32x4_mul(n, wasm_f32x4_splat(2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  v128_t r2 = wasm_f32x4_mul(r, r);
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, r2), r), wasm_f32x4_splat(1.0f));
  // n in [-126, 127] after the clamp: 2^n = (n + 127) << 23.
  v128_t pow2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
  v128_t y = wasm_f32x4_mul(p, pow2);
  return wasm_v128_andnot(y, under);
}

// e^x for x ≤ 0 (softmax arguments): 0 below −87.3 (so e^−inf = 0). XNNPACK's scheme: the rounding of x·log2e
// and the exponent bits 2^n both come from adding a magic number, no float→int conversion.
static inline v128_t v_exp_nonpos(v128_t x) {
  const v128_t magic = wasm_f32x4_splat(12583039.0f);  // 1.5·2^23 + 127
  v128_t under = wasm_f32x4_lt(x, wasm_f32x4_splat(-87.3365478515625f));
  v128_t v = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), magic);
  v128_t pow2 = wasm_i32x4_shl(v, 23);
  v128_t n = wasm_f32x4_sub(v, magic);
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_add(r, wasm_f32x4_mul(n, wasm_f32x4_splat(2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, wasm_f32x4_mul(r, r)), r), wasm_f32x4_splat(1.0f));
  return wasm_v128_andnot(wasm_f32x4_mul(p, pow2), under);
}

// 2^x for x ≤ 0, for softmax arguments kept in log2 units: x = n + t with n = round(x) (magic-number rounding,
// which also leaves n + 127 in the low bits, so the exponent bits of 2^n are one shift away) and t in
// [−½, ½] exactly, then a degree-5 minimax polynomial for 2^t (relative error 2.3e-7 evaluated in fp32, about
// 2 ulp). Arguments below −126 (−inf included) give 2^−126·2^t ≈ 1e-38 instead of 0: softmax sums are ≥ 1,
// and the kernels' padded keys and rows multiply it by exact zeros.
static inline v128_t v_exp2_nonpos(v128_t x) {
  const v128_t magic = wasm_f32x4_splat(12583039.0f);  // 1.5·2^23 + 127
  x = wasm_f32x4_pmax(x, wasm_f32x4_splat(-126.0f));  // pmax: one maxps on x86 (max needs NaN fix-ups)
  v128_t v = wasm_f32x4_add(x, magic);
  v128_t pow2 = wasm_i32x4_shl(v, 23);
  v128_t t = wasm_f32x4_sub(x, wasm_f32x4_sub(v, magic));
  v128_t p = wasm_f32x4_splat(1.32764550e-3f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(9.67554003e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(5.55071346e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(2.40221202e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(6.93146944e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, t), wasm_f32x4_splat(1.00000012f));
  return wasm_f32x4_mul(p, pow2);
}

static inline float s_exp2_nonpos(float x) { return wasm_f32x4_extract_lane(v_exp2_nonpos(wasm_f32x4_splat(x)), 0); }

static inline float s_exp(float x) { return wasm_f32x4_extract_lane(v_exp(wasm_f32x4_splat(x)), 0); }

// Natural log for x > 0 (finite): x = m·2^e with m in [√½, √2), log m = 2·atanh(t), t = (m-1)/(m+1).
static inline float s_log(float x) {
  union { float f; int i; } u = { x };
  int e = ((u.i >> 23) & 0xff) - 127;
  u.i = (u.i & 0x007fffff) | 0x3f800000;
  float m = u.f;
  if (m > 1.41421356f) { m *= 0.5f; e += 1; }
  double t = ((double)m - 1.0) / ((double)m + 1.0);
  double t2 = t * t;
  double s = t * (2.0 + t2 * (2.0 / 3 + t2 * (2.0 / 5 + t2 * (2.0 / 7 + t2 * (2.0 / 9 + t2 * (2.0 / 11))))));
  return (float)(s + (double)e * 0.69314718055994530942);
}

static inline float hsum(v128_t v) {
  return (wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1)) + (wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3));
}

static inline float hmax(v128_t v) {
  float a = wasm_f32x4_extract_lane(v, 0), b = wasm_f32x4_extract_lane(v, 1);
  float c = wasm_f32x4_extract_lane(v, 2), d = wasm_f32x4_extract_lane(v, 3);
  a = a > b ? a : b;
  c = c > d ? c : d;
  return a > c ? a : c;
}

#endif
