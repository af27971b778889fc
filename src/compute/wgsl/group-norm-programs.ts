// GroupNorm (torch semantics, channels-last x viewed as [N, P, C]) with an optional SiLU after the affine
// step, in WGSL. Statistics: one workgroup per (sample, group) reduces its P·C/G values (two passes, so the
// variance does not cancel). Everything else is one elementwise pass that normalises, scales, shifts and
// applies SiLU without writing the intermediate tensors. The backward pass recomputes x̂ and the SiLU
// derivative from x and the saved statistics:
//   dz = dy·σ'(z) (SiLU) or dy;  dx̂ = dz·γ;  dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂))  per (sample, group)
//   dγ = Σ dz·x̂,  dβ = Σ dz  per channel (over samples and positions)
import { ElementwiseProgram, TiledProgram } from './program.js';

const REDUCE_THREADS = 256;

/**
 * x̂ and dz for element `idx` of channel `c`, given its (mean, rstd). Needs X and Dy, and Gamma and Beta with
 * SiLU. Programs bind only the inputs their shader reads: WebGPU's automatic layout drops unused bindings.
 */
function pointwise(silu: boolean): string {
  return `
  fn normalised(idx : i32, mean : f32, rstd : f32) -> f32 { return (X[idx] - mean) * rstd; }
  fn outputGrad(idx : i32, c : i32, xhat : f32) -> f32 {
    ${
      silu
        ? `let z = xhat * Gamma[c] + Beta[c];
    let sig = 1.0 / (1.0 + exp(-z));
    return Dy[idx] * sig * (1.0 + z * (1.0 - sig));`
        : `return Dy[idx];`
    }
  }`;
}

const WORKGROUP_SUM = `
  var<workgroup> partial : array<f32, ${REDUCE_THREADS}>;
  fn workgroupSum(value : f32, lane : i32) -> f32 {
    partial[lane] = value;
    workgroupBarrier();
    for (var stride = ${REDUCE_THREADS / 2}; stride > 0; stride = stride / 2) {
      if (lane < stride) { partial[lane] += partial[lane + stride]; }
      workgroupBarrier();
    }
    let total = partial[0];
    workgroupBarrier();
    return total;
  }
`;

/** Per (sample, group) reduction; `Stats` rows hold (mean, rstd). */
const GROUP_HEADER = `
    let lane = i32(localIndex);
    let group = index / ${REDUCE_THREADS};
    let groups = uniforms.groups;
    let positions = uniforms.xShape.y;
    let channels = uniforms.xShape.z;
    let perGroup = channels / groups;
    let count = positions * perGroup;
    let n = group / groups;
    let first = (group % groups) * perGroup;
`;

/** Index into X of the e-th element of the group. */
const GROUP_ELEMENT = `(n * positions + e / perGroup) * channels + first + e % perGroup`;

/** Input X [N, P, C]; output [N·G, 2] of (mean, 1/√(var + eps)). */
export class GroupNormStatsProgram extends TiledProgram {
  variableNames = ['X'];
  uniforms = 'groups : i32, eps : f32,';
  shaderKey = 'sonic_group_norm_stats';

  constructor(n: number, groups: number) {
    super([n * groups, 2], n * groups, REDUCE_THREADS);
  }

  getUserCode(): string {
    return `${WORKGROUP_SUM}
  fn main(index : i32) {
    ${GROUP_HEADER}
    var sum = 0.0;
    for (var e = lane; e < count; e += ${REDUCE_THREADS}) { sum += X[${GROUP_ELEMENT}]; }
    let mean = workgroupSum(sum, lane) / f32(count);
    var squares = 0.0;
    for (var e = lane; e < count; e += ${REDUCE_THREADS}) {
      let d = X[${GROUP_ELEMENT}] - mean;
      squares += d * d;
    }
    let variance = workgroupSum(squares, lane) / f32(count);
    if (lane == 0) {
      result[group * 2] = mean;
      result[group * 2 + 1] = inverseSqrt(variance + uniforms.eps);
    }
  }`;
  }
}

/** Inputs X [N, P, C], Stats [N·G, 2], Gamma [C], Beta [C]; output [N, P, C]. */
export class GroupNormApplyProgram extends ElementwiseProgram {
  variableNames = ['X', 'Stats', 'Gamma', 'Beta'];
  uniforms = 'groups : i32,';
  shaderKey: string;

  constructor(
    shape: [number, number, number],
    private silu: boolean,
  ) {
    super(shape);
    this.shaderKey = `sonic_group_norm_apply_${silu}`;
  }

  getUserCode(): string {
    return `
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let channels = uniforms.xShape.z;
    let c = index % channels;
    let s = (index / (uniforms.xShape.y * channels) * uniforms.groups + c / (channels / uniforms.groups)) * 2;
    let z = (X[index] - Stats[s]) * Stats[s + 1] * Gamma[c] + Beta[c];
    ${this.silu ? 'setOutputAtIndex(index, z / (1.0 + exp(-z)));' : 'setOutputAtIndex(index, z);'}
  }`;
  }
}

/** Inputs X, Dy [N, P, C], Stats, Gamma, Beta; output [N·G, 2] of (Σ dx̂, Σ dx̂·x̂) per (sample, group). */
export class GroupNormGradSumsProgram extends TiledProgram {
  variableNames: string[];
  uniforms = 'groups : i32,';
  shaderKey: string;

  constructor(
    n: number,
    groups: number,
    private silu: boolean,
  ) {
    super([n * groups, 2], n * groups, REDUCE_THREADS);
    this.variableNames = silu ? ['X', 'Dy', 'Stats', 'Gamma', 'Beta'] : ['X', 'Dy', 'Stats', 'Gamma'];
    this.shaderKey = `sonic_group_norm_grad_sums_${silu}`;
  }

