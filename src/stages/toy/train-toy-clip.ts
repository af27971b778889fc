import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { logReport, progressReporter, toyTrainParams, trainerOptions, type ToyTrainParams } from './toy-params.js';

export const trainToyClipStage: StageDefinition<ToyTrainParams> = {
  name: 'train-toy-clip',
  version: '2',
  description: "Train toy-CLIP (image CNN + text transformer; the text tower's per-token states are the diffusion conditioning)",
  params: toyTrainParams,
  inputs: { dataset: { description: 'SonicToy dataset (manifest.csv)' } },
  outputs: { model: { description: 'toy-CLIP model directory (config.json + weights)' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { readManifest } = await import('../../data/sonictoy/index.js');
    const { trainToyClip, evaluateToyClip, TOY_CLIP_QUICK } = await import('../../encoders/toy/index.js');
    await initCompute(ctx);
    const rows = readManifest(`${ctx.inputs.dataset as string}/manifest.csv`);
    const model = await trainToyClip(rows, trainerOptions(ctx.params, TOY_CLIP_QUICK), progressReporter(ctx, 'train toy-CLIP'), ctx.signal);
    try {
      await model.save(ctx.outputs.model!);
      logReport(ctx, await evaluateToyClip(model, rows));
    } finally {
      model.dispose();
    }
  },
};
