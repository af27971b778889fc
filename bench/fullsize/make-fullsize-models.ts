// Writes the model directory of paper.yaml's `fullsize-smoke` profile: the fixture encoders and ONNX VAE
// (test/fixtures/paper-models, copied) plus a diffusers UNet with SD-1.4's architecture and random weights
// (3.2 GiB safetensors). cross_attention_dim is the fixture CLIP text encoder's width (32) instead of 768,
// so the backbone has 857.9 M parameters with adapters (the adapters attend to 32-wide audio tokens too)
// instead of 888.0 M; every other shape is SD-1.4's.
//   node dist/bench/fullsize/make-fullsize-models.js [--out DIR]   (default .cache/fullsize-smoke-models)
// --no-weights writes a header-only weights file instead: enough for the capacity refusal on wasm, which
// happens before any weight is read (test/pipelines/paper-fullsize-smoke.test.ts).
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readdirSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SD14_UNET_CONFIG } from '../../src/sonic/unet/config.js';
import { isAdapterParam, UNet2DCondition } from '../../src/sonic/unet/unet2d-condition.js';
import { unetConfigToJson } from '../../src/sonic/pretrained/unet-config-json.js';
import { torchShapeOf } from '../../src/compute/torch-layout.js';
import { mulberry32, seedFor, uniformArray } from '../../src/compute/seeded-random.js';
import { writeJson } from '../../src/stages/common/json-file.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURES = join(REPO, 'test', 'fixtures', 'paper-models');
/** The fixture CLIP ViT-L/14 text encoder's width (experiments/models.fixture.yaml: W 32). */
const FIXTURE_TEXT_WIDTH = 32;

const { values } = parseArgs({ options: { out: { type: 'string', default: join(REPO, '.cache', 'fullsize-smoke-models') }, 'no-weights': { type: 'boolean' } } });
const out = resolve(values.out!);

for (const name of readdirSync(FIXTURES)) {
  if (name !== 'upstream') cpSync(join(FIXTURES, name), join(out, name), { recursive: true });
}
// SD-1.4's scheduler config, as the fixture model set has it.
cpSync(join(FIXTURES, 'upstream', 'stable-diffusion-v1-4', 'scheduler'), join(out, 'upstream', 'stable-diffusion-v1-4', 'scheduler'), { recursive: true });
const config = { ...SD14_UNET_CONFIG, crossAttentionDim: FIXTURE_TEXT_WIDTH, audioCrossAttentionDim: FIXTURE_TEXT_WIDTH };
const unetDir = join(out, 'upstream', 'stable-diffusion-v1-4', 'unet');
mkdirSync(unetDir, { recursive: true });
writeJson(join(unetDir, 'config.json'), unetConfigToJson(config));

const weights = join(unetDir, 'diffusion_pytorch_model.safetensors');
const specs = UNet2DCondition.paramSpecs(config).filter((s) => !isAdapterParam(s.name)); // SD's own weights; adapters start fresh
if (values['no-weights']) {
  writeFileSync(weights, Buffer.concat([Buffer.from([8, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{}      ')]));
} else if (existsSync(weights)) {
  console.log(`${weights} exists; delete it to write it again`);
} else {
  // Streamed tensor by tensor: the file is larger than one Node Buffer should hold.
  const header: Record<string, unknown> = { __metadata__: { format: 'pt', note: 'random weights in SD-1.4 shapes (sonicdiffusion fullsize-smoke)' } };
  let offset = 0;
  const shapes = specs.map((s) => torchShapeOf(s.layout, s.shape));
  specs.forEach((s, i) => {
    const bytes = shapes[i]!.reduce((a, b) => a * b, 1) * 4;
    header[s.name] = { dtype: 'F32', shape: shapes[i], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  });
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const tmp = `${weights}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  writeSync(fd, len);
  writeSync(fd, json);
  specs.forEach((s, i) => {
    const n = shapes[i]!.reduce((a, b) => a * b, 1);
    const data =
      s.init === 'zeros' ? new Float32Array(n) : s.init === 'ones' ? new Float32Array(n).fill(1) : uniformArray(n, s.init.uniform, mulberry32(seedFor(0, s.name)));
    writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  });
  closeSync(fd);
  renameSync(tmp, weights);
}
const count = UNet2DCondition.parameterCount(config);
console.log(`${out}: fixture encoders + UNet (${count.total.toLocaleString('en-US')} parameters with adapters; ${(specs.reduce((a, s) => a + s.shape.reduce((x, y) => x * y, 1), 0) * 4 / 2 ** 30).toFixed(2)} GiB of weights in ${weights})`);
