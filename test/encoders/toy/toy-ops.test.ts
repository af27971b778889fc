// The toy encoders' gradient shortcut (filter-only input conv) and contrastive loss against references.
import { before, test } from 'node:test';
import { conv2d } from '../../../src/compute/ops/index.js';
import { inputConv2d } from '../../../src/encoders/toy/input-conv.js';
import { symmetricInfoNce } from '../../../src/encoders/toy/contrastive.js';
import { assertClose, randomTensor, tf } from '../../compute/tf-test-utils.js';
import { useWasm } from './toy-world.js';

before(useWasm);

/** Gradients of Σ f(xs)·sin(i) (a non-uniform upstream gradient) with respect to every input. */
function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): Float32Array[] {
  return tf.tidy(() => {
    const loss = (...a: tf.Tensor[]) => {
      const y = f(...a);
      return tf.sum(tf.mul(y, tf.reshape(tf.sin(tf.range(0, y.size)), y.shape))) as tf.Scalar;
    };
    return tf.grads(loss)(xs).map((g) => g.dataSync() as Float32Array);
  });
}

test('inputConv2d matches compute/ops conv2d in value and filter/bias gradients', () => {
  for (const [stride, h, wd] of [[1, 9, 8], [2, 9, 8], [2, 10, 7]] as const) {
    const x = randomTensor([3, h, wd, 2], 7) as tf.Tensor4D;
    const w = randomTensor([3, 3, 2, 4], 8) as tf.Tensor4D;
    const b = randomTensor([4], 9) as tf.Tensor1D;
    const ours = inputConv2d(x, w, b, stride, 1);
    const ref = conv2d(x, w, { stride, padding: 1, bias: b });
    assertClose(ours.dataSync(), ref.dataSync(), 1e-5, `value stride ${stride}`);
    const g = gradsOf((ww, bb) => inputConv2d(x, ww as tf.Tensor4D, bb as tf.Tensor1D, stride, 1), [w, b]);
    const gRef = gradsOf((ww, bb) => conv2d(x, ww as tf.Tensor4D, { stride, padding: 1, bias: bb as tf.Tensor1D }), [w, b]);
    g.forEach((gi, i) => assertClose(gi, gRef[i]!, 1e-5, `grad ${i} stride ${stride} ${h}×${wd}`));
  }
});

/** Plain-loop reference: targets uniform over equal keys, cross-entropy both ways, averaged. */
function referenceInfoNce(a: number[][], b: number[][], scale: number, keys: string[]): number {
  const n = a.length;
  const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v));
  const an = a.map(unit);
  const bn = b.map(unit);
  const logit = (i: number, j: number) => scale * an[i]!.reduce((s, x, k) => s + x * bn[j]![k]!, 0);
  let total = 0;
  for (const dir of [0, 1]) {
    for (let i = 0; i < n; i++) {
      const row = Array.from({ length: n }, (_, j) => (dir === 0 ? logit(i, j) : logit(j, i)));
      const lse = Math.log(row.reduce((s, l) => s + Math.exp(l), 0));
      const pos = row.map((_, j) => j).filter((j) => keys[j] === keys[i]);
      for (const j of pos) total += (lse - row[j]!) / pos.length / n / 2;
    }
  }
  return total;
}

test('symmetric InfoNCE matches a plain reference, with equal keys as shared positives', () => {
  const a = [[1, 0.2, -0.3], [0.1, 1, 0.4], [0.9, -0.1, 0.2], [-0.5, 0.3, 1]];
  const b = [[0.8, 0.1, 0], [0.3, 0.9, 0.2], [1, 0.2, 0.1], [0, -0.2, 0.7]];
  const scale = 5;
  const ta = tf.tensor2d(a);
  const tb = tf.tensor2d(b);
  const logScale = tf.scalar(Math.log(scale));
  const withKeys = ['x', 'y', 'x', 'z'];
  assertClose(symmetricInfoNce(ta, tb, logScale, withKeys).dataSync(), [referenceInfoNce(a, b, scale, withKeys)], 1e-5, 'shared-key loss');
  assertClose(symmetricInfoNce(ta, tb, logScale).dataSync(), [referenceInfoNce(a, b, scale, ['0', '1', '2', '3'])], 1e-5, 'plain loss');
});
