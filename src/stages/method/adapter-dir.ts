// The train-adapter artifact: the UNet's gated-adapter tensors (diffusers keys) and the stage-2 projector.
import { join } from 'node:path';

export const ADAPTER_WEIGHTS = 'unet_adapters.safetensors';
export const ADAPTER_PROJECTOR_DIR = 'projector';
export const ADAPTER_INFO = 'info.json';

export function adapterPaths(dir: string) {
  return { weights: join(dir, ADAPTER_WEIGHTS), projector: join(dir, ADAPTER_PROJECTOR_DIR), info: join(dir, ADAPTER_INFO) };
}
