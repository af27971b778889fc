// The paper's ablations (Tables 3–4) as switches of stages 1 and 2. `full` is the method itself.
import { z } from 'zod';

export const ABLATIONS = ['full', 'no_contrastive', 'no_mse', 'no_stage1', 'frozen_projector', 'single_token'] as const;
export type Ablation = (typeof ABLATIONS)[number];
export const ablationParam = z.enum(ABLATIONS).default('full');

/** The row name of an ablation in the tables (the paper's wording). */
export const ABLATION_LABELS: Record<Ablation, string> = {
  full: 'SonicDiffusion',
  no_contrastive: 'w/o contrastive loss',
  no_mse: 'w/o MSE loss',
  no_stage1: 'w/o stage 1',
  frozen_projector: 'projector frozen in stage 2',
  single_token: 'single token',
};

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

export interface AblationSwitches {
  stage1: boolean;
  contrastive: boolean;
  mse: boolean;
  singleToken: boolean;
  trainProjectorInStage2: boolean;
}

export function ablationSwitches(a: Ablation): AblationSwitches {
  return {
    stage1: a !== 'no_stage1',
    contrastive: a !== 'no_contrastive',
    mse: a !== 'no_mse',
    singleToken: a === 'single_token',
    trainProjectorInStage2: a !== 'frozen_projector',
  };
}
