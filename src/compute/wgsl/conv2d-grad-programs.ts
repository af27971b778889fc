// The two gradients of a 2-D convolution (NHWC input, [kh, kw, in, out] filter, stride, explicit padding) as
// tiled matrix products in WGSL whose operands are gathered straight from the tensors, so neither the im2col
// matrix, the zero-inserted dy nor a padded copy of x is ever written:
//   filter:  dW[(ky,kx,ci), co] = Σ_(n,oy,ox) x[n, oy·sh+ky−pt, ox·sw+kx−pl, ci] · dy[n, oy, ox, co]
//   input:   dX[(n,y,x), ci]   = Σ_(ky,kx,co) dy[n, (y+pt−ky)/sh, (x+pl−kx)/sw, co] · w[ky, kx, ci, co]
//            (only taps where the division is exact and lands inside dy)
// A workgroup of 8×8 invocations computes a 32×32 output tile, 4×4 per invocation, staging 16-deep slices
// of both operands in workgroup memory. The filter gradient's reduction (over every output position) can be
// split into chunks written side by side and summed afterwards, so small filters still fill the GPU.
import { TiledProgram } from './program.js';

export const TILE = 32;
const DEPTH = 16;
const THREADS = 64;

const GEMM = `
  const TM = ${TILE};
  const TN = ${TILE};
  const TK = ${DEPTH};
  var<workgroup> aTile : array<f32, ${DEPTH * TILE}>;
  var<workgroup> bTile : array<f32, ${DEPTH * TILE}>;

  // acc[i·4 + j] += Σ_k aTile[k][ty·4 + i] · bTile[k][tx·4 + j]
  fn accumulateTile(acc : ptr<function, array<f32, 16>>, tx : i32, ty : i32) {
    for (var k = 0; k < TK; k++) {
      var a : array<f32, 4>;
      var b : array<f32, 4>;
      for (var i = 0; i < 4; i++) {
        a[i] = aTile[k * TM + ty * 4 + i];
        b[i] = bTile[k * TN + tx * 4 + i];
      }
      for (var i = 0; i < 4; i++) {
        for (var j = 0; j < 4; j++) { (*acc)[i * 4 + j] += a[i] * b[j]; }
      }
    }
  }
`;

const CONV_UNIFORMS = 'strideH : i32, strideW : i32, padTop : i32, padLeft : i32, kh : i32, kw : i32, chunk : i32,';

export interface ConvGeometry {
  stride: [number, number];
  /** Rows/columns of zeros before the input (top, left). */
  padBefore: [number, number];
  kernel: [number, number];
}

export function convUniforms(g: ConvGeometry, chunk: number): Array<{ type: 'int32'; data: number[] }> {
  return [g.stride[0], g.stride[1], g.padBefore[0], g.padBefore[1], g.kernel[0], g.kernel[1], chunk].map((v) => ({ type: 'int32' as const, data: [v] }));
}

/** Inputs X [N, H, W, in], Dy [N, Ho, Wo, out]; output [splits, kh·kw·in, out] (sum over the first axis). */
export class Conv2DFilterGradProgram extends TiledProgram {
  variableNames = ['X', 'Dy'];
  uniforms = CONV_UNIFORMS;
  shaderKey = 'sonic_conv2d_dw';

  constructor(splits: number, rows: number, cols: number) {
    super([splits, rows, cols], splits * Math.ceil(rows / TILE) * Math.ceil(cols / TILE), THREADS);
  }

