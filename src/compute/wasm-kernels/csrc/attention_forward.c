// Fused scaled-dot-product attention, forward pass (see attention.c for the scheme and the backward pass).
// Scores are taken in log2 units and turned into probabilities against a per-row bound in registers, right
// after the Q·Kᵀ products; P·V reads V row-major so the output block stays in registers.
#include "attention_blocks.h"

// dst[j·ld + c] = src[j·cols + c] for j < rows and c < cols; 0 elsewhere up to prows rows.
static void copy_pad(const float* src, float* dst, int rows, int cols, int prows, int ld) {
  for (int j = 0; j < prows; j++)
    for (int c = 0; c < ld; c++) dst[j * ld + c] = j < rows && c < cols ? src[j * cols + c] : 0.0f;
}

// ob[r·ld + e] += Σ_j p[r·T + j]·vr[j·ld + e] for j in [0, tl), e in [0, ld), ld a multiple of 4. The output
// block stays in registers (8 columns at a time) while P's entries are splatted: V is read row-major.
static void block_pv(const float* p, const float* vr, int ld, int tl, float* ob) {
  int e = 0;
  for (; e + 8 <= ld; e += 8) {
    v128_t a0[R], a1[R];
    for (int r = 0; r < R; r++) a0[r] = wasm_v128_load(ob + r * ld + e), a1[r] = wasm_v128_load(ob + r * ld + e + 4);
    for (int j = 0; j < tl; j++) {
      v128_t v0 = wasm_v128_load(vr + j * ld + e), v1 = wasm_v128_load(vr + j * ld + e + 4);
      for (int r = 0; r < R; r++) {
        v128_t pr = wasm_v128_load32_splat(p + r * T + j);
        a0[r] = wasm_f32x4_add(a0[r], wasm_f32x4_mul(pr, v0));
        a1[r] = wasm_f32x4_add(a1[r], wasm_f32x4_mul(pr, v1));
      }
    }
    for (int r = 0; r < R; r++) wasm_v128_store(ob + r * ld + e, a0[r]), wasm_v128_store(ob + r * ld + e + 4, a1[r]);
  }
  if (e < ld) {
    v128_t a0[R];
    for (int r = 0; r < R; r++) a0[r] = wasm_v128_load(ob + r * ld + e);
    for (int j = 0; j < tl; j++) {
      v128_t v0 = wasm_v128_load(vr + j * ld + e);
      for (int r = 0; r < R; r++) a0[r] = wasm_f32x4_add(a0[r], wasm_f32x4_mul(wasm_v128_load32_splat(p + r * T + j), v0));
    }
    for (int r = 0; r < R; r++) wasm_v128_store(ob + r * ld + e, a0[r]);
  }
}

// block_products that also returns each row's maximum over the tile's real keys (< nk − j0) in tmax[R];
// scores of padded keys are set to -inf.
static void block_scores(const float* a, int inner, const float* bt, int ld, int tl, int real, float* out, float* tmax) {
  v128_t mx[R];
  for (int r = 0; r < R; r++) mx[r] = wasm_f32x4_splat(-__builtin_inff());
  int full = real < tl ? real / W * W : tl;
  int j = 0;
  for (; j < full; j += W) {
    v128_t acc0[R], acc1[R];
    block_dot8(a, inner, bt + j, ld, acc0, acc1);
    for (int r = 0; r < R; r++) {
      mx[r] = wasm_f32x4_max(mx[r], wasm_f32x4_max(acc0[r], acc1[r]));
      wasm_v128_store(out + r * T + j, acc0[r]);
      wasm_v128_store(out + r * T + j + 4, acc1[r]);
    }
  }
  for (int r = 0; r < R; r++) tmax[r] = hmax(mx[r]);
  if (j < tl) {
    block_products(a, inner, bt + j, ld, tl - j, out + j);
    for (int r = 0; r < R; r++)
      for (int jj = j; jj < tl; jj++) {
        if (jj < real) tmax[r] = out[r * T + jj] > tmax[r] ? out[r * T + jj] : tmax[r];
        else out[r * T + jj] = -__builtin_inff();
      }
  }
}

