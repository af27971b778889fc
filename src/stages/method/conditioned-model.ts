// A trained SonicDiffusion model ready for inference: bundle backbone + train-adapter weights + projector,
// with helpers that turn audio embeddings and texts into the sampler's conditioning tensors.
import * as tf from '@tensorflow/tfjs-core';
import type { AudioProjector } from '../../sonic/method.js';
import { loadAdapterWeights, loadBackbone, type DiffusionBackbone, type LoadBackboneOptions } from '../common/diffusion-models.js';
import type { OpenBundle } from '../common/runtime.js';
import { adapterPaths } from './adapter-dir.js';
import { loadProjector } from './projector-dir.js';

export interface ConditionedModel {
  backbone: DiffusionBackbone;
  projector: AudioProjector;
  /** [B, K, W] audio tokens of [B, D] embeddings. */
  audioTokens(embeddings: readonly Float32Array[]): tf.Tensor3D;
  nullAudio: tf.Tensor3D;
  dispose(): void;
}

export async function loadConditionedModel(bundle: OpenBundle, adapterDir: string, options: LoadBackboneOptions = {}): Promise<ConditionedModel> {
  const backbone = await loadBackbone(bundle, options);
  const paths = adapterPaths(adapterDir);
  let projector: AudioProjector;
  try {
    loadAdapterWeights(backbone, paths.weights);
    projector = loadProjector(paths.projector);
  } catch (e) {
    backbone.dispose();
    throw e;
  }
  const nullAudio = projector.nullAudio();
  const d = projector.config.inputDim;
  return {
    backbone,
    projector,
    nullAudio,
    audioTokens: (embeddings) =>
      tf.tidy(() => {
        const data = new Float32Array(embeddings.length * d);
        embeddings.forEach((e, i) => {
          if (e.length !== d) throw new Error(`audio embedding ${i} has ${e.length} values; the projector expects ${d}`);
          data.set(e, i * d);
        });
        return projector.apply(tf.tensor3d(data, [embeddings.length, 1, d]));
      }),
    dispose: () => {
      nullAudio.dispose();
      projector.dispose();
      backbone.dispose();
    },
  };
}

/** Token states [n, L·W] rows → [n, L, W]. */
export function textTensor(rows: readonly Float32Array[], L: number, W: number): tf.Tensor3D {
  const data = new Float32Array(rows.length * L * W);
  rows.forEach((r, i) => data.set(r, i * L * W));
  return tf.tensor3d(data, [rows.length, L, W]);
}