  getUserCode(): string {
    return `${WORKGROUP_SUM}${pointwise(this.silu)}
  fn main(index : i32) {
    ${GROUP_HEADER}
    let mean = Stats[group * 2];
    let rstd = Stats[group * 2 + 1];
    var sumDxhat = 0.0;
    var sumDxhatXhat = 0.0;
    for (var e = lane; e < count; e += ${REDUCE_THREADS}) {
      let idx = ${GROUP_ELEMENT};
      let c = first + e % perGroup;
      let xhat = normalised(idx, mean, rstd);
      let dxhat = outputGrad(idx, c, xhat) * Gamma[c];
      sumDxhat += dxhat;
      sumDxhatXhat += dxhat * xhat;
    }
    let a = workgroupSum(sumDxhat, lane);
    let b = workgroupSum(sumDxhatXhat, lane);
    if (lane == 0) {
      result[group * 2] = a;
      result[group * 2 + 1] = b;
    }
  }`;
  }
}

/** Inputs X, Dy [N, P, C], Stats, Gamma, Beta, Sums [N·G, 2]; output dx [N, P, C]. */
export class GroupNormGradInputProgram extends ElementwiseProgram {
  variableNames: string[];
  uniforms = 'groups : i32,';
  shaderKey: string;

  constructor(
    shape: [number, number, number],
    private silu: boolean,
  ) {
    super(shape);
    this.variableNames = silu ? ['X', 'Dy', 'Stats', 'Gamma', 'Beta', 'Sums'] : ['X', 'Dy', 'Stats', 'Gamma', 'Sums'];
    this.shaderKey = `sonic_group_norm_grad_input_${silu}`;
  }

  getUserCode(): string {
    return `${pointwise(this.silu)}
  fn main(index : i32) {
    if (index >= uniforms.size) { return; }
    let positions = uniforms.xShape.y;
    let channels = uniforms.xShape.z;
    let perGroup = channels / uniforms.groups;
    let c = index % channels;
    let s = (index / (positions * channels) * uniforms.groups + c / perGroup) * 2;
    let rstd = Stats[s + 1];
    let xhat = normalised(index, Stats[s], rstd);
    let dxhat = outputGrad(index, c, xhat) * Gamma[c];
    let count = f32(positions * perGroup);
    setOutputAtIndex(index, rstd * (dxhat - Sums[s] / count - xhat * Sums[s + 1] / count));
  }`;
  }
}

export const PARAM_CHANNELS = 64;
const PARAM_LANES = 4;

/**
 * Inputs X, Dy [N, P, C], Stats, Gamma, Beta; output [splits, 2, C] of (Σ dz·x̂, Σ dz) over each split's
 * rows (row = sample·P + position, `chunk` rows per split). A workgroup is 64 adjacent channels × 4 rows.
 */
export class GroupNormGradParamsProgram extends TiledProgram {
  variableNames: string[];
  uniforms = 'groups : i32, chunk : i32,';
  shaderKey: string;

  constructor(
    channels: number,
    splits: number,
    private silu: boolean,
  ) {
    super([splits, 2, channels], splits * Math.ceil(channels / PARAM_CHANNELS), PARAM_CHANNELS * PARAM_LANES);
    this.variableNames = silu ? ['X', 'Dy', 'Stats', 'Gamma', 'Beta'] : ['X', 'Dy', 'Stats'];
    this.shaderKey = `sonic_group_norm_grad_params_${silu}`;
  }

  getUserCode(): string {
    return `${pointwise(this.silu)}
  var<workgroup> gammaPart : array<f32, ${PARAM_CHANNELS * PARAM_LANES}>;
  var<workgroup> betaPart : array<f32, ${PARAM_CHANNELS * PARAM_LANES}>;
  fn main(index : i32) {
    let lane = i32(localIndex);
    let positions = uniforms.xShape.y;
    let channels = uniforms.xShape.z;
    let rows = uniforms.xShape.x * positions;
    let perGroup = channels / uniforms.groups;
    let tilesC = (channels + ${PARAM_CHANNELS - 1}) / ${PARAM_CHANNELS};
    let group = index / ${PARAM_CHANNELS * PARAM_LANES};
    let split = group / tilesC;
    let c = (group % tilesC) * ${PARAM_CHANNELS} + lane % ${PARAM_CHANNELS};
    let rowLane = lane / ${PARAM_CHANNELS};
    let rowEnd = min(rows, (split + 1) * uniforms.chunk);
    var dgamma = 0.0;
    var dbeta = 0.0;
    if (c < channels) {
      for (var row = split * uniforms.chunk + rowLane; row < rowEnd; row += ${PARAM_LANES}) {
        let idx = row * channels + c;
        let s = (row / positions * uniforms.groups + c / perGroup) * 2;
        let xhat = normalised(idx, Stats[s], Stats[s + 1]);
        let dz = outputGrad(idx, c, xhat);
        dgamma += dz * xhat;
        dbeta += dz;
      }
    }
    gammaPart[lane] = dgamma;
    betaPart[lane] = dbeta;
    workgroupBarrier();
    if (rowLane == 0 && c < channels) {
      var g = 0.0;
      var b = 0.0;
      for (var r = 0; r < ${PARAM_LANES}; r++) {
        g += gammaPart[r * ${PARAM_CHANNELS} + lane];
        b += betaPart[r * ${PARAM_CHANNELS} + lane];
      }
      result[(split * 2) * channels + c] = g;
      result[(split * 2 + 1) * channels + c] = b;
    }
  }`;
  }
}
