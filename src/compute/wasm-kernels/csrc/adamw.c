// One torch.optim.AdamW step (single-tensor path, amsgrad=False) of one parameter, in place on p, m, v, with
// exactly the float32 operations and order of compute/adamw.ts's tfjs formulation (so both agree bit for bit):
//   d = p·decay;  m ← m + (g − m)·(1−β1);  v ← v·β2 + (g·g)·(1−β2)
//   p ← d − (m / (√v / bc2sqrt + eps))·step_size
// wasm has no fused multiply-add outside relaxed SIMD, so nothing here is contracted.
#include <wasm_simd128.h>

static inline void adamw_lane(float* p, float* m, float* v, const float* g, float decay, float one_minus_b1, float b2,
                              float one_minus_b2, float bc2sqrt, float eps, float step_size) {
  float gi = *g;
  float d = *p * decay;
  float mi = *m + (gi - *m) * one_minus_b1;
  float vi = *v * b2 + (gi * gi) * one_minus_b2;
  float denom = __builtin_sqrtf(vi) / bc2sqrt + eps;
  *p = d - (mi / denom) * step_size;
  *m = mi;
  *v = vi;
}

__attribute__((export_name("adamw_step")))
void adamw_step(float* p, float* m, float* v, const float* g, int n, float decay, float one_minus_b1, float b2,
                float one_minus_b2, float bc2sqrt, float eps, float step_size) {
  v128_t vdecay = wasm_f32x4_splat(decay), vb1 = wasm_f32x4_splat(one_minus_b1), vb2 = wasm_f32x4_splat(b2);
  v128_t vb2c = wasm_f32x4_splat(one_minus_b2), vbc2 = wasm_f32x4_splat(bc2sqrt), veps = wasm_f32x4_splat(eps);
  v128_t vstep = wasm_f32x4_splat(step_size);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t gi = wasm_v128_load(g + i), pi = wasm_v128_load(p + i), mi = wasm_v128_load(m + i), vi = wasm_v128_load(v + i);
    v128_t d = wasm_f32x4_mul(pi, vdecay);
    mi = wasm_f32x4_add(mi, wasm_f32x4_mul(wasm_f32x4_sub(gi, mi), vb1));
    vi = wasm_f32x4_add(wasm_f32x4_mul(vi, vb2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), vb2c));
    v128_t denom = wasm_f32x4_add(wasm_f32x4_div(wasm_f32x4_sqrt(vi), vbc2), veps);
    wasm_v128_store(p + i, wasm_f32x4_sub(d, wasm_f32x4_mul(wasm_f32x4_div(mi, denom), vstep)));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
  }
  for (; i < n; i++) adamw_lane(p + i, m + i, v + i, g + i, decay, one_minus_b1, b2, one_minus_b2, bc2sqrt, eps, step_size);
}
