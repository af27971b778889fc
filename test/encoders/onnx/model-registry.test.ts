import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tempDir } from '../../helpers/temp-dir.js';
import { join, resolve } from 'node:path';
import { formatRegistryStatus, loadModelRegistry, ModelRegistryError, registryStatus, resolveModel } from '../../../src/encoders/onnx/model-registry.js';
import { isOnnxImpl, loadOnnxModel } from '../../../src/encoders/onnx/loader.js';
import { ONNX_FIXTURES } from './reference.js';

function registryFile(dir: string, body: string): string {
  const file = join(dir, 'models.yaml');
  writeFileSync(file, `version: 1\nmodelsDir: models\ncacheDir: cache\nmodels:\n${body}`);
  return file;
}

const sha = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

test('experiments/models.yaml validates, names known impls, and its cross-references resolve', () => {
  const env = { SONIC_MODELS_DIR: join(tempDir('sonic-registry-'), 'models'), SONIC_MODEL_CACHE: join(tempDir('sonic-registry-'), 'cache') };
  const reg = loadModelRegistry('experiments/models.yaml', { root: resolve('.'), env });
  const names = Object.keys(reg.data.models);
  for (const want of ['ms-clap-2022', 'clip-vit-large-patch14-text', 'clip-vit-large-patch14-image', 'clip-vit-base-patch32-image', 'wav2clip', 'inception-v3-fid', 'captioner-vit-gpt2', 'captioner-blip2', 'sd-v1-4-vae', 'sd-v1-4', 'sonicdiffusion-landscape', 'sonicdiffusion-gh']) {
    assert.ok(names.includes(want), want);
  }
  for (const [name, m] of Object.entries(reg.data.models)) {
    if (m.impl !== undefined) assert.ok(isOnnxImpl(m.impl), `${name}: impl ${m.impl}`);
    for (const f of m.files) {
      const cmd = reg.makeCommand(name, f);
      if (cmd) assert.doesNotMatch(cmd, /\{(dir|file):/, `${name}/${f.name}: unresolved placeholder in ${cmd}`);
      // With nothing in place, every file is reported with its exact target path.
      assert.equal(reg.locate(name, f), null);
      assert.ok(reg.missingMessage(name, f).includes(join(env.SONIC_MODELS_DIR, m.dir, f.name)));
    }
  }
  const make = reg.makeCommand('ms-clap-2022', reg.model('ms-clap-2022').files[0]!)!;
  assert.ok(make.includes(join(env.SONIC_MODELS_DIR, 'upstream/msclap/CLAP_weights_2022.pth')), make);
});

test('a missing file: the error names the model, the file, where to put it, and how to get it', async () => {
  const dir = tempDir('sonic-registry-');
  const file = registryFile(
    dir,
    `  enc:\n    impl: onnx-ms-clap-2022\n    dir: enc\n    files:\n      - name: clap_audio.onnx\n        make: python export.py {file:w/weights.pth} {dir}\n  w:\n    dir: up\n    files:\n      - { name: weights.pth, hf: { repo: org/repo, revision: main, file: weights.pth }, sha256: null }\n`,
  );
  const reg = loadModelRegistry(file, { root: dir, env: {} });
  await assert.rejects(resolveModel(reg, 'enc'), (e: Error) => {
    assert.ok(e instanceof ModelRegistryError);
    assert.match(e.message, /model 'enc': file 'clap_audio\.onnx' is missing/);
    assert.ok(e.message.includes(`Place it at: ${join(dir, 'models', 'enc', 'clap_audio.onnx')}`), e.message);
    assert.ok(e.message.includes(`python export.py ${join(dir, 'models', 'up', 'weights.pth')} ${join(dir, 'models', 'enc')}`), e.message);
    return true;
  });
  await assert.rejects(resolveModel(reg, 'w', { download: true }), (e: Error) => {
    assert.match(e.message, /no sha256 recorded/);
    assert.match(e.message, /Download from: https:\/\/huggingface\.co\/org\/repo\/resolve\/main\/weights\.pth/);
    assert.ok(e.message.includes(join(dir, 'models', 'up', 'weights.pth')));
    return true;
  });
  await assert.rejects(resolveModel(reg, 'nope'), /no model named 'nope'/);
});

test('local files win: the documented place, or a files[].path override', async () => {
  const dir = tempDir('sonic-registry-');
  mkdirSync(join(dir, 'models', 'a'), { recursive: true });
  writeFileSync(join(dir, 'models', 'a', 'x.bin'), 'x');
  writeFileSync(join(dir, 'elsewhere.bin'), 'y');
  const file = registryFile(dir, `  a:\n    dir: a\n    files:\n      - { name: x.bin, url: "https://example.org/x.bin", sha256: null }\n      - { name: y.bin, path: elsewhere.bin }\n`);
  const r = await resolveModel(loadModelRegistry(file, { root: dir, env: {} }), 'a');
  assert.equal(r.files['x.bin'], join(dir, 'models', 'a', 'x.bin'));
  assert.equal(r.files['y.bin'], join(dir, 'elsewhere.bin'));
  assert.equal(r.dir, join(dir, 'models', 'a'));
  rmSync(join(dir, 'elsewhere.bin'));
  const status = registryStatus(loadModelRegistry(join(dir, 'models.yaml'), { root: dir, env: {} }));
  assert.deepEqual(status.map((s) => [s.file, s.found !== null]), [['x.bin', true], ['y.bin', false]]);
  assert.match(formatRegistryStatus(status), new RegExp(`MISSING a/y\\.bin  → place at ${join(dir, 'elsewhere.bin').replace(/[.]/g, '\\.')}`));
});

test('downloads are verified against sha256: a match is cached, a mismatch is discarded with a clear error', async () => {
  const dir = tempDir('sonic-registry-');
  const payload = Buffer.from('pretend weights');
  const body = (good: boolean) =>
    `  m:\n    dir: m\n    files:\n      - { name: w.pth, hf: { repo: org/repo, repoType: space, revision: abc123, file: ckpts/w.pth }, sha256: "${good ? sha(payload) : sha('other')}" }\n`;
  const calls: string[] = [];
  const fakeFetch = (async (url: string | URL | Request) => {
    calls.push(String(url));
    return new Response(payload);
  }) as typeof fetch;
  const good = loadModelRegistry(registryFile(dir, body(true)), { root: dir, env: {} });
  const r = await resolveModel(good, 'm', { download: true, fetchImpl: fakeFetch });
  assert.deepEqual(calls, ['https://huggingface.co/spaces/org/repo/resolve/abc123/ckpts/w.pth']);
  const cached = join(dir, 'cache', 'huggingface.co', 'space', 'org/repo', 'abc123', 'ckpts/w.pth');
  assert.equal(r.files['w.pth'], cached);
  assert.deepEqual(readFileSync(cached), payload);
  // A second resolve finds the cached copy without fetching.
  await resolveModel(good, 'm', { download: true, fetchImpl: fakeFetch });
  assert.equal(calls.length, 1);

  const dir2 = tempDir('sonic-registry-');
  const bad = loadModelRegistry(registryFile(dir2, body(false)), { root: dir2, env: {} });
  await assert.rejects(resolveModel(bad, 'm', { download: true, fetchImpl: fakeFetch }), (e: Error) => {
    assert.match(e.message, /checksum mismatch .* expected sha256 [0-9a-f]{64}, got [0-9a-f]{64}; the download was discarded/);
    assert.ok(e.message.includes(`Place it at: ${join(dir2, 'models', 'm', 'w.pth')}`));
    return true;
  });
  assert.equal(existsSync(join(dir2, 'cache', 'huggingface.co', 'space', 'org/repo', 'abc123', 'ckpts/w.pth')), false);

  const offline = (async () => {
    throw new TypeError('fetch failed', { cause: new Error('getaddrinfo ENOTFOUND huggingface.co') });
  }) as typeof fetch;
  await assert.rejects(resolveModel(bad, 'm', { download: true, fetchImpl: offline }), /download of https:\/\/huggingface\.co.* failed: fetch failed \(getaddrinfo ENOTFOUND huggingface\.co\)[\s\S]*Place it at/);
});

test('an invalid registry is reported with file, line and field', () => {
  const dir = tempDir('sonic-registry-');
  const file = registryFile(dir, `  m:\n    dir: m\n    files:\n      - { name: w.pth, hf: { repo: not-a-repo, revision: main, file: w.pth } }\n`);
  assert.throws(() => loadModelRegistry(file, { root: dir, env: {} }), (e: Error) => {
    assert.ok(e.message.includes(`${file}:8: models.m.files.0.hf.repo: expected "owner/name"`), e.message);
    assert.match(e.message, /models\.m\.files\.0\.sha256: downloadable files need sha256/);
    return true;
  });
});

test('a resolved registry entry loads through loadOnnxModel (fixture standing in for the real export)', async () => {
  const dir = tempDir('sonic-registry-');
  const fx = resolve(ONNX_FIXTURES, 'ms-clap-2022', 'clap_audio.onnx');
  const file = registryFile(dir, `  clap:\n    impl: onnx-ms-clap-2022\n    dir: clap\n    options: { cropSeed: 3 }\n    files:\n      - { name: clap_audio.onnx, path: "${fx}" }\n`);
  const r = await resolveModel(loadModelRegistry(file, { root: dir, env: {} }), 'clap');
  const enc = await loadOnnxModel(r.impl!, r.files['clap_audio.onnx']!, r.options);
  try {
    assert.equal(enc.name, 'ms-clap-2022');
  } finally {
    await enc.close();
  }
});
