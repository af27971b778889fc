// GroupNorm (+ optional SiLU) over channels-last x [n, p, c] (p positions, c channels in `groups` groups):
// biased variance per (sample, group), then γ, β, then x·σ(x) when `silu`. Forward and backward; the forward
// pass saves (mean, 1/√(var + eps)) per (sample, group). Sums run per channel in f32 over chunks of CHUNK
// positions, then in f64, so long reductions keep their precision.
#include "simd_math.h"

#define CHUNK 64

/** Scratch floats group_norm_forward and group_norm_backward need for c channels. */
__attribute__((export_name("group_norm_scratch_floats")))
int group_norm_scratch_floats(int c) { return 4 * c /* two f64 sums */ + 6 * c + 16; }

static inline v128_t v_sigmoid(v128_t z) {
  v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, v_exp(wasm_f32x4_neg(z))));
}
static inline float s_sigmoid(float z) { return 1.0f / (1.0f + s_exp(-z)); }

// sum[ch] += Σ_pos (x[pos·c + ch]·mul[ch] + add[ch]) and, when sum2, sum2[ch] += Σ_pos of that squared;
// add and mul per channel.
static void channel_sums(const float* x, int p, int c, const float* mul, const float* add, double* sum, double* sum2, float* part) {
  float* part2 = part + c;
  for (int p0 = 0; p0 < p; p0 += CHUNK) {
    int p1 = p0 + CHUNK < p ? p0 + CHUNK : p;
    for (int ch = 0; ch < 2 * c; ch++) part[ch] = 0.0f;
    for (int pos = p0; pos < p1; pos++) {
      const float* row = x + (long)pos * c;
      int ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        v128_t t = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(row + ch), wasm_v128_load(mul + ch)), wasm_v128_load(add + ch));
        wasm_v128_store(part + ch, wasm_f32x4_add(wasm_v128_load(part + ch), t));
        wasm_v128_store(part2 + ch, wasm_f32x4_add(wasm_v128_load(part2 + ch), wasm_f32x4_mul(t, t)));
      }
      for (; ch < c; ch++) {
        float t = row[ch] * mul[ch] + add[ch];
        part[ch] += t;
        part2[ch] += t * t;
      }
    }
    for (int ch = 0; ch < c; ch++) {
      sum[ch] += part[ch];
      if (sum2) sum2[ch] += part2[ch];
    }
  }
}

// Per channel: mean[ch] and rstd[ch] of its (sample, group) from the stats [groups, 2].
static void channel_stats(const float* stats, int c, int groups, float* mean, float* rstd) {
  int cpg = c / groups;
  for (int ch = 0; ch < c; ch++) mean[ch] = stats[2 * (ch / cpg)], rstd[ch] = stats[2 * (ch / cpg) + 1];
}

/** y = groupNorm(x)·γ + β (then silu); stats [n, groups, 2] = (mean, rstd). */
__attribute__((export_name("group_norm_forward")))
void group_norm_forward(const float* x, const float* gamma, const float* beta, float* y, float* stats, int n, int p, int c, int groups,
                        float eps, int silu, float* scratch) {
  double* sum = (double*)scratch;
  float* f = scratch + 4 * c;
  float *mul = f, *add = f + c, *part = f + 2 * c;  // part: 2c
  int cpg = c / groups;
  double count = (double)p * cpg;
  for (int s = 0; s < n; s++) {
    const float* xs = x + (long)s * p * c;
    float* ys = y + (long)s * p * c;
    float* st = stats + 2 * s * groups;
    for (int ch = 0; ch < c; ch++) sum[ch] = 0.0, mul[ch] = 1.0f, add[ch] = 0.0f;
    channel_sums(xs, p, c, mul, add, sum, 0, part);
    for (int g = 0; g < groups; g++) {
      double t = 0.0;
      for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) t += sum[ch];
      st[2 * g] = (float)(t / count);
    }
    // Second pass over the centred values: the variance without cancellation.
    for (int ch = 0; ch < c; ch++) sum[ch] = 0.0, add[ch] = -st[2 * (ch / cpg)];
    double* sq = sum + c;
    for (int ch = 0; ch < c; ch++) sq[ch] = 0.0;
    channel_sums(xs, p, c, mul, add, sum, sq, part);
    for (int g = 0; g < groups; g++) {
      double t = 0.0;
      for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) t += sq[ch];
      st[2 * g + 1] = 1.0f / __builtin_sqrtf((float)(t / count) + eps);
    }
    for (int ch = 0; ch < c; ch++) {
      float a = st[2 * (ch / cpg) + 1] * gamma[ch];
      mul[ch] = a;
      add[ch] = beta[ch] - st[2 * (ch / cpg)] * a;
    }
    for (int pos = 0; pos < p; pos++) {
      const float* row = xs + (long)pos * c;
      float* out = ys + (long)pos * c;
      int ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        v128_t z = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(row + ch), wasm_v128_load(mul + ch)), wasm_v128_load(add + ch));
        wasm_v128_store(out + ch, silu ? wasm_f32x4_mul(z, v_sigmoid(z)) : z);
      }
      for (; ch < c; ch++) {
        float z = row[ch] * mul[ch] + add[ch];
        out[ch] = silu ? z * s_sigmoid(z) : z;
      }
    }
  }
}

