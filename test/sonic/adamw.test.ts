import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useWasm, openFixture, fixtureTensor, assertClose } from './fixture-helpers.js';
import { groupedAdamW } from '../../src/sonic/training/optimizer.js';

before(useWasm);

test('groupedAdamW matches torch.optim.AdamW over three steps', () => {
  const f = openFixture('adamw.safetensors');
  const p = tf.variable(fixtureTensor(f, 'p0'));
  const opt = groupedAdamW([{ name: 'all', variables: [p], lr: 1e-2 }], { weightDecay: 1e-2 });
  for (let i = 0; i < 3; i++) {
    opt.step(new Map([[p, fixtureTensor(f, `grad${i}`)]]));
    assertClose(p, fixtureTensor(f, `p${i + 1}`), 1e-5, `after step ${i + 1}`);
  }
  assert.throws(() => groupedAdamW([{ name: 'a', variables: [p], lr: 1 }, { name: 'b', variables: [p], lr: 1 }]), /is in groups 'a' and 'b'/);
  f.close();
});