// Scores of the R-row block against one tile, straight into probabilities: p = 2^(s − mref[r]) for the
// tile's real keys (< real), 0 for padded keys, stored to out[r·T + j]; lsum[r] accumulates Σ p.
static void block_probabilities(const float* a, int inner, const float* bt, int ld, int tl, int real, const float* mref,
                                float* out, v128_t* lsum) {
  for (int j = 0; j < tl; j += W) {
    v128_t acc0[R], acc1[R];
    block_dot8(a, inner, bt + j, ld, acc0, acc1);
    v128_t keep0 = wasm_i32x4_splat(-1), keep1 = keep0;
    if (j + W > real) {
      v128_t idx = wasm_i32x4_make(j, j + 1, j + 2, j + 3), lim = wasm_i32x4_splat(real);
      keep0 = wasm_i32x4_lt(idx, lim);
      keep1 = wasm_i32x4_lt(wasm_i32x4_add(idx, wasm_i32x4_splat(4)), lim);
    }
    for (int r = 0; r < R; r++) {
      v128_t m = wasm_v128_load32_splat(mref + r);
      v128_t p0 = wasm_v128_and(v_exp2_nonpos(wasm_f32x4_sub(acc0[r], m)), keep0);
      v128_t p1 = wasm_v128_and(v_exp2_nonpos(wasm_f32x4_sub(acc1[r], m)), keep1);
      wasm_v128_store(out + r * T + j, p0);
      wasm_v128_store(out + r * T + j + 4, p1);
      lsum[r] = wasm_f32x4_add(lsum[r], wasm_f32x4_add(p0, p1));
    }
  }
}

// One R-row block of attention_forward with each row's reference max given in advance (mref ≥ every score
// of the row), so there is no max pass and no rescaling: P is made in registers right after QKᵀ. Leaves the
// unnormalised output in ob and the sums in l.
static void block_forward_bounded(const float* qb, const float* kt, const float* vr, int nk, int nkp, int d, int dvp,
                                  const float* mref, float* s, float* ob, float* l) {
  v128_t lsum[R];
  for (int r = 0; r < R; r++) lsum[r] = wasm_f32x4_splat(0.0f);
  for (int i = 0; i < R * dvp; i++) ob[i] = 0.0f;
  for (int j0 = 0; j0 < nkp; j0 += T) {
    int tl = min_int(T, nkp - j0);
    block_probabilities(qb, d, kt + j0, nkp, tl, nk - j0, mref, s, lsum);
    block_pv(s, vr + j0 * dvp, dvp, tl, ob);
  }
  for (int r = 0; r < R; r++) l[r] = hsum(lsum[r]);
}

// The same block with an online softmax (running max per row, rescaled per tile): exact for any scores.
static void block_forward_online(const float* qb, const float* kt, const float* vr, int nk, int nkp, int d, int dvp,
                                 float* s, float* ob, float* m, float* l) {
  for (int r = 0; r < R; r++) m[r] = -__builtin_inff(), l[r] = 0.0f;
  for (int i = 0; i < R * dvp; i++) ob[i] = 0.0f;
  for (int j0 = 0; j0 < nkp; j0 += T) {
    int tl = min_int(T, nkp - j0);
    float tmax[R];
    block_scores(qb, d, kt + j0, nkp, tl, nk - j0, s, tmax);
    for (int r = 0; r < R; r++) {
      float* sr = s + r * T;
      float mnew = m[r] > tmax[r] ? m[r] : tmax[r];  // finite: every tile holds at least one real key
      if (mnew > m[r]) {
        float alpha = s_exp2_nonpos(m[r] - mnew);
        l[r] *= alpha;
        v128_t av = wasm_f32x4_splat(alpha);
        for (int e = 0; e < dvp; e += 4) wasm_v128_store(ob + r * dvp + e, wasm_f32x4_mul(wasm_v128_load(ob + r * dvp + e), av));
        m[r] = mnew;
      }
      v128_t mv = wasm_f32x4_splat(mnew), sum = wasm_f32x4_splat(0.0f);
      for (int j = 0; j < tl; j += 4) {
        v128_t p = v_exp2_nonpos(wasm_f32x4_sub(wasm_v128_load(sr + j), mv));
        wasm_v128_store(sr + j, p);
        sum = wasm_f32x4_add(sum, p);
      }
      l[r] += hsum(sum);
    }
    block_pv(s, vr + j0 * dvp, dvp, tl, ob);
  }
}

