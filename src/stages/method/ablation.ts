// Ablations are data (experiments/ablations/*.yaml, loaded by the pipeline as a `$files` var): each names
// itself and overrides the method stages' params. Here only the name rule of the stage param and the
// text-prompted reference rows, which are not ablations but baselines of the tables.
import { z } from 'zod';

/** The ablation's name (its file's `name`); `full` is the method itself. Tags metrics and image sets. */
export const ablationParam = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, { error: 'expected an ablation name: letters, digits, "_" and "-"' })
  .default('full');

/**
 * Text-conditioned reference rows made by the same frozen backbone (class label as the prompt, no audio, no
 * adapters): their ablation id in the image-set index → their row name. Tables list them after the audio rows.
 */
export const TEXT_BASELINES = {
  text_prompt: 'text prompt (class label)', // generate, mode=text (Table 1)
  text_pnp: 'PnP (text)', // edit, mode=text (Table 2)
} as const;
export type TextBaseline = keyof typeof TEXT_BASELINES;

export function isTextBaseline(ablation: string): ablation is TextBaseline {
  return Object.hasOwn(TEXT_BASELINES, ablation);
}
