// The toy encoders' contrastive loss against a reference.
import { before, test } from 'node:test';
import { symmetricInfoNce } from '../../../src/encoders/toy/contrastive.js';
import { assertClose, randomTensor, tf } from '../../compute/tf-test-utils.js';
import { useWasm } from './toy-world.js';

before(useWasm);

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
