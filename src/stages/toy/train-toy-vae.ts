// toy-SD's autoencoder, trained on its own so it can run beside toy-CLIP/toy-CLAP (it needs no text encoder);
// saved in the diffusers AutoencoderKL layout with scaling_factor = the latent scale.
import { z } from 'zod';
import type { StageDefinition } from '../../engine/stage/stage-definition.js';

const params = z.strictObject({
  profile: z.enum(['default', 'quick']).default('default'),
  seed: z.number().int().min(0).default(0),
  /** Overrides of the profile's VAE options (ToyVaeOptions). */
  vae: z.record(z.string(), z.unknown()).default({}),
});

export const trainToyVaeStage: StageDefinition<z.infer<typeof params>> = {
  name: 'train-toy-vae',
  version: '1',
  description: "Train toy-SD's autoencoder (AutoencoderKL) and save it diffusers-style; logs reconstruction PSNR and a colour-classifier check",
  params,
  inputs: { dataset: { description: 'SonicToy dataset (manifest.csv)' } },
  outputs: { vae: { description: 'config.json + diffusion_pytorch_model.safetensors, reconstructions.png, report.json' } },
  async run(ctx) {
    const { join } = await import('node:path');
    const { writeFileSync } = await import('node:fs');
    const { initCompute } = await import('../common/runtime.js');
    const { readManifest } = await import('../../data/sonictoy/index.js');
    const { TOY_SD_PROFILES, trainToyVae, writeToyVaeDir, toyVaeQuality } = await import('../../encoders/toy/toy-sd/index.js');
    await initCompute(ctx);
    const rows = readManifest(`${ctx.inputs.dataset as string}/manifest.csv`);
    const p = ctx.params;
    const every = (steps: number) => Math.max(1, Math.floor(steps / 50));
    const trained = await trainToyVae(rows, { ...TOY_SD_PROFILES[p.profile].vae, seed: p.seed, ...p.vae }, (pr) => {
      ctx.progress(pr.step, pr.steps, 'train toy-SD VAE');
      if (pr.step % every(pr.steps) === 0) ctx.metric('vae_loss', pr.loss, { step: pr.step });
    }, ctx.signal);
    try {
      const out = ctx.outputs.vae!;
      writeToyVaeDir(out, trained.vae, trained.params, trained.latentScale);
      for (const [k, v] of Object.entries(trained.report)) if (typeof v === 'number' && Number.isFinite(v)) ctx.metric(`vae_${k}`, v);
      const quality = toyVaeQuality(trained.vae, rows, join(out, 'reconstructions.png'));
      ctx.metric('vae_real_heldout_accuracy', quality.realAccuracy);
      ctx.metric('vae_reconstructed_heldout_accuracy', quality.reconstructedAccuracy);
      writeFileSync(join(out, 'report.json'), `${JSON.stringify({ ...trained.report, quality }, null, 2)}\n`);
      ctx.log(
        `toy-SD VAE: val PSNR ${trained.report.valPsnrDb?.toFixed(1) ?? '–'} dB; colour-centroid accuracy ${quality.reconstructedAccuracy.toFixed(3)} on reconstructions vs ${quality.realAccuracy.toFixed(3)} on the real images (chance ${quality.chance.toFixed(3)})`,
      );
    } finally {
      trained.params.dispose();
    }
  },
};
