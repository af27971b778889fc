// Run-time substitution of the placeholders the loader leaves in `run:` argv: `${{ inputs.NAME }}` and
// `${{ outputs.NAME }}` become absolute paths and `$${{` becomes a literal `${{`. A list input written as
// a whole argument expands to one argument per path. Executors call this just before spawning.
import { parseTemplate } from './interpolation.js';

export function expandRunArgs(argv: readonly string[], inputs: Record<string, string | string[]>, outputs: Record<string, string>): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const segments = parseTemplate(arg);
    const values = segments.map((seg): string | string[] => {
      if ('text' in seg) return seg.text;
      const e = seg.expr;
      if (e.kind !== 'inputs' && e.kind !== 'outputs') throw new Error(`run argument ${JSON.stringify(arg)} still holds ${seg.source}`);
      const table: Record<string, string | string[]> = e.kind === 'inputs' ? inputs : outputs;
      const v = table[e.name];
      if (v === undefined) throw new Error(`run argument ${JSON.stringify(arg)}: no ${e.kind === 'inputs' ? 'input' : 'output'} "${e.name}"`);
      return v;
    });
    if (values.length === 1 && Array.isArray(values[0])) out.push(...values[0]);
    else out.push(values.map((v) => (Array.isArray(v) ? v.join(' ') : v)).join(''));
  }
  return out;
}
