import type { StageDefinition } from '../../engine/stage/stage-definition.js';
import { logReport, progressReporter, toyTrainParams, trainerOptions, type ToyTrainParams } from './toy-params.js';

export const trainToyWav2ClipStage: StageDefinition<ToyTrainParams> = {
  name: 'train-toy-wav2clip',
  version: '2',
  description: "Train toy-Wav2CLIP: an audio tower aligned to the frozen toy-CLIP image space (Wav2CLIP's role in AIS)",
  params: toyTrainParams,
  inputs: { dataset: { description: 'SonicToy dataset (manifest.csv)' }, clip: { description: 'toy-CLIP model directory' } },
  outputs: { model: { description: 'toy-Wav2CLIP model directory' } },
  async run(ctx) {
    const { initCompute } = await import('../common/runtime.js');
    const { readManifest } = await import('../../data/sonictoy/index.js');
    const { ToyClip, trainToyWav2Clip, evaluateToyWav2Clip, TOY_WAV2CLIP_QUICK } = await import('../../encoders/toy/index.js');
    await initCompute(ctx);
    const rows = readManifest(`${ctx.inputs.dataset as string}/manifest.csv`);
    const clip = await ToyClip.load(ctx.inputs.clip as string);
    try {
      const model = await trainToyWav2Clip(rows, clip, trainerOptions(ctx.params, TOY_WAV2CLIP_QUICK), progressReporter(ctx, 'train toy-Wav2CLIP'), ctx.signal);
      try {
        await model.save(ctx.outputs.model!);
        logReport(ctx, await evaluateToyWav2Clip(model, clip, rows));
      } finally {
        model.dispose();
      }
    } finally {
      clip.dispose();
    }
  },
};
