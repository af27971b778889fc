// What toy-CLIP, toy-CLAP and toy-Wav2CLIP share as models: a config saved beside the weights, a logit scale
// (the learnable parameter `logit_scale`, or the config's fixed value) and the parameters they own.
import * as tf from '@tensorflow/tfjs-core';
import type { ParamStore } from '../../compute/param-store.js';
import { writeModelDir } from './model-dir.js';
import type { ParamSpec } from './param-specs.js';

export const LOGIT_SCALE = 'logit_scale';

export interface ContrastiveConfig {
  kind: string;
  /** log(1 / temperature); the initial value when learnt. */
  logScale: number;
  learnTemperature: boolean;
}

/** The logit-scale parameter a model with a learnt temperature has (none otherwise). */
export function logitScaleSpecs(c: ContrastiveConfig): ParamSpec[] {
  return c.learnTemperature ? [{ name: LOGIT_SCALE, shape: [], layout: 'plain', init: 'constant', value: c.logScale }] : [];
}

export abstract class ContrastiveToyModel<C extends ContrastiveConfig> {
  protected constructor(
    readonly config: C,
    readonly params: ParamStore,
  ) {}

  async save(dir: string): Promise<void> {
    await writeModelDir(dir, this.config, this.params);
  }

  logScale(): tf.Tensor {
    return this.config.learnTemperature ? this.params.get(LOGIT_SCALE) : tf.scalar(this.config.logScale);
  }

  dispose(): void {
    this.params.dispose();
  }
}
