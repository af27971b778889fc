// Exact GELU, ½x(1 + erf(x/√2)), and its gradient Φ(x) + x·φ(x), elementwise. erf is Abramowitz–Stegun
// 7.1.26 (absolute error ≤ 1.5e-7), the formula tfjs's own Erf kernels use.
#include "simd_math.h"

#define ERF_P 0.3275911f
#define ERF_A1 0.254829592f
#define ERF_A2 -0.284496736f
#define ERF_A3 1.421413741f
#define ERF_A4 -1.453152027f
#define ERF_A5 1.061405429f

// Φ(x) = ½(1 + erf(x/√2)), and φ(x) = e^{−x²/2}/√(2π) into *density.
static inline v128_t v_normal_cdf(v128_t x, v128_t* density) {
  v128_t z = wasm_f32x4_mul(x, wasm_f32x4_splat(0.70710678118654752f));
  v128_t az = wasm_f32x4_abs(z);
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t t = wasm_f32x4_div(one, wasm_f32x4_add(one, wasm_f32x4_mul(wasm_f32x4_splat(ERF_P), az)));
  v128_t poly = wasm_f32x4_splat(ERF_A5);
  poly = wasm_f32x4_add(wasm_f32x4_mul(poly, t), wasm_f32x4_splat(ERF_A4));
  poly = wasm_f32x4_add(wasm_f32x4_mul(poly, t), wasm_f32x4_splat(ERF_A3));
  poly = wasm_f32x4_add(wasm_f32x4_mul(poly, t), wasm_f32x4_splat(ERF_A2));
  poly = wasm_f32x4_add(wasm_f32x4_mul(poly, t), wasm_f32x4_splat(ERF_A1));
  poly = wasm_f32x4_mul(poly, t);
  v128_t gauss = v_exp(wasm_f32x4_neg(wasm_f32x4_mul(z, z)));  // e^{−x²/2}
  v128_t erf_abs = wasm_f32x4_sub(one, wasm_f32x4_mul(poly, gauss));
  v128_t erf = wasm_v128_bitselect(wasm_f32x4_neg(erf_abs), erf_abs, wasm_f32x4_lt(z, wasm_f32x4_splat(0.0f)));
  *density = wasm_f32x4_mul(gauss, wasm_f32x4_splat(0.39894228040143268f));
  return wasm_f32x4_mul(wasm_f32x4_splat(0.5f), wasm_f32x4_add(one, erf));
}

// The last, partial vector goes through a zero-padded copy.
static inline v128_t load_lanes(const float* p, int lanes) {
  if (lanes == 4) return wasm_v128_load(p);
  float tmp[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  for (int l = 0; l < lanes; l++) tmp[l] = p[l];
  return wasm_v128_load(tmp);
}

static inline void store_lanes(float* p, v128_t v, int lanes) {
  if (lanes == 4) {
    wasm_v128_store(p, v);
    return;
  }
  float tmp[4];
  wasm_v128_store(tmp, v);
  for (int l = 0; l < lanes; l++) p[l] = tmp[l];
}

/** y = x·Φ(x) for n elements. */
__attribute__((export_name("gelu_forward")))
void gelu_forward(const float* x, float* y, int n) {
  for (int i = 0; i < n; i += 4) {
    int lanes = n - i < 4 ? n - i : 4;
    v128_t xv = load_lanes(x + i, lanes), density;
    store_lanes(y + i, wasm_f32x4_mul(xv, v_normal_cdf(xv, &density)), lanes);
  }
}

/** dx = dy·(Φ(x) + x·φ(x)) for n elements. */
__attribute__((export_name("gelu_backward")))
void gelu_backward(const float* x, const float* dy, float* dx, int n) {
  for (int i = 0; i < n; i += 4) {
    int lanes = n - i < 4 ? n - i : 4;
    v128_t xv = load_lanes(x + i, lanes), density;
    v128_t cdf = v_normal_cdf(xv, &density);
    v128_t slope = wasm_f32x4_add(cdf, wasm_f32x4_mul(xv, density));
    store_lanes(dx + i, wasm_f32x4_mul(load_lanes(dy + i, lanes), slope), lanes);
  }
}
