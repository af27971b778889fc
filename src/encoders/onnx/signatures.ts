// The graph signatures the ONNX encoders expect: input/output names, element types and dims. A number is
// a fixed size; a string names a dimension that the model may leave symbolic or fix, but which must be
// consistent wherever it appears (and equal any value the caller pins, e.g. D = 1024 for the real CLAP).
// tools/reference/export_onnx_models.py writes graphs with exactly these signatures.

export type DimSpec = number | string;

export interface TensorSpec {
  name: string;
  type: 'float32' | 'int64';
  dims: DimSpec[];
}

export interface GraphSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export const SIGNATURES = {
  clapAudio: {
    inputs: [{ name: 'log_mel', type: 'float32', dims: ['B', 1, 'T', 64] }],
    outputs: [{ name: 'audio_embeds', type: 'float32', dims: ['B', 'D'] }],
  },
  clipText: {
    inputs: [{ name: 'input_ids', type: 'int64', dims: ['B', 'N'] }],
    outputs: [
      { name: 'last_hidden_state', type: 'float32', dims: ['B', 'N', 'W'] },
      { name: 'text_embeds', type: 'float32', dims: ['B', 'P'] },
    ],
  },
  clipImage: {
    inputs: [{ name: 'pixel_values', type: 'float32', dims: ['B', 3, 'S', 'S'] }],
    outputs: [{ name: 'image_embeds', type: 'float32', dims: ['B', 'P'] }],
  },
  wav2clip: {
    inputs: [{ name: 'spectrogram', type: 'float32', dims: ['B', 1, 257, 'T'] }],
    outputs: [{ name: 'audio_embeds', type: 'float32', dims: ['B', 'D'] }],
  },
  inception: {
    inputs: [{ name: 'images', type: 'float32', dims: ['B', 3, 299, 299] }],
    outputs: [{ name: 'pool3', type: 'float32', dims: ['B', 2048] }],
  },
  captionEncoder: {
    inputs: [{ name: 'pixel_values', type: 'float32', dims: ['B', 3, 'S', 'S'] }],
    outputs: [{ name: 'last_hidden_state', type: 'float32', dims: ['B', 'M', 'E'] }],
  },
  captionDecoder: {
    inputs: [
      { name: 'input_ids', type: 'int64', dims: ['B', 'L'] },
      { name: 'encoder_hidden_states', type: 'float32', dims: ['B', 'M', 'E'] },
    ],
    outputs: [{ name: 'logits', type: 'float32', dims: ['B', 'L', 'V'] }],
  },
  vaeEncoder: {
    inputs: [{ name: 'sample', type: 'float32', dims: ['B', 3, 'H', 'W'] }],
    outputs: [{ name: 'latent_mean', type: 'float32', dims: ['B', 4, 'h', 'w'] }],
  },
  vaeDecoder: {
    inputs: [{ name: 'latent_sample', type: 'float32', dims: ['B', 4, 'h', 'w'] }],
    outputs: [{ name: 'sample', type: 'float32', dims: ['B', 3, 'H', 'W'] }],
  },
} as const satisfies Record<string, GraphSignature>;

/** What the model file declares for one input or output. */
export interface DeclaredTensor {
  name: string;
  type: string;
  dims: readonly (number | string)[];
}

export function formatTensor(t: { name: string; type: string; dims: readonly (number | string)[] }): string {
  return `${t.name} ${t.type} [${t.dims.join(',')}]`;
}

export class OnnxSignatureError extends Error {}

/**
 * Checks a model's declared inputs/outputs against `sig`. Returns the named dims the model fixes (e.g.
 * {S: 224, P: 768}). Throws OnnxSignatureError naming the file and every difference.
 */
export function checkSignature(
  file: string,
  role: string,
  sig: GraphSignature,
  declared: { inputs: DeclaredTensor[]; outputs: DeclaredTensor[] },
  pinned: Record<string, number> = {},
): Record<string, number> {
  const problems: string[] = [];
  const bound: Record<string, number> = {};
  const check = (kind: 'input' | 'output', spec: TensorSpec, list: DeclaredTensor[]): void => {
    const t = list.find((d) => d.name === spec.name);
    if (!t) {
      problems.push(`${kind} '${spec.name}' is missing (the model's ${kind}s: ${list.map(formatTensor).join('; ') || 'none'})`);
      return;
    }
    if (t.type !== spec.type) problems.push(`${kind} '${spec.name}' has type ${t.type}, expected ${spec.type}`);
    if (t.dims.length === 0) return; // shape not recorded in the file: checked at run time by ORT itself
    if (t.dims.length !== spec.dims.length) {
      problems.push(`${kind} '${spec.name}' has rank ${t.dims.length} [${t.dims.join(',')}], expected rank ${spec.dims.length} [${spec.dims.join(',')}]`);
      return;
    }
    spec.dims.forEach((want, i) => {
      const got = t.dims[i]!;
      if (typeof want === 'number') {
        if (typeof got === 'number' && got !== want) problems.push(`${kind} '${spec.name}' dim ${i} is ${got}, expected ${want}`);
        return;
      }
      if (typeof got !== 'number' || got < 0) return; // symbolic: fine
      if (want === 'B' && got !== 1) problems.push(`${kind} '${spec.name}' has a fixed batch size ${got}; export with a dynamic batch axis`);
      const prev = bound[want];
      if (prev !== undefined && prev !== got) problems.push(`${kind} '${spec.name}' dim ${i} (${want}) is ${got} but ${want} is ${prev} elsewhere`);
      bound[want] = got;
    });
  };
  for (const s of sig.inputs) check('input', s, declared.inputs);
  for (const s of sig.outputs) check('output', s, declared.outputs);
  const extraInputs = declared.inputs.filter((d) => !sig.inputs.some((s) => s.name === d.name));
  if (extraInputs.length) problems.push(`unexpected input(s) ${extraInputs.map(formatTensor).join('; ')}`);
  for (const [dim, value] of Object.entries(pinned)) {
    if (bound[dim] !== undefined && bound[dim] !== value) problems.push(`dimension ${dim} is ${bound[dim]}, but the configuration expects ${value}`);
  }
  if (problems.length) {
    const expected = `expected inputs ${sig.inputs.map(formatTensor).join('; ')}; outputs ${sig.outputs.map(formatTensor).join('; ')}`;
    throw new OnnxSignatureError(`${file}: not a valid ${role} graph: ${problems.join('; ')} (${expected})`);
  }
  return bound;
}
