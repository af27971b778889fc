// The whole toy-SD: train the autoencoder, then the text-conditioned UNet on its latents. Two profiles:
// 'default' (the SonicToy pipeline's stand-in for SD 1.4, a few CPU minutes) and 'quick' (seconds; smoke runs).
import type { ResolvedManifestRow } from '../../../data/sonictoy/manifest.js';
import type { TextEncoder } from '../../interfaces.js';
import type { ToySd } from './checkpoint.js';
import { trainToyUnet, type ToyUnetOptions, type ToyUnetReport } from './train-unet.js';
import { trainToyVae, type ToyVaeOptions, type ToyVaeReport } from './train-vae.js';
import type { ToySdProgressFn } from './training-loop.js';

export type ToySdProfile = 'default' | 'quick';

export const TOY_SD_PROFILES: Readonly<Record<ToySdProfile, { vae: Partial<ToyVaeOptions>; unet: Partial<ToyUnetOptions> }>> = Object.freeze({
  default: { vae: {}, unet: {} },
  quick: {
    vae: { channels: [8, 16, 16], normNumGroups: 4, steps: 12, batch: 8, warmupSteps: 2 },
    unet: { unet: { blockOutChannels: [16, 32], normNumGroups: 8 }, steps: 12, batch: 8, warmupSteps: 2 },
  },
});

export interface TrainToySdOptions {
  profile?: ToySdProfile;
  /** Overrides of the profile's settings. `seed` seeds both parts unless they set their own. */
  vae?: Partial<ToyVaeOptions>;
  unet?: Partial<ToyUnetOptions>;
  seed?: number;
}

export interface ToySdReport {
  profile: ToySdProfile;
  vae: ToyVaeReport;
  unet: ToyUnetReport;
}

export async function trainToySd(
  rows: readonly ResolvedManifestRow[],
  textEncoder: TextEncoder,
  options: TrainToySdOptions = {},
  onProgress?: ToySdProgressFn,
  signal?: AbortSignal,
): Promise<{ model: ToySd; report: ToySdReport }> {
  const profile = options.profile ?? 'default';
  const base = TOY_SD_PROFILES[profile];
  if (!base) throw new Error(`trainToySd: unknown profile '${String(profile)}' (expected ${Object.keys(TOY_SD_PROFILES).join(' or ')})`);
  const seed = options.seed !== undefined ? { seed: options.seed } : {};
  const vae = await trainToyVae(rows, { ...base.vae, ...seed, ...options.vae }, onProgress, signal);
  const unetOptions: Partial<ToyUnetOptions> = { ...base.unet, ...seed, ...options.unet, unet: { ...base.unet.unet, ...options.unet?.unet } };
  const unet = await trainToyUnet(rows, vae.vae, textEncoder, unetOptions, onProgress, signal).catch((err: unknown) => {
    vae.params.dispose();
    throw err;
  });
  return {
    model: {
      vae: vae.vae,
      vaeParams: vae.params,
      unet: unet.unet,
      unetParams: unet.params,
      latentScale: vae.latentScale,
      imageSize: vae.vae.config.sampleSize,
      textEncoder: { name: textEncoder.name, maxTokens: textEncoder.maxTokens, width: textEncoder.width },
    },
    report: { profile, vae: vae.report, unet: unet.report },
  };
}
