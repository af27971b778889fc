// Fused scaled-dot-product attention for one [heads, N, d] problem per call: the scratch size and the backward
// pass (the forward pass is attention_forward.c). FlashAttention's scheme on a CPU: queries in blocks of R
// rows, keys in tiles of T; the forward pass saves only O and the per-row logsumexp, and the backward pass
// recomputes P tile by tile from the logsumexp. Nothing larger than R×T scores is held. The backward pass's
// inner loops run over keys (SIMD over 4 keys), so K and V are used transposed (Kᵀ [d, nk], Vᵀ [dv, nk],
// padded with zero keys to a multiple of W); padded keys get score -inf, padded query rows get zero inputs
// and logsumexp +inf, so both contribute exactly nothing.
#include "attention_blocks.h"

/** Scratch floats attention_forward and attention_backward need (one head's transposed K, V, dK, dV, plus blocks). */
__attribute__((export_name("attention_scratch_floats")))
int attention_scratch_floats(int nk, int d, int dv) {
  int nkp = round_up(nk, W);
  return 2 * (d + round_up(dv, 4)) * nkp + 2 * R * T + 2 * R * d + R * round_up(dv, 4) + 16;
}

// dst[j·cols + c] = src[c·ld + j] for j < rows.
static void transpose_back(const float* src, float* dst, int rows, int cols, int ld) {
  for (int j = 0; j < rows; j++)
    for (int c = 0; c < cols; c++) dst[j * cols + c] = src[c * ld + j];
}

// acc[r·cols + e] += Σ_j a[r·T + j]·bt[e·ld + j] for j in [0, tl).
static void block_dots(const float* a, const float* bt, int ld, int cols, int tl, float* acc) {
  for (int e = 0; e < cols; e++) {
    const float* b = bt + e * ld;
    v128_t s[R];
    for (int r = 0; r < R; r++) s[r] = wasm_f32x4_splat(0.0f);
    for (int j = 0; j < tl; j += 4) {
      v128_t bv = wasm_v128_load(b + j);
      for (int r = 0; r < R; r++) s[r] = wasm_f32x4_add(s[r], wasm_f32x4_mul(wasm_v128_load(a + r * T + j), bv));
    }
    for (int r = 0; r < R; r++) acc[r * cols + e] += hsum(s[r]);
  }
}

// out[e·ld + j] += Σ_r a[r·T + j]·coef[r·cols + e] for j in [0, tl).
static void block_accumulate(const float* a, const float* coef, int cols, float* out, int ld, int tl) {
  for (int e = 0; e < cols; e++) {
    v128_t k[R];
    for (int r = 0; r < R; r++) k[r] = wasm_f32x4_splat(coef[r * cols + e]);
    float* o = out + e * ld;
    for (int j = 0; j < tl; j += 4) {
      v128_t acc = wasm_v128_load(o + j);
      for (int r = 0; r < R; r++) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + r * T + j), k[r]));
      wasm_v128_store(o + j, acc);
    }
  }
}

/**
 * Gradients of attention_forward: dq, dk, dv from q, k, v, the forward output o, its gradient dout and lse.
 * P is recomputed per tile as exp(q·kᵀ·scale − lse); with Δ = rowsum(dout ⊙ o) and dS = P ⊙ (dout·vᵀ − Δ):
 * dV = Pᵀ·dout, dK = dSᵀ·q·scale, dQ = dS·k·scale.
 */
__attribute__((export_name("attention_backward")))
void attention_backward(const float* q, const float* k, const float* v, const float* o, const float* dout, const float* lse,
                        float* dq, float* dk, float* dvout, int bh, int nq, int nk, int d, int dv, float scale, float* scratch) {
  int nkp = round_up(nk, W);
  float *kt = scratch, *vt = kt + d * nkp, *dkt = vt + dv * nkp, *dvt = dkt + d * nkp;
  float *s = dvt + dv * nkp, *dp = s + R * T, *qb = dp + R * T, *dqb = qb + R * d, *dob = dqb + R * d;
  for (int h = 0; h < bh; h++) {
    const float* qh = q + (long)h * nq * d;
    const float* oh = o + (long)h * nq * dv;
    const float* doh = dout + (long)h * nq * dv;
    const float* lh = lse + (long)h * nq;
    transpose_pad(k + (long)h * nk * d, kt, nk, d, nkp);
    transpose_pad(v + (long)h * nk * dv, vt, nk, dv, nkp);
    for (int i = 0; i < (d + dv) * nkp; i++) dkt[i] = 0.0f;
    for (int i0 = 0; i0 < nq; i0 += R) {
      load_rows(qh, i0, nq, d, scale, qb);
      load_rows(doh, i0, nq, dv, 1.0f, dob);
      float rl[R], delta[R];
      for (int r = 0; r < R; r++) {
        int row = i0 + r;
        float dsum = 0.0f;
        if (row < nq)
          for (int e = 0; e < dv; e++) dsum += doh[row * dv + e] * oh[row * dv + e];
        delta[r] = dsum;
        rl[r] = row < nq ? lh[row] : __builtin_inff();
      }
      for (int i = 0; i < R * d; i++) dqb[i] = 0.0f;
      for (int j0 = 0; j0 < nkp; j0 += T) {
        int tl = min_int(T, nkp - j0);
        block_products(qb, d, kt + j0, nkp, tl, s);
        mask_padded_keys(s, j0, tl, nk);
        block_products(dob, dv, vt + j0, nkp, tl, dp);
        for (int r = 0; r < R; r++) {
          float *sr = s + r * T, *dr = dp + r * T;
          v128_t lv = wasm_f32x4_splat(rl[r]), dl = wasm_f32x4_splat(delta[r]);
          for (int j = 0; j < tl; j += 4) {
            v128_t p = v_exp_nonpos(wasm_f32x4_sub(wasm_v128_load(sr + j), lv));
            wasm_v128_store(sr + j, p);
            wasm_v128_store(dr + j, wasm_f32x4_mul(p, wasm_f32x4_sub(wasm_v128_load(dr + j), dl)));
          }
        }
        block_accumulate(s, dob, dv, dvt + j0, nkp, tl);
        block_accumulate(dp, qb, d, dkt + j0, nkp, tl);
        block_dots(dp, kt + j0, nkp, d, tl, dqb);
      }
      for (int r = 0; r < R && i0 + r < nq; r++)
        for (int c = 0; c < d; c++) dq[((long)h * nq + i0 + r) * d + c] = dqb[r * d + c] * scale;
    }
    transpose_back(dkt, dk + (long)h * nk * d, nk, d, nkp);
    transpose_back(dvt, dvout + (long)h * nk * dv, nk, dv, nkp);
  }
}
