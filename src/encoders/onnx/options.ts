// Options every ONNX model reference may carry (ModelRef.options in the foundation bundle), validated with
// errors that name the field.
import { z } from 'zod';

export const commonOptions = z.object({
  intraOpNumThreads: z.number().int().positive().optional(),
  interOpNumThreads: z.number().int().positive().optional(),
  batchSize: z.number().int().positive().default(8),
  /** Pin named dims of the signature, e.g. {D: 1024} for the real MS-CLAP projection. */
  expectDims: z.record(z.string(), z.number().int().positive()).default({}),
  /** Name reported with every result (FID column headers name the feature space with it). */
  name: z.string().min(1).optional(),
});

export function parseOptions<S extends z.ZodType>(schema: S, impl: string, options: unknown): z.output<S> {
  const r = schema.safeParse(options ?? {});
  if (!r.success) {
    const issues = r.error.issues.map((i) => `options.${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new Error(`${impl}: invalid model options: ${issues}`);
  }
  return r.data;
}
