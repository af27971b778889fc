// pipelines/paper.yaml end to end through the real CLI: without data and weights `--dry-run` names every
// missing dataset root and model file at its line; with `--set profile=fixture` the whole paper DAG runs on
// rendered ffmpeg test videos and the random-weight model set (test/fixtures/paper-models), publishes
// Tables 1–4, and a second run is fully cached. The workspace is a temporary copy, so nothing is written
// into the repository.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ffmpegSkipReason } from '../data/ingest/ffmpeg-gate.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

const workspaces: string[] = [];
after(() => {
  for (const w of workspaces) rmSync(w, { recursive: true, force: true });
});

/** A workspace holding the paper pipeline, the registries and the reported numbers (and optionally the fixture models). */
function workspace(withFixtureModels: boolean): string {
  const ws = mkdtempSync(join(tmpdir(), 'sonic-paper-'));
  workspaces.push(ws);
  cpSync(join(REPO, 'pipelines'), join(ws, 'pipelines'), { recursive: true });
  cpSync(join(REPO, 'experiments'), join(ws, 'experiments'), { recursive: true });
  mkdirSync(join(ws, 'results'));
  cpSync(join(REPO, 'results', 'paper-reported.json'), join(ws, 'results', 'paper-reported.json'));
  if (withFixtureModels) cpSync(join(REPO, 'test', 'fixtures', 'paper-models'), join(ws, 'test', 'fixtures', 'paper-models'), { recursive: true });
  writeFileSync(join(ws, 'package.json'), '{}\n'); // marks the workspace root
  return ws;
}

function sonic(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.SONIC_MODELS_DIR; // the registry's own modelsDir must decide
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const MODEL_FILES = [
  'ms-clap-2022/clap_audio.onnx',
  'clip-vit-large-patch14-text/text_model.onnx',
  'clip-vit-large-patch14-text/vocab.json',
  'clip-vit-large-patch14-text/merges.txt',
  'clip-vit-large-patch14-image/vision_model.onnx',
  'clip-vit-base-patch32-image/vision_model.onnx',
  'wav2clip/wav2clip.onnx',
  'inception-v3-fid/inception_pool3.onnx',
  'captioner-vit-gpt2/encoder.onnx',
  'captioner-vit-gpt2/decoder.onnx',
  'captioner-vit-gpt2/vocab.json',
  'captioner-vit-gpt2/captioner.json',
  'sd-v1-4-vae/vae_encoder.onnx',
  'sd-v1-4-vae/vae_decoder.onnx',
  'upstream/stable-diffusion-v1-4/unet/config.json',
  'upstream/stable-diffusion-v1-4/unet/diffusion_pytorch_model.safetensors',
  'upstream/stable-diffusion-v1-4/scheduler/scheduler_config.json',
];

test('paper.yaml --dry-run without data or weights names every missing root and model file with its line', async () => {
  const ws = workspace(false);
  const r = await sonic(ws, ['run', 'pipelines/paper.yaml', '--dry-run']);
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  const missing = lines.map((l) => /^pipelines\/paper\.yaml:\d+:\d+: input file not found: (\S+) \(input "(root|models)" of paper-[a-z-]+: .*docs\/reproduce-paper\.md#(datasets|pretrained-weights)/.exec(l)?.[1]).filter((p) => p !== undefined);
  const expected = ['data/landscape', 'data/greatest-hits', 'data/ravdess', ...MODEL_FILES.map((f) => `models/${f}`)];
  assert.deepEqual(missing, expected, r.stderr);
  assert.equal(lines.length, expected.length, `only the missing files are reported:\n${r.stderr}`);
  // Placing one root removes exactly its line.
  mkdirSync(join(ws, 'data', 'ravdess'), { recursive: true });
  const again = await sonic(ws, ['run', 'pipelines/paper.yaml', '--dry-run']);
  assert.equal(again.code, 2);
  assert.doesNotMatch(again.stderr, /data\/ravdess/);
  assert.match(again.stderr, /data\/landscape/);
});

test('paper.yaml profile=fixture runs the whole paper DAG, publishes Tables 1–4 from its own metrics, and reruns fully cached', { timeout: 900_000 }, async (t) => {
  const skip = await ffmpegSkipReason();
  if (skip) {
    t.skip(skip);
    return;
  }
  const ws = workspace(true);
  const args = ['run', 'pipelines/paper.yaml', '--set', 'profile=fixture', '--set', 'results_dir=../out/paper', '--no-progress'];
  const first = await sonic(ws, args);
  assert.equal(first.code, 0, `${first.stdout}\n${first.stderr}`);
  assert.match(first.stdout, /\b0 failed\b|succeeded/);

  const published = join(ws, 'out', 'paper');
  assert.ok(existsSync(published), `nothing published under ${published}`);
  const files = readdirSync(published, { recursive: true }).map(String);
  for (const n of [1, 2, 3, 4]) assert.ok(files.some((f) => new RegExp(`table${n}\\.md$`).test(f)), `table${n}.md missing among ${files.join(', ')}`);
  assert.ok(!existsSync(join(ws, 'results', 'paper')), 'the default results_dir must not be written when results_dir is set');

  // Every number in Table 2 (ours, editing) comes from this run's evaluate_edit* metrics.
  const metrics = await sonic(ws, ['metrics', '--stage', 'evaluate*', '--format', 'json']);
  assert.equal(metrics.code, 0, metrics.stderr);
  const values = new Set<string>();
  const collect = (v: unknown): void => {
    if (typeof v === 'number') for (const d of [1, 2, 3, 4]) values.add(v.toFixed(d));
    else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
  };
  collect(JSON.parse(metrics.stdout));
  assert.ok(values.size > 0, 'evaluate recorded no metrics');
  const tableFile = files.find((f) => /table2\.md$/.test(f))!;
  const table = readFileSync(join(published, tableFile), 'utf8');
  const ours = table.split('\n').filter((l) => /ours|this run/i.test(l));
  assert.ok(ours.length > 0, `no row of ours in ${tableFile}:\n${table}`);
  const numbers = ours.flatMap((l) => l.match(/-?\d+\.\d+/g) ?? []);
  assert.ok(numbers.length > 0, `no numbers in our rows of ${tableFile}`);
  for (const n of numbers) assert.ok(values.has(n), `${n} in ${tableFile} is not a metric of this run`);

  const second = await sonic(ws, args);
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, / 0 ran, (\d+) cached/, second.stdout);
});
