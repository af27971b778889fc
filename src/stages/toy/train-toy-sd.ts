// toy-SD, SonicToy's Stable Diffusion: the UNet, conditioned on toy-CLIP's per-token text states and trained on
// the latents of the autoencoder from train-toy-vae; saved with that autoencoder in the diffusers layout
// (sd/unet, sd/vae) that the method stages load like SD 1.4.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  profile: z.enum(['default', 'quick']).default('default'),
  seed: z.number().int().min(0).default(0),
  /** Overrides of the profile's UNet options (ToyUnetOptions). */
  unet: z.record(z.string(), z.unknown()).default({}),
  /** Sample grid: images per class and DDIM steps. */
  gridPerClass: z.number().int().positive().default(4),
  gridSteps: z.number().int().positive().default(50),
});

export const trainToySdStage: StageDefinition<z.infer<typeof params>> = {
  name: 'train-toy-sd',
  version: '4',
  description: "Train toy-SD's UNet (conditioned on toy-CLIP token states) on the given VAE's latents and save both diffusers-style; logs its loss and a sample grid",
  params,
  inputs: {
    dataset: { description: 'SonicToy dataset (manifest.csv)' },
    clip: { description: 'toy-CLIP model directory (the text encoder)' },
    vae: { description: 'toy-SD autoencoder directory (train-toy-vae)' },
  },
  outputs: { sd: { description: 'unet/ + vae/ (config.json + diffusion_pytorch_model.safetensors), toy_sd.json, samples.png' } },
  async run(ctx) {
    const { join } = await import('node:path');
    const { initCompute } = await import('../common/runtime.js');
    const { readManifest } = await import('../../data/sonictoy/index.js');
    const { ToyClip, toyClipTextEncoder } = await import('../../encoders/toy/index.js');
    const { TOY_SD_PROFILES, trainToyUnet, readToyVaeDir, saveToySd, toySdSampleGrid } = await import('../../encoders/toy/toy-sd/index.js');
    await initCompute(ctx);
    const rows = readManifest(`${ctx.inputs.dataset as string}/manifest.csv`);
    const vae = readToyVaeDir(ctx.inputs.vae as string);
    const clip = await ToyClip.load(ctx.inputs.clip as string).catch((e: unknown) => {
      vae.params.dispose();
      throw e;
    });
    try {
      const text = toyClipTextEncoder(clip);
      const p = ctx.params;
      const base = TOY_SD_PROFILES[p.profile].unet;
      const unetOptions = { ...base, seed: p.seed, ...p.unet, unet: { ...base.unet, ...(p.unet.unet as object | undefined) } };
      const trained = await trainToyUnet(rows, vae.vae, text, unetOptions, (pr) => {
        ctx.progress(pr.step, pr.steps, 'train toy-SD UNet');
        if (pr.step % Math.max(1, Math.floor(pr.steps / 50)) === 0) ctx.metric('unet_loss', pr.loss, { step: pr.step });
      }, ctx.signal);
      const model = {
        vae: vae.vae,
        vaeParams: vae.params,
        unet: trained.unet,
        unetParams: trained.params,
        latentScale: vae.latentScale,
        imageSize: vae.vae.config.sampleSize,
        textEncoder: { name: text.name, maxTokens: text.maxTokens, width: text.width },
      };
      try {
        saveToySd(ctx.outputs.sd!, model);
        for (const [k, v] of Object.entries(trained.report)) if (typeof v === 'number' && Number.isFinite(v)) ctx.metric(`unet_${k}`, v);
        const grid = await toySdSampleGrid(model, text, rows, join(ctx.outputs.sd!, 'samples.png'), { perClass: p.gridPerClass, steps: p.gridSteps, seed: p.seed });
        ctx.metric('grid_generated_accuracy', grid.generatedAccuracy);
        if (grid.realHeldOutAccuracy !== null) ctx.metric('grid_real_heldout_accuracy', grid.realHeldOutAccuracy);
        ctx.metric('grid_chance', grid.chance);
        ctx.log(`toy-SD: sample grid ${grid.path} (colour-centroid accuracy ${grid.generatedAccuracy.toFixed(3)}, chance ${grid.chance.toFixed(3)})`);
      } finally {
        model.unetParams.dispose();
      }
    } finally {
      vae.params.dispose();
      clip.dispose();
    }
  },
};
