// Flash-style attention in WGSL: softmax(Q·Kᵀ·scale)·V for Q [BH, Nq, D], K [BH, Nk, D], V [BH, Nk, DV].
// One invocation owns one query row (forward, dQ) or one key row (dK/dV); a workgroup streams the other side
// through workgroup memory in tiles, so no Nq×Nk matrix ever exists in global memory. The forward pass keeps
// a running maximum and denominator per row (online softmax) and saves the row's logsumexp L; the backward
// passes recompute P = exp(S − L) tile by tile.
import { TiledProgram } from './program.js';

/** Rows (queries or keys) per workgroup: one per invocation. */
export const ROWS_PER_WORKGROUP = 64;

/** Keys (or queries) per streamed tile that fit `bytes` of workgroup memory with `floatsPerRow` floats each. */
export function tileRows(bytes: number, floatsPerRow: number, max = 32): number {
  const rows = Math.min(max, Math.floor(bytes / (4 * floatsPerRow)));
  if (rows < 1) throw new Error(`attention: a head dimension of ${floatsPerRow} floats per row does not fit ${bytes} bytes of workgroup memory`);
  return rows;
}

const HEADER = (d: number, dv: number, tile: number): string => `
  const D = ${d};
  const DV = ${dv};
  const ROWS = ${ROWS_PER_WORKGROUP};
  const TILE = ${tile};
  const NEG_BIG = -3.0e38;
`;

/** Output: flat [BH·Nq·DV (O) ‖ BH·Nq (logsumexp)]. */
export class FlashAttentionForwardProgram extends TiledProgram {
  variableNames = ['Q', 'K', 'V'];
  uniforms = 'scale : f32,';
  shaderKey: string;

  constructor(
    bh: number,
    nq: number,
    private d: number,
    private dv: number,
    private tile: number,
  ) {
    super([bh * nq * dv + bh * nq], bh * Math.ceil(nq / ROWS_PER_WORKGROUP), ROWS_PER_WORKGROUP);
    this.shaderKey = `sonic_flash_fwd_${d}_${dv}_${tile}`;
  }

  getUserCode(): string {
    return `${HEADER(this.d, this.dv, this.tile)}
  var<workgroup> kTile : array<f32, ${this.tile * this.d}>;
  var<workgroup> vTile : array<f32, ${this.tile * this.dv}>;

  fn main(index : i32) {
    let bh = uniforms.qShape.x;
    let nq = uniforms.qShape.y;
    let nk = uniforms.kShape.y;
    let lane = i32(localIndex);
    let qBlocks = (nq + ROWS - 1) / ROWS;
    let group = index / ROWS;
    let head = group / qBlocks;
    let row = (group % qBlocks) * ROWS + lane;
    let live = row < nq;
    let qRow = head * nq + min(row, nq - 1);

    var q : array<f32, D>;
    for (var c = 0; c < D; c++) { q[c] = Q[qRow * D + c] * uniforms.scale; }
    var acc : array<f32, DV>;
    for (var c = 0; c < DV; c++) { acc[c] = 0.0; }
    var s : array<f32, TILE>;
    var m = NEG_BIG;
    var l = 0.0;

    for (var k0 = 0; k0 < nk; k0 += TILE) {
      let count = min(TILE, nk - k0);
      for (var i = lane; i < TILE * D; i += ROWS) {
        let j = i / D;
        kTile[i] = select(0.0, K[(head * nk + k0 + min(j, count - 1)) * D + i % D], j < count);
      }
      for (var i = lane; i < TILE * DV; i += ROWS) {
        let j = i / DV;
        vTile[i] = select(0.0, V[(head * nk + k0 + min(j, count - 1)) * DV + i % DV], j < count);
      }
      workgroupBarrier();
      var tileMax = NEG_BIG;
      for (var j = 0; j < count; j++) {
        var dot = 0.0;
        for (var c = 0; c < D; c++) { dot += q[c] * kTile[j * D + c]; }
        s[j] = dot;
        tileMax = max(tileMax, dot);
      }
      let mNew = max(m, tileMax);
      let rescale = exp(m - mNew);
      l *= rescale;
      for (var c = 0; c < DV; c++) { acc[c] *= rescale; }
      for (var j = 0; j < count; j++) {
        let p = exp(s[j] - mNew);
        l += p;
        for (var c = 0; c < DV; c++) { acc[c] += p * vTile[j * DV + c]; }
      }
      m = mNew;
      workgroupBarrier();
    }
    if (live) {
      let inv = 1.0 / l;
      for (var c = 0; c < DV; c++) { result[qRow * DV + c] = acc[c] * inv; }
      result[bh * nq * DV + qRow] = m + log(l);
    }
  }`;
  }
}

/**
 * dK and dV, one invocation per key row, streaming query tiles (Q, dO, L and Δ = rowsum(dO∘O)).
 * Output: flat [BH·Nk·D (dK) ‖ BH·Nk·DV (dV)].
 */
export class FlashAttentionGradKVProgram extends TiledProgram {
  variableNames = ['Q', 'K', 'V', 'DY', 'LSE', 'DELTA'];
  uniforms = 'scale : f32,';
  shaderKey: string;

  constructor(
    bh: number,
    nk: number,
    private d: number,
    private dv: number,
    private tile: number,
  ) {
    super([bh * nk * d + bh * nk * dv], bh * Math.ceil(nk / ROWS_PER_WORKGROUP), ROWS_PER_WORKGROUP);
    this.shaderKey = `sonic_flash_dkv_${d}_${dv}_${tile}`;
  }