/**
 * Gradients of group_norm_forward: dx [n, p, c], dgamma [c], dbeta [c]. With g = ∂L/∂(pre-activation)
 * and x̂ = (x − mean)·rstd, per (sample, group) over its M = p·c/groups elements:
 * dx = rstd·(g·γ − mean(g·γ) − x̂·mean(g·γ·x̂)).
 */
__attribute__((export_name("group_norm_backward")))
void group_norm_backward(const float* x, const float* dy, const float* gamma, const float* beta, const float* stats, float* dx, float* dgamma,
                         float* dbeta, int n, int p, int c, int groups, int silu, float* scratch) {
  double* sg = (double*)scratch;  // Σ g per channel, then Σ g·x̂ in sgx
  double* sgx = sg + c;
  float* f = scratch + 4 * c;
  float *mean = f, *rstd = f + c, *a = f + 2 * c, *b = f + 3 * c, *pg = f + 4 * c, *pgx = f + 5 * c;
  int cpg = c / groups;
  double count = (double)p * cpg;
  for (int ch = 0; ch < c; ch++) dgamma[ch] = 0.0f, dbeta[ch] = 0.0f;
  for (int s = 0; s < n; s++) {
    const float* xs = x + (long)s * p * c;
    const float* dys = dy + (long)s * p * c;
    float* dxs = dx + (long)s * p * c;
    channel_stats(stats + 2 * s * groups, c, groups, mean, rstd);
    for (int ch = 0; ch < c; ch++) {
      a[ch] = rstd[ch] * gamma[ch];
      b[ch] = beta[ch] - mean[ch] * a[ch];
      sg[ch] = 0.0, sgx[ch] = 0.0;
    }
    // Pass 1: g into dx, and the per-channel sums of g and g·x̂.
    for (int p0 = 0; p0 < p; p0 += CHUNK) {
      int p1 = p0 + CHUNK < p ? p0 + CHUNK : p;
      for (int ch = 0; ch < c; ch++) pg[ch] = 0.0f, pgx[ch] = 0.0f;
      for (int pos = p0; pos < p1; pos++) {
        const float* xr = xs + (long)pos * c;
        const float* dr = dys + (long)pos * c;
        float* gr = dxs + (long)pos * c;
        int ch = 0;
        for (; ch + 4 <= c; ch += 4) {
          v128_t xv = wasm_v128_load(xr + ch);
          v128_t g = wasm_v128_load(dr + ch);
          if (silu) {
            v128_t z = wasm_f32x4_add(wasm_f32x4_mul(xv, wasm_v128_load(a + ch)), wasm_v128_load(b + ch));
            v128_t sig = v_sigmoid(z);
            v128_t one = wasm_f32x4_splat(1.0f);
            g = wasm_f32x4_mul(g, wasm_f32x4_mul(sig, wasm_f32x4_add(one, wasm_f32x4_mul(z, wasm_f32x4_sub(one, sig)))));
          }
          wasm_v128_store(gr + ch, g);
          v128_t xh = wasm_f32x4_mul(wasm_f32x4_sub(xv, wasm_v128_load(mean + ch)), wasm_v128_load(rstd + ch));
          wasm_v128_store(pg + ch, wasm_f32x4_add(wasm_v128_load(pg + ch), g));
          wasm_v128_store(pgx + ch, wasm_f32x4_add(wasm_v128_load(pgx + ch), wasm_f32x4_mul(g, xh)));
        }
        for (; ch < c; ch++) {
          float g = dr[ch];
          if (silu) {
            float z = xr[ch] * a[ch] + b[ch];
            float sig = s_sigmoid(z);
            g *= sig * (1.0f + z * (1.0f - sig));
          }
          gr[ch] = g;
          pg[ch] += g;
          pgx[ch] += g * (xr[ch] - mean[ch]) * rstd[ch];
        }
      }
      for (int ch = 0; ch < c; ch++) sg[ch] += pg[ch], sgx[ch] += pgx[ch];
    }
    for (int ch = 0; ch < c; ch++) dbeta[ch] += (float)sg[ch], dgamma[ch] += (float)sgx[ch];
    // dx = g·u − x·w + k per channel: u = rstd·γ, w = rstd·B_g, k = mean·w − rstd·A_g (A, B the group means).
    for (int g = 0; g < groups; g++) {
      double ta = 0.0, tb = 0.0;
      for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) ta += gamma[ch] * sg[ch], tb += gamma[ch] * sgx[ch];
      float ag = (float)(ta / count), bg = (float)(tb / count);
      for (int ch = g * cpg; ch < (g + 1) * cpg; ch++) {
        float w = rstd[ch] * rstd[ch] * bg;
        pg[ch] = rstd[ch] * gamma[ch];
        pgx[ch] = w;
        b[ch] = mean[ch] * w - rstd[ch] * ag;
      }
    }
    for (int pos = 0; pos < p; pos++) {
      const float* xr = xs + (long)pos * c;
      float* gr = dxs + (long)pos * c;
      int ch = 0;
      for (; ch + 4 <= c; ch += 4) {
        v128_t v = wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(gr + ch), wasm_v128_load(pg + ch)), wasm_f32x4_mul(wasm_v128_load(xr + ch), wasm_v128_load(pgx + ch)));
        wasm_v128_store(gr + ch, wasm_f32x4_add(v, wasm_v128_load(b + ch)));
      }
      for (; ch < c; ch++) gr[ch] = gr[ch] * pg[ch] - xr[ch] * pgx[ch] + b[ch];
    }
  }
}
