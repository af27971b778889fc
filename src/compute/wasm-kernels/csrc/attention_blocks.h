// Blocks shared by attention_forward.c and attention.c (the backward pass): the block sizes, K's transposed
// padded copy, the R-row score products and row loading.
#ifndef SONIC_ATTENTION_BLOCKS_H
#define SONIC_ATTENTION_BLOCKS_H
#include "simd_math.h"

#define R 4
#define W 8
#define T 128

static inline int round_up(int x, int m) { return (x + m - 1) / m * m; }
static inline int min_int(int a, int b) { return a < b ? a : b; }

// dst[c·ld + j] = src[j·cols + c] for j < rows, 0 for rows ≤ j < ld.
static inline void transpose_pad(const float* src, float* dst, int rows, int cols, int ld) {
  for (int c = 0; c < cols; c++) {
    float* out = dst + c * ld;
    for (int j = 0; j < rows; j++) out[j] = src[j * cols + c];
    for (int j = rows; j < ld; j++) out[j] = 0.0f;
  }
}

// acc0[r] | acc1[r] = Σ_c a[r·inner + c]·b[c·ld + 0..7] for the R rows of a: one R×8 register block of a·bᵀ.
static inline void block_dot8(const float* a, int inner, const float* b, int ld, v128_t acc0[R], v128_t acc1[R]) {
  for (int r = 0; r < R; r++) acc0[r] = acc1[r] = wasm_f32x4_splat(0.0f);
  for (int c = 0; c < inner; c++) {
    v128_t b0 = wasm_v128_load(b + c * ld), b1 = wasm_v128_load(b + c * ld + 4);
    for (int r = 0; r < R; r++) {
      v128_t ar = wasm_v128_load32_splat(a + r * inner + c);
      acc0[r] = wasm_f32x4_add(acc0[r], wasm_f32x4_mul(ar, b0));
      acc1[r] = wasm_f32x4_add(acc1[r], wasm_f32x4_mul(ar, b1));
    }
  }
}

// out[r·T + j] = Σ_c a[r·inner + c]·bt[c·ld + j] for the R rows of a and j in [0, tl), tl a multiple of W.
static inline void block_products(const float* a, int inner, const float* bt, int ld, int tl, float* out) {
  for (int j = 0; j < tl; j += W) {
    v128_t acc0[R], acc1[R];
    block_dot8(a, inner, bt + j, ld, acc0, acc1);
    for (int r = 0; r < R; r++) {
      wasm_v128_store(out + r * T + j, acc0[r]);
      wasm_v128_store(out + r * T + j + 4, acc1[r]);
    }
  }
}

// Scores of keys past nk (padding of the last tile) become -inf.
static inline void mask_padded_keys(float* s, int j0, int tl, int nk) {
  if (j0 + tl <= nk) return;
  for (int r = 0; r < R; r++)
    for (int j = nk - j0; j < tl; j++) s[r * T + j] = -__builtin_inff();
}

// The R-row block starting at row i0 of a [rows, cols] matrix, times `mul`, zero past the last row.
static inline void load_rows(const float* src, int i0, int rows, int cols, float mul, float* dst) {
  for (int r = 0; r < R; r++)
    for (int c = 0; c < cols; c++) dst[r * cols + c] = i0 + r < rows ? src[(i0 + r) * cols + c] * mul : 0.0f;
}

#endif
