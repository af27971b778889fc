// TS twin of ToyPredictor in tools/reference/make_method_fixtures.py:
//   ε = tanh(conv3x3(x) + b + 0.001·t + mean_L(text)·Wt + mean_K(audio)·Wa)
// It also calls the PnP hooks at one self-attention site and one residual site, with Q = K = the conv
// output flattened, so editing tests can observe injection.
import * as tf from '@tensorflow/tfjs-core';
import type { NoisePredictor, NoisePredictorInput } from '../../src/sonic/noise-predictor.js';
import type { HostTensor } from '../../src/compute/safetensors.js';
import { torchToTf } from '../../src/compute/torch-layout.js';

export const TOY_ATTN_SITE = 'up_blocks.1.attentions.1.transformer_blocks.0.attn1';
export const TOY_RESIDUAL_SITE = 'up_blocks.1.resnets.1';

export class ToyNoisePredictor implements NoisePredictor {
  calls = 0;
  private constructor(
    private readonly convW: tf.Tensor4D,
    private readonly convB: tf.Tensor1D,
    private readonly textW: tf.Tensor2D,
    private readonly audioW: tf.Tensor2D,
  ) {}

  static fromTorch(get: (key: string) => HostTensor): ToyNoisePredictor {
    const t = (layout: 'conv2d' | 'linear' | 'plain', key: string) => {
      const h = torchToTf(layout, get(key));
      return tf.tensor(h.data, h.shape);
    };
    return new ToyNoisePredictor(
      t('conv2d', 'toy.conv.weight') as tf.Tensor4D,
      t('plain', 'toy.conv.bias') as tf.Tensor1D,
      t('linear', 'toy.text_proj.weight') as tf.Tensor2D,
      t('linear', 'toy.audio_proj.weight') as tf.Tensor2D,
    );
  }

  predict(input: NoisePredictorInput): tf.Tensor4D {
    this.calls++;
    return tf.tidy(() => {
      const [b, hgt, wid, c] = input.sample.shape;
      let h: tf.Tensor4D = tf.add(tf.conv2d(input.sample, this.convW, 1, 'same'), this.convB);
      if (input.hooks?.resnetResidual) h = input.hooks.resnetResidual(TOY_RESIDUAL_SITE, h);
      if (input.hooks?.selfAttentionQK) {
        const flat = tf.reshape(h, [b, hgt * wid, c]) as tf.Tensor3D;
        const { q } = input.hooks.selfAttentionQK(TOY_ATTN_SITE, flat, flat);
        h = tf.reshape(q, [b, hgt, wid, c]) as tf.Tensor4D;
      }
      const t = typeof input.timestep === 'number' ? tf.fill([b], input.timestep) : input.timestep;
      h = tf.add(h, tf.reshape(tf.mul(t, 0.001), [b, 1, 1, 1]));
      h = tf.add(h, tf.reshape(tf.matMul(tf.mean(input.textTokens, 1), this.textW), [b, 1, 1, c]));
      if (input.audioTokens) h = tf.add(h, tf.reshape(tf.matMul(tf.mean(input.audioTokens, 1), this.audioW), [b, 1, 1, c]));
      return tf.tanh(h);
    });
  }
}
