// The capacity check of a UNet about to be loaded: from its config alone (before a weight is read or
// allocated), weights + activations of the workload it will run are compared with the active backend's
// limits (compute/capacity/), so SD-1.4 on wasm fails at once with what to install instead of
// reading 3.3 GiB and aborting in the first forward pass.
import { assertModelFits } from '../../compute/capacity/backend-capacity.js';
import type { UNetConfig } from '../unet/config.js';
import { estimateUNetMemory, type UNetWorkload } from '../unet/memory-estimate.js';

/**
 * What the loaded UNet will run, sizing the activations of the check. The loader cannot know it, so each
 * field left out takes the least that any use needs (MINIMAL_UNET_WORKLOAD): a model refused with
 * those defaults cannot run on this backend at all. Give the real workload to be refused earlier.
 */
export type UNetWorkloadOption = Partial<Pick<UNetWorkload, 'batch' | 'latentSide' | 'training'>>;

/** One latent at 8×8 (64 px images), sampling; `training` defaults to whether the adapters are trainable. */
export const MINIMAL_UNET_WORKLOAD = Object.freeze({ batch: 1, latentSide: 8 });

export function resolveUNetWorkload(option: UNetWorkloadOption | undefined, trainable: boolean): UNetWorkload {
  const w: UNetWorkload = {
    batch: option?.batch ?? MINIMAL_UNET_WORKLOAD.batch,
    latentSide: option?.latentSide ?? MINIMAL_UNET_WORKLOAD.latentSide,
    training: option?.training ?? trainable,
  };
  for (const field of ['batch', 'latentSide'] as const) {
    if (!Number.isInteger(w[field]) || w[field] < 1) throw new Error(`UNet workload: ${field} must be a positive integer, got ${JSON.stringify(option?.[field])}`);
  }
  return w;
}

/** Throws CapacityError when the UNet of `dir` cannot run `work` on the active backend; else returns the summary. */
export function checkUNetCapacity(config: UNetConfig, dir: string, work: UNetWorkload): string {
  const what = work.training
    ? `an adapter training step at ${work.latentSide}×${work.latentSide} latents, batch ${work.batch}`
    : `sampling at ${work.latentSide}×${work.latentSide} latents, ${work.batch} latent${work.batch === 1 ? '' : 's'} per call`;
  return assertModelFits({ model: `the UNet in ${dir} (${what})`, ...estimateUNetMemory(config, work) });
}