  getUserCode(): string {
    return `${HEADER(this.d, this.dv, this.tile)}
  var<workgroup> qTile : array<f32, ${this.tile * this.d}>;
  var<workgroup> dyTile : array<f32, ${this.tile * this.dv}>;
  var<workgroup> lTile : array<f32, TILE>;
  var<workgroup> deltaTile : array<f32, TILE>;

  fn main(index : i32) {
    let bh = uniforms.qShape.x;
    let nq = uniforms.qShape.y;
    let nk = uniforms.kShape.y;
    let lane = i32(localIndex);
    let kBlocks = (nk + ROWS - 1) / ROWS;
    let group = index / ROWS;
    let head = group / kBlocks;
    let row = (group % kBlocks) * ROWS + lane;
    let live = row < nk;
    let kRow = head * nk + min(row, nk - 1);

    var k : array<f32, D>;
    var v : array<f32, DV>;
    var dk : array<f32, D>;
    var dv : array<f32, DV>;
    for (var c = 0; c < D; c++) { k[c] = K[kRow * D + c]; dk[c] = 0.0; }
    for (var c = 0; c < DV; c++) { v[c] = V[kRow * DV + c]; dv[c] = 0.0; }

    for (var q0 = 0; q0 < nq; q0 += TILE) {
      let count = min(TILE, nq - q0);
      for (var i = lane; i < TILE * D; i += ROWS) {
        let j = i / D;
        qTile[i] = select(0.0, Q[(head * nq + q0 + min(j, count - 1)) * D + i % D] * uniforms.scale, j < count);
      }
      for (var i = lane; i < TILE * DV; i += ROWS) {
        let j = i / DV;
        dyTile[i] = select(0.0, DY[(head * nq + q0 + min(j, count - 1)) * DV + i % DV], j < count);
      }
      for (var i = lane; i < TILE; i += ROWS) {
        let at = head * nq + q0 + min(i, count - 1);
        lTile[i] = LSE[at];
        deltaTile[i] = DELTA[at];
      }
      workgroupBarrier();
      for (var j = 0; j < count; j++) {
        var s = 0.0;
        for (var c = 0; c < D; c++) { s += qTile[j * D + c] * k[c]; }
        let p = exp(s - lTile[j]);
        var dp = 0.0;
        for (var c = 0; c < DV; c++) {
          let g = dyTile[j * DV + c];
          dv[c] += p * g;
          dp += g * v[c];
        }
        let ds = p * (dp - deltaTile[j]);
        for (var c = 0; c < D; c++) { dk[c] += ds * qTile[j * D + c]; }
      }
      workgroupBarrier();
    }
    if (live) {
      for (var c = 0; c < D; c++) { result[kRow * D + c] = dk[c]; }
      let dvBase = bh * nk * D;
      for (var c = 0; c < DV; c++) { result[dvBase + kRow * DV + c] = dv[c]; }
    }
  }`;
  }
}

/** dQ, one invocation per query row, streaming key tiles (K, V). Output [BH, Nq, D]. */
export class FlashAttentionGradQProgram extends TiledProgram {
  variableNames = ['Q', 'K', 'V', 'DY', 'LSE', 'DELTA'];
  uniforms = 'scale : f32,';
  shaderKey: string;

  constructor(
    bh: number,
    nq: number,
    private d: number,
    private dv: number,
    private tile: number,
  ) {
    super([bh, nq, d], bh * Math.ceil(nq / ROWS_PER_WORKGROUP), ROWS_PER_WORKGROUP);
    this.shaderKey = `sonic_flash_dq_${d}_${dv}_${tile}`;
  }

  getUserCode(): string {
    return `${HEADER(this.d, this.dv, this.tile)}
  var<workgroup> kTile : array<f32, ${this.tile * this.d}>;
  var<workgroup> vTile : array<f32, ${this.tile * this.dv}>;

  fn main(index : i32) {
    let nq = uniforms.qShape.y;
    let nk = uniforms.kShape.y;
    let lane = i32(localIndex);
    let qBlocks = (nq + ROWS - 1) / ROWS;
    let group = index / ROWS;
    let head = group / qBlocks;
    let row = (group % qBlocks) * ROWS + lane;
    let live = row < nq;
    let qRow = head * nq + min(row, nq - 1);

    var q : array<f32, D>;
    var dy : array<f32, DV>;
    var dq : array<f32, D>;
    for (var c = 0; c < D; c++) { q[c] = Q[qRow * D + c] * uniforms.scale; dq[c] = 0.0; }
    for (var c = 0; c < DV; c++) { dy[c] = DY[qRow * DV + c]; }
    let lse = LSE[qRow];
    let delta = DELTA[qRow];

    for (var k0 = 0; k0 < nk; k0 += TILE) {
      let count = min(TILE, nk - k0);
      for (var i = lane; i < TILE * D; i += ROWS) {
        let j = i / D;
        kTile[i] = select(0.0, K[(head * nk + k0 + min(j, count - 1)) * D + i % D], j < count);
      }
      for (var i = lane; i < TILE * DV; i += ROWS) {
        let j = i / DV;
        vTile[i] = select(0.0, V[(head * nk + k0 + min(j, count - 1)) * DV + i % DV], j < count);
      }
      workgroupBarrier();
      for (var j = 0; j < count; j++) {
        var s = 0.0;
        for (var c = 0; c < D; c++) { s += q[c] * kTile[j * D + c]; }
        var dp = 0.0;
        for (var c = 0; c < DV; c++) { dp += dy[c] * vTile[j * DV + c]; }
        let ds = exp(s - lse) * (dp - delta);
        for (var c = 0; c < D; c++) { dq[c] += ds * kTile[j * D + c]; }
      }
      workgroupBarrier();
    }
    if (live) {
      for (var c = 0; c < D; c++) { result[qRow * D + c] = dq[c] * uniforms.scale; }
    }
  }`;
  }
}
