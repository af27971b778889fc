import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { logReport } from './toy-params.js';

const params = z.strictObject({});

export const buildToyCaptionerStage: StageDefinition<z.infer<typeof params>> = {
  name: 'build-toy-captioner',
  version: '2',
  description: "Build the retrieval captioner (BLIP-2's role): the training captions indexed by toy-CLIP text embeddings",
  params,
  inputs: { dataset: { description: 'SonicToy dataset (manifest.csv)' }, clip: { description: 'toy-CLIP model directory' } },
  outputs: { model: { description: 'retrieval-captioner directory' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { readManifest } = await import('../../data/sonictoy/index.js');
    const { ToyClip, buildRetrievalCaptioner, evaluateRetrievalCaptioner } = await import('../../encoders/toy/index.js');
    await initCompute(ctx);
    const rows = readManifest(`${ctx.inputs.dataset as string}/manifest.csv`);
    const clip = await ToyClip.load(ctx.inputs.clip as string);
    let captioner;
    try {
      captioner = await buildRetrievalCaptioner(rows, clip);
    } catch (e) {
      clip.dispose();
      throw e;
    }
    try {
      await captioner.save(ctx.outputs.model!);
      logReport(ctx, await evaluateRetrievalCaptioner(captioner, rows));
    } finally {
      captioner.dispose(); // also frees the toy-CLIP it holds
    }
  },
};