static float norm(const float* x, int n) {
  float s = 0.0f;
  for (int i = 0; i < n; i++) s += x[i] * x[i];
  return __builtin_sqrtf(s);
}

/**
 * o = softmax(q·kᵀ·scale)·v and lse = logsumexp of each row of q·kᵀ·scale, per head.
 * q [bh, nq, d], k [bh, nk, d], v [bh, nk, dv]; o [bh, nq, dv], lse [bh, nq].
 * Scores are computed in log2 units (q is scaled by scale·log2 e), so the softmax takes 2^x, whose range
 * reduction is exact (v_exp2_nonpos). Each row's softmax is taken relative to a bound on its scores instead
 * of their running max, |q_i|·max_j |k_j| (Cauchy–Schwarz): no max pass, no rescaling, P made in registers.
 * Where the bound is so loose that the row's largest probability falls below 2^−60 (far from the 2^−126
 * floor of v_exp2_nonpos), the block is recomputed with the online softmax.
 */
__attribute__((export_name("attention_forward")))
void attention_forward(const float* q, const float* k, const float* v, float* o, float* lse, int bh, int nq, int nk, int d,
                       int dv, float scale, float* scratch) {
  const float log2e = 1.44269504088896341f, ln2 = 0.69314718055994530942f;
  int nkp = round_up(nk, W), dvp = round_up(dv, 4);
  float *kt = scratch, *vr = kt + d * nkp, *s = vr + dvp * nkp, *qb = s + R * T, *ob = qb + R * d;
  for (int h = 0; h < bh; h++) {
    const float* qh = q + (long)h * nq * d;
    const float* kh = k + (long)h * nk * d;
    float* oh = o + (long)h * nq * dv;
    float* lh = lse + (long)h * nq;
    transpose_pad(kh, kt, nk, d, nkp);
    copy_pad(v + (long)h * nk * dv, vr, nk, dv, nkp, dvp);
    float kmax = 0.0f;
    for (int j = 0; j < nk; j++) {
      float n = norm(kh + j * d, d);
      kmax = n > kmax ? n : kmax;
    }
    for (int i0 = 0; i0 < nq; i0 += R) {
      load_rows(qh, i0, nq, d, scale * log2e, qb);
      float m[R], l[R];
      for (int r = 0; r < R; r++) m[r] = norm(qb + r * d, d) * kmax;
      block_forward_bounded(qb, kt, vr, nk, nkp, d, dvp, m, s, ob, l);
      int ok = 1;
      for (int r = 0; r < R && i0 + r < nq; r++) ok &= l[r] >= 0x1p-60f;  // false for NaN too
      if (!ok) block_forward_online(qb, kt, vr, nk, nkp, d, dvp, s, ob, m, l);
      for (int r = 0; r < R && i0 + r < nq; r++) {
        float inv = 1.0f / l[r];
        for (int e = 0; e < dv; e++) oh[(i0 + r) * dv + e] = ob[r * dvp + e] * inv;
        lh[i0 + r] = m[r] * ln2 + s_log(l[r]);
      }
    }
  }
}
