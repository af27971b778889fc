// SD 1.4's VAE (diffusers AutoencoderKL) through ONNX Runtime: encode to the posterior mean times the
// latent scale (0.18215; spec §5.1, §7.1), decode scaled latents back to [0,1] RGB. The folder holds
// vae_encoder.onnx and vae_decoder.onnx.
import { join } from 'node:path';
import { z } from 'zod';
import type { RgbImage } from '../interfaces.js';
import { commonOptions, parseOptions } from './options.js';
import { floatTensor, openChecked, runOne, splitRows, stack, type CheckedSession } from './session.js';
import { SIGNATURES } from './signatures.js';

export const VAE_FILES = { encoder: 'vae_encoder.onnx', decoder: 'vae_decoder.onnx' } as const;

/** A latent autoencoder with an 8× spatial downsampling and 4 latent channels. */
export interface LatentAutoencoder {
  readonly name: string;
  readonly scalingFactor: number;
  /** Scaled posterior means, [4·(H/8)·(W/8)] each (CHW). Images in a call share one size. */
  encode(images: RgbImage[]): Promise<Float32Array[]>;
  /** Scaled latents [4·h·w] → RGB images of 8h × 8w in [0,1]. */
  decode(latents: Float32Array[], height: number, width: number): Promise<RgbImage[]>;
}

const vaeOptions = commonOptions.extend({ scalingFactor: z.number().positive().default(0.18215) });

export class OnnxVae implements LatentAutoencoder {
  readonly name: string;
  readonly scalingFactor: number;

  private constructor(private readonly enc: CheckedSession, private readonly dec: CheckedSession, o: z.output<typeof vaeOptions>) {
    this.scalingFactor = o.scalingFactor;
    this.name = o.name ?? 'sd-1.4-vae';
  }

  static async load(dir: string, options: unknown = {}): Promise<OnnxVae> {
    const o = parseOptions(vaeOptions, 'onnx-sd-vae', options);
    const enc = await openChecked(join(dir, VAE_FILES.encoder), 'SD VAE encoder', SIGNATURES.vaeEncoder, o, o.expectDims);
    const dec = await openChecked(join(dir, VAE_FILES.decoder), 'SD VAE decoder', SIGNATURES.vaeDecoder, o, o.expectDims);
    return new OnnxVae(enc, dec, o);
  }

  async encode(images: RgbImage[]): Promise<Float32Array[]> {
    if (images.length === 0) return [];
    const { width: W, height: H } = images[0]!;
    if (W % 8 || H % 8) throw new Error(`VAE input must be a multiple of 8 in both sides, got ${W}×${H}`);
    const x = stack(
      images.map((im) => {
        if (im.width !== W || im.height !== H) throw new Error(`VAE batch mixes sizes ${W}×${H} and ${im.width}×${im.height}`);
        const chw = new Float32Array(3 * W * H);
        for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) chw[c * W * H + i] = im.data[i * 3 + c]! * 2 - 1;
        return chw;
      }),
    );
    const r = await runOne(this.enc, { sample: floatTensor(x, [images.length, 3, H, W]) }, ['latent_mean']);
    return splitRows(r.get('latent_mean')!.data, images.length).map((z) => z.map((v) => v * this.scalingFactor));
  }

  async decode(latents: Float32Array[], height: number, width: number): Promise<RgbImage[]> {
    if (latents.length === 0) return [];
    const z = stack(latents).map((v) => v / this.scalingFactor);
    const r = await runOne(this.dec, { latent_sample: floatTensor(z, [latents.length, 4, height, width]) }, ['sample']);
    const H = height * 8;
    const W = width * 8;
    return splitRows(r.get('sample')!.data, latents.length).map((chw) => {
      const data = new Float32Array(W * H * 3);
      for (let i = 0; i < W * H; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = Math.min(1, Math.max(0, (chw[c * W * H + i]! + 1) / 2));
      return { width: W, height: H, data };
    });
  }

  async close(): Promise<void> {
    await this.enc.session.release();
    await this.dec.session.release();
  }
}
