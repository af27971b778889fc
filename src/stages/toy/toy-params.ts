// Shared params of the toy foundation-model stages: a size profile plus free-form overrides of the
// trainer's options (the trainers validate every field and name the bad one).
import { z } from 'zod';
import type { StageContext } from '../../engine/stage/stage-definition.js';

export const toyTrainParams = z.strictObject({
  /** 'quick' starts from the trainer's seconds-long profile, 'default' from its full defaults. */
  profile: z.enum(['default', 'quick']).default('default'),
  options: z.record(z.string(), z.unknown()).default({}),
});
export type ToyTrainParams = z.infer<typeof toyTrainParams>;

export function trainerOptions<T>(p: ToyTrainParams, quick: Readonly<Partial<T>>): Partial<T> {
  return { ...(p.profile === 'quick' ? quick : {}), ...(p.options as Partial<T>) };
}

export function progressReporter(ctx: Pick<StageContext, 'progress' | 'metric'>, label: string) {
  return (p: { step: number; steps: number; loss: number }) => {
    ctx.progress(p.step, p.steps, label);
    ctx.metric('train_loss', p.loss, { step: p.step });
  };
}

/** Logs a flat report: numbers as metrics (per-domain records as tagged metrics), the rest as a log line. */
export function logReport(ctx: Pick<StageContext, 'metric' | 'log'>, report: object): void {
  for (const [key, value] of Object.entries(report)) {
    if (typeof value === 'number') {
      if (Number.isFinite(value)) ctx.metric(key, value);
    } else if (value && typeof value === 'object') {
      for (const [domain, v] of Object.entries(value as Record<string, unknown>)) if (typeof v === 'number' && Number.isFinite(v)) ctx.metric(key, v, { tags: { domain } });
    }
  }
  ctx.log(JSON.stringify(report));
}
