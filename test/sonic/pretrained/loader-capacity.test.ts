// The public loader's capacity check: it runs on the config alone, before a weight is looked for, read or
// allocated, so a directory whose config says SD-1.4 needs no weights to be refused on wasm.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { CapacityError, formatGiB, WASM_USABLE_BYTES } from '../../../src/compute/capacity/backend-capacity.js';
import { loadDiffusersUNet, loadSonicDiffusion, unetConfigToJson } from '../../../src/sonic/pretrained/index.js';
import { SD14_UNET_CONFIG, type UNetConfig } from '../../../src/sonic/unet/config.js';
import { estimateUNetMemory } from '../../../src/sonic/unet/memory-estimate.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { tf, useWasm } from '../reference-fixtures.js';

before(useWasm);
after(useWasm);

/** A diffusers folder with only unet/config.json: no weights file. */
function configOnly(config: UNetConfig): string {
  const dir = tempDir('sonic-capacity-');
  mkdirSync(join(dir, 'unet'));
  writeFileSync(join(dir, 'unet', 'config.json'), JSON.stringify(unetConfigToJson(config)));
  return dir;
}

const SD14_DIR = configOnly(SD14_UNET_CONFIG);
/** SD-1.4's layout with 16× the channels: about 227 billion parameters, more than any host's memory. */
const HUGE: UNetConfig = { ...SD14_UNET_CONFIG, blockOutChannels: SD14_UNET_CONFIG.blockOutChannels.map((c) => 16 * c) };

test('SD-1.4 on wasm is refused at once, before any weight is looked for or allocated, with the capacity message', async () => {
  const tensors = tf.memory().numTensors;
  const unetDir = join(SD14_DIR, 'unet');
  await assert.rejects(loadSonicDiffusion({ diffusersDir: SD14_DIR }), (e: unknown) => {
    assert.ok(e instanceof CapacityError, String(e));
    assert.match(
      e.message,
      new RegExp(`^the UNet in ${unetDir} \\(sampling at 8×8 latents, 1 latent per call\\) needs 888,012,174 parameters, 3\\.31 GiB of fp32 weights, about 3\\.3\\d GiB with activations: more than the wasm backend's usable WebAssembly heap .*, 2\\.00 GiB\\. `),
    );
    assert.match(e.message, /install your GPU's Vulkan .* or install @tensorflow\/tfjs-node-gpu; `sonic doctor` shows what this machine can use/);
    assert.match(e.message, /SONIC_BACKEND=webgpu runs it on the SwiftShader software adapter/);
    return true;
  });
  assert.equal(tf.memory().numTensors, tensors, 'nothing was allocated');
  // The workload given sizes the activations; trainable adapters default to a training step.
  assert.throws(
    () => loadDiffusersUNet(unetDir, { trainableAdapters: true, workload: { latentSide: 64, batch: 2 } }),
    (e: unknown) => e instanceof CapacityError && /^the UNet in .* \(an adapter training step at 64×64 latents, batch 2\) needs 888,012,174 parameters/.test(e.message),
  );
  assert.throws(() => loadDiffusersUNet(unetDir, { workload: { latentSide: 0 } }), /UNet workload: latentSide must be a positive integer, got 0/);
});

test('on the cpu backend (bounded by host memory) SD-1.4 passes the check and the loader goes on to the weights; a model larger than memory is refused', async () => {
  assert.ok(await tf.setBackend('cpu'));
  try {
    const need = estimateUNetMemory(SD14_UNET_CONFIG, { batch: 1, latentSide: 8, training: false }).totalBytes;
    assert.ok(need > WASM_USABLE_BYTES);
    if (need <= os.totalmem()) {
      await assert.rejects(loadSonicDiffusion({ diffusersDir: SD14_DIR }), /unet\/diffusion_pytorch_model\.safetensors: weights not found/);
    } else {
      await assert.rejects(loadSonicDiffusion({ diffusersDir: SD14_DIR }), CapacityError);
    }
    const huge = configOnly(HUGE);
    await assert.rejects(loadSonicDiffusion({ diffusersDir: huge }), (e: unknown) => {
      assert.ok(e instanceof CapacityError, String(e));
      assert.match(e.message, new RegExp(`: more than the cpu backend's host memory, ${formatGiB(os.totalmem()).replace('.', '\\.')}\\. Use a machine with more memory`));
      return true;
    });
  } finally {
    await useWasm();
  }
});

test('a model that fits reports the check through onCapacity', async () => {
  const messages: string[] = [];
  const dir = configOnly({ ...SD14_UNET_CONFIG, blockOutChannels: [32, 64, 64, 64], attentionHeadDim: 2, crossAttentionDim: 16, audioCrossAttentionDim: 16, adapterHeads: 2 });
  await assert.rejects(loadSonicDiffusion({ diffusersDir: dir, onCapacity: (m) => messages.push(m) }), /weights not found/);
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /^the UNet in .*\/unet \(sampling at 8×8 latents, 1 latent per call\): [\d,]+ parameters, .* fits the wasm backend \(2\.00 GiB usable WebAssembly heap/);
});

test("docs/using-the-library.md shows the refusal as the loader words it", async () => {
  const page = readFileSync(fileURLToPath(new URL('../../../../docs/using-the-library.md', import.meta.url)), 'utf8');
  const shown = /On wasm SD 1\.4 fails like this:\n\n```text\n(.*) …\n```/.exec(page)?.[1];
  assert.ok(shown, 'the page shows the message');
  const error = await loadSonicDiffusion({ diffusersDir: SD14_DIR }).then(() => null, (e: Error) => e);
  assert.ok(error instanceof CapacityError);
  assert.ok(error.message.startsWith(shown.replace('models/upstream/stable-diffusion-v1-4/unet', join(SD14_DIR, 'unet'))), error.message);
});
