import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { logReport, progressReporter, toyTrainParams, trainerOptions, type ToyTrainParams } from './toy-params.js';

export const trainToyClapStage: StageDefinition<ToyTrainParams> = {
  name: 'train-toy-clap',
  version: '2',
  description: "Train toy-CLAP (log-mel CNN + text transformer, contrastive): CLAP's role, the projector's input",
  params: toyTrainParams,
  inputs: { dataset: { description: 'SonicToy dataset (manifest.csv)' } },
  outputs: { model: { description: 'toy-CLAP model directory' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { readManifest } = await import('../../data/sonictoy/index.js');
    const { trainToyClap, evaluateToyClap, TOY_CLAP_QUICK } = await import('../../encoders/toy/index.js');
    await initCompute(ctx);
    const rows = readManifest(`${ctx.inputs.dataset as string}/manifest.csv`);
    const model = await trainToyClap(rows, trainerOptions(ctx.params, TOY_CLAP_QUICK), progressReporter(ctx, 'train toy-CLAP'), ctx.signal);
    try {
      await model.save(ctx.outputs.model!);
      logReport(ctx, await evaluateToyClap(model, rows));
    } finally {
      model.dispose();
    }
  },
};
