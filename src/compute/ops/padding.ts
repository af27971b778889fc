// Explicit per-side padding for 2D convolutions, resolved once from the user-facing forms.

/** `number`: the same on all four sides; `'same'`: TF/PyTorch "same" (extra row/column at the end). */
export type Conv2dPadding = number | 'same' | 'valid' | [[number, number], [number, number]];

export type ExplicitPadding2d = [[number, number], [number, number]];

export function resolvePadding2d(
  padding: Conv2dPadding,
  inSize: [number, number],
  kernel: [number, number],
  stride: [number, number],
): ExplicitPadding2d {
  if (padding === 'valid') return [[0, 0], [0, 0]];
  if (typeof padding === 'number') {
    if (!Number.isInteger(padding) || padding < 0) throw new Error(`conv padding must be a non-negative integer, got ${padding}`);
    return [[padding, padding], [padding, padding]];
  }
  if (padding === 'same') {
    const side = (d: 0 | 1): [number, number] => {
      const out = Math.ceil(inSize[d] / stride[d]);
      const total = Math.max((out - 1) * stride[d] + kernel[d] - inSize[d], 0);
      const before = Math.floor(total / 2);
      return [before, total - before];
    };
    return [side(0), side(1)];
  }
  for (const v of padding.flat()) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`conv padding must be non-negative integers, got ${JSON.stringify(padding)}`);
  }
  return [[padding[0][0], padding[0][1]], [padding[1][0], padding[1][1]]];
}

export function pair(v: number | [number, number], what: string): [number, number] {
  const p: [number, number] = typeof v === 'number' ? [v, v] : v;
  if (!p.every((x) => Number.isInteger(x) && x >= 1)) throw new Error(`conv ${what} must be positive integers, got ${JSON.stringify(v)}`);
  return p;
}