  getUserCode(): string {
    return `${GEMM}
  fn main(index : i32) {
    let lane = i32(localIndex);
    let tx = lane % 8;
    let ty = lane / 8;
    let inH = uniforms.xShape.y;
    let inW = uniforms.xShape.z;
    let cin = uniforms.xShape.w;
    let outH = uniforms.dyShape.y;
    let outW = uniforms.dyShape.z;
    let cout = uniforms.dyShape.w;
    let rows = uniforms.kh * uniforms.kw * cin;
    let positions = uniforms.dyShape.x * outH * outW;
    let tilesR = (rows + TM - 1) / TM;
    let tilesC = (cout + TN - 1) / TN;
    let group = index / ${THREADS};
    let split = group / (tilesR * tilesC);
    let r0 = ((group / tilesC) % tilesR) * TM;
    let c0 = (group % tilesC) * TN;
    let mStart = split * uniforms.chunk;
    let mEnd = min(positions, mStart + uniforms.chunk);

    var acc : array<f32, 16>;
    for (var i = 0; i < 16; i++) { acc[i] = 0.0; }
    // The loop bound must be uniform across the workgroup (it holds barriers): walk a whole chunk and mask.
    for (var step = 0; step < uniforms.chunk; step += TK) {
      let m0 = mStart + step;
      for (var i = lane; i < TK * TM; i += ${THREADS}) {
        let m = m0 + i / TM;
        let r = r0 + i % TM;
        var value = 0.0;
        if (m < mEnd && r < rows) {
          let ci = r % cin;
          let tap = r / cin;
          let ox = m % outW;
          let rest = m / outW;
          let iy = (rest % outH) * uniforms.strideH + tap / uniforms.kw - uniforms.padTop;
          let ix = ox * uniforms.strideW + tap % uniforms.kw - uniforms.padLeft;
          if (iy >= 0 && iy < inH && ix >= 0 && ix < inW) {
            value = X[((rest / outH * inH + iy) * inW + ix) * cin + ci];
          }
        }
        aTile[i] = value;
      }
      for (var i = lane; i < TK * TN; i += ${THREADS}) {
        let m = m0 + i / TN;
        let c = c0 + i % TN;
        bTile[i] = select(0.0, Dy[min(m, positions - 1) * cout + min(c, cout - 1)], m < mEnd && c < cout);
      }
      workgroupBarrier();
      accumulateTile(&acc, tx, ty);
      workgroupBarrier();
    }
    for (var i = 0; i < 4; i++) {
      let r = r0 + ty * 4 + i;
      for (var j = 0; j < 4; j++) {
        let c = c0 + tx * 4 + j;
        if (r < rows && c < cout) { result[(split * rows + r) * cout + c] = acc[i * 4 + j]; }
      }
    }
  }`;
  }
}

/** Inputs Dy [N, Ho, Wo, out], W [kh, kw, in, out]; output [N, H, W, in] (H, W from the output shape). */
export class Conv2DInputGradProgram extends TiledProgram {
  variableNames = ['Dy', 'W'];
  uniforms = CONV_UNIFORMS;
  shaderKey = 'sonic_conv2d_dx';

  constructor(xShape: [number, number, number, number]) {
    const [n, h, w, cin] = xShape;
    super(xShape, Math.ceil((n * h * w) / TILE) * Math.ceil(cin / TILE), THREADS);
  }

  getUserCode(): string {
    return `${GEMM}
  fn main(index : i32) {
    let lane = i32(localIndex);
    let tx = lane % 8;
    let ty = lane / 8;
    let inH = uniforms.outShape.y;
    let inW = uniforms.outShape.z;
    let cin = uniforms.outShape.w;
    let outH = uniforms.dyShape.y;
    let outW = uniforms.dyShape.z;
    let cout = uniforms.dyShape.w;
    let positions = uniforms.outShape.x * inH * inW;
    let depth = uniforms.kh * uniforms.kw * cout;
    let tilesC = (cin + TN - 1) / TN;
    let group = index / ${THREADS};
    let p0 = (group / tilesC) * TM;
    let c0 = (group % tilesC) * TN;

    var acc : array<f32, 16>;
    for (var i = 0; i < 16; i++) { acc[i] = 0.0; }
    for (var k0 = 0; k0 < depth; k0 += TK) {
      // Consecutive lanes take consecutive output channels: contiguous reads of dy and of w.
      for (var i = lane; i < TK * TM; i += ${THREADS}) {
        let kk = i % TK;
        let pp = i / TK;
        let k = k0 + kk;
        let p = p0 + pp;
        var value = 0.0;
        if (k < depth && p < positions) {
          let co = k % cout;
          let tap = k / cout;
          let x = p % inW;
          let rest = p / inW;
          let sy = rest % inH + uniforms.padTop - tap / uniforms.kw;
          let sx = x + uniforms.padLeft - tap % uniforms.kw;
          if (sy >= 0 && sx >= 0 && sy % uniforms.strideH == 0 && sx % uniforms.strideW == 0) {
            let oy = sy / uniforms.strideH;
            let ox = sx / uniforms.strideW;
            if (oy < outH && ox < outW) { value = Dy[((rest / inH * outH + oy) * outW + ox) * cout + co]; }
          }
        }
        aTile[kk * TM + pp] = value;
      }
      for (var i = lane; i < TK * TN; i += ${THREADS}) {
        let kk = i % TK;
        let cc = i / TK;
        let k = k0 + kk;
        let c = c0 + cc;
        var value = 0.0;
        if (k < depth && c < cin) { value = W[((k / cout) * cin + c) * cout + k % cout]; }
        bTile[kk * TN + cc] = value;
      }
      workgroupBarrier();
      accumulateTile(&acc, tx, ty);
      workgroupBarrier();
    }
    for (var i = 0; i < 4; i++) {
      let p = p0 + ty * 4 + i;
      for (var j = 0; j < 4; j++) {
        let c = c0 + tx * 4 + j;
        if (p < positions && c < cin) { result[p * cin + c] = acc[i * 4 + j]; }
      }
    }
  }`;
  }
}
