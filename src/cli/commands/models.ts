// sonic models [MODEL]: every file of the model registry (experiments/models.yaml): present and hash
// verified, present without a recorded hash, a hash mismatch, or missing with how to get it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadModelRegistry, ModelRegistryError, registryStatus, sha256File, type ModelRegistry } from '../../encoders/onnx/model-registry.js';
import { suggestion } from '../../engine/config/suggest.js';
import { UsageError } from '../cli-error.js';
import { processIo, runCommand, type Io } from '../run-command.js';
import { MODELS as SPEC } from '../specs/tool-commands.js';

export type ModelFileState = 'ok' | 'present' | 'bad-hash' | 'missing';

export interface ModelFileReport {
  model: string;
  file: string;
  state: ModelFileState;
  path: string | null; // where it was found
  target: string; // where it belongs
  sha256: string | null; // recorded in the registry
  actualSha256?: string; // computed (when verified)
  download: string | null;
  make: string | null;
}

export async function checkRegistry(reg: ModelRegistry, names: string[] | undefined, verify: boolean): Promise<ModelFileReport[]> {
  const out: ModelFileReport[] = [];
  for (const s of registryStatus(reg, names)) {
    const entry = reg.model(s.model).files.find((f) => f.name === s.file)!;
    const sha256 = entry.sha256 ?? null;
    const base = { model: s.model, file: s.file, path: s.found, target: s.target, sha256, download: reg.downloadUrl(entry), make: reg.makeCommand(s.model, entry) };
    if (s.found === null) {
      out.push({ ...base, state: 'missing' });
    } else if (verify && sha256 !== null) {
      const actual = await sha256File(s.found);
      out.push({ ...base, state: actual === sha256 ? 'ok' : 'bad-hash', actualSha256: actual });
    } else {
      out.push({ ...base, state: 'present' });
    }
  }
  return out;
}

const LABEL: Record<ModelFileState, string> = { ok: 'ok', present: 'present', 'bad-hash': 'BAD HASH', missing: 'MISSING' };

function formatReport(reg: ModelRegistry, rows: ModelFileReport[], verify: boolean): string {
  const lines: string[] = [`registry: ${reg.file}`, `models dir: ${reg.modelsDir}`, ''];
  for (const model of [...new Set(rows.map((r) => r.model))]) {
    const desc = reg.model(model).description;
    lines.push(`${model}${desc !== undefined ? `  ${desc}` : ''}`);
    for (const r of rows.filter((x) => x.model === model)) {
      lines.push(`  ${LABEL[r.state].padEnd(8)}  ${r.file}`);
      const more = (label: string, text: string) => lines.push(`            ${label.padEnd(14)}${text}`);
      if (r.state === 'missing') {
        more('place it at:', r.target);
        if (r.download !== null) more('download:', r.download);
        if (r.make !== null) more('make it with:', r.make);
      } else {
        more('found at:', r.path!);
        if (r.state === 'ok') more('sha256:', `${r.sha256} (verified)`);
        else if (r.state === 'bad-hash') more('sha256:', `${r.actualSha256}, but the registry records ${r.sha256}`);
        else more('sha256:', r.sha256 === null ? 'none recorded in the registry (not checked)' : `${r.sha256} (not checked: --no-verify)`);
      }
    }
    lines.push('');
  }
  const count = (s: ModelFileState) => rows.filter((r) => r.state === s).length;
  lines.push(
    `${rows.length} file${rows.length === 1 ? '' : 's'}: ${count('ok')} verified, ${count('present')} present ${verify ? 'without a recorded sha256' : 'unchecked'}, ` +
      `${count('bad-hash')} with a wrong hash, ${count('missing')} missing`,
  );
  return `${lines.join('\n')}\n`;
}

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  return runCommand(SPEC, argv, io, async (values, positionals) => {
    const file = resolve(io.cwd, values.registry ?? 'experiments/models.yaml');
    if (!existsSync(file)) {
      throw new UsageError(`no model registry at ${file}${values.registry === undefined ? ' (run from the repository root, or give --registry FILE)' : ''}`);
    }
    const verify = values['no-verify'] !== true;
    let reg: ModelRegistry;
    let rows: ModelFileReport[];
    try {
      reg = loadModelRegistry(file, { env: io.env });
      const only = positionals[0];
      if (only !== undefined && reg.data.models[only] === undefined) {
        throw new UsageError(`no model "${only}" in ${file}${suggestion(only, Object.keys(reg.data.models))}`);
      }
      rows = await checkRegistry(reg, only !== undefined ? [only] : undefined, verify);
    } catch (e) {
      if (!(e instanceof ModelRegistryError)) throw e;
      io.stderr(`sonic models: ${e.message}\n`);
      return 2;
    }
    io.stdout(values.json ? `${JSON.stringify(rows, null, 2)}\n` : formatReport(reg, rows, verify));
    return rows.every((r) => r.state === 'ok' || r.state === 'present') ? 0 : 1;
  });
}
