// toy-SD, SonicToy's Stable Diffusion: an AutoencoderKL and a UNet conditioned on toy-CLIP's per-token
// text states, saved in the diffusers layout (sd/unet, sd/vae) that the method stages load like SD 1.4.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  profile: z.enum(['default', 'quick']).default('default'),
  seed: z.number().int().min(0).default(0),
  vae: z.record(z.string(), z.unknown()).default({}),
  unet: z.record(z.string(), z.unknown()).default({}),
  /** Sample grid: images per class and DDIM steps. */
  gridPerClass: z.number().int().positive().default(4),
  gridSteps: z.number().int().positive().default(50),
});

export const trainToySdStage: StageDefinition<z.infer<typeof params>> = {
  name: 'train-toy-sd',
  version: '2',
  description: 'Train toy-SD (VAE, then a UNet conditioned on toy-CLIP token states) and save it diffusers-style; logs reconstruction and a sample grid',
  params,
  inputs: { dataset: { description: 'SonicToy dataset (manifest.csv)' }, clip: { description: 'toy-CLIP model directory (the text encoder)' } },
  outputs: { sd: { description: 'unet/ + vae/ (config.json + diffusion_pytorch_model.safetensors), toy_sd.json, samples.png' } },
  async run(ctx) {
    const { join } = await import('node:path');
    const { initCompute } = await import('../common/runtime.js');
    const { readManifest } = await import('../../data/sonictoy/index.js');
    const { ToyClip, toyClipTextEncoder } = await import('../../encoders/toy/index.js');
    const { trainToySd, saveToySd, toySdSampleGrid } = await import('../../encoders/toy/toy-sd/index.js');
    await initCompute(ctx);
    const rows = readManifest(`${ctx.inputs.dataset as string}/manifest.csv`);
    const clip = await ToyClip.load(ctx.inputs.clip as string);
    try {
      const text = toyClipTextEncoder(clip);
      const p = ctx.params;
      let lastMetric = -1;
      const { model, report } = await trainToySd(rows, text, { profile: p.profile, seed: p.seed, vae: p.vae, unet: p.unet }, (pr) => {
        ctx.progress(pr.step, pr.steps, `train toy-SD ${pr.phase}`);
        const every = Math.max(1, Math.floor(pr.steps / 50));
        if (pr.step % every === 0 && pr.step !== lastMetric) ctx.metric(`${pr.phase}_loss`, pr.loss, { step: pr.step });
        lastMetric = pr.step;
      });
      try {
        saveToySd(ctx.outputs.sd!, model);
        for (const [part, r] of Object.entries(report)) {
          if (r && typeof r === 'object') for (const [k, v] of Object.entries(r)) if (typeof v === 'number' && Number.isFinite(v)) ctx.metric(`${part}_${k}`, v);
        }
        const grid = await toySdSampleGrid(model, text, rows, join(ctx.outputs.sd!, 'samples.png'), { perClass: p.gridPerClass, steps: p.gridSteps, seed: p.seed });
        ctx.metric('grid_generated_accuracy', grid.generatedAccuracy);
        if (grid.realHeldOutAccuracy !== null) ctx.metric('grid_real_heldout_accuracy', grid.realHeldOutAccuracy);
        ctx.metric('grid_chance', grid.chance);
        ctx.log(`toy-SD: sample grid ${grid.path} (colour-centroid accuracy ${grid.generatedAccuracy.toFixed(3)}, chance ${grid.chance.toFixed(3)})`);
      } finally {
        model.unetParams.dispose();
        model.vaeParams.dispose();
      }
    } finally {
      clip.dispose();
    }
  },
};
